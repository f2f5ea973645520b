/** The web client: one shell (header, main, footer) and a screen per route. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, refreshTokens } from './api/client';
import { authStore } from './api/auth-store';
import { interceptLinks, match, navigate, useLocation } from './router';
import { SignIn, SignUp } from './screens/sign-in';
import { Campaigns } from './screens/campaigns';
import { Join } from './screens/join';
import { CampaignPage } from './screens/campaign';
import { RulesSearch } from './screens/rules';
import { TableView } from './screens/table';
import { lazyScreen } from './ui/lazy';

// The sheet editor validates with the server's zod schema: loaded only when a sheet is opened.
const CharacterEditor = lazyScreen(() => import('./screens/character').then((m) => m.CharacterEditor));

function useUser() {
  const [user, setUser] = useState(authStore.user);
  useEffect(() => authStore.subscribe(() => setUser(authStore.user)), []);
  return user;
}

function Screen({ path, query }: { path: string; query: URLSearchParams }) {
  let m: Record<string, string> | null;
  if (path === '/signup') return <SignUp />;
  if (path === '/signin') return <SignIn />;
  if (!authStore.user) return <SignIn next={path + location.search} />;
  if (path === '/') return <Campaigns />;
  if ((m = match('/join/:code', path)) || path === '/join') return <Join code={m?.code ?? query.get('code') ?? ''} />;
  if ((m = match('/campaigns/:id/characters/:characterId', path))) return <CharacterEditor campaignId={m.id!} characterId={m.characterId!} />;
  if ((m = match('/campaigns/:id/rules', path))) return <RulesSearch campaignId={m.id!} />;
  if ((m = match('/campaigns/:id/:tab', path)) || (m = match('/campaigns/:id', path))) return <CampaignPage campaignId={m.id!} tab={m.tab ?? 'overview'} />;
  if ((m = match('/tables/:sessionId', path))) return <TableView sessionId={m.sessionId!} />;
  return (
    <div class="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>There is nothing at {path}. <a href="/">Back to your campaigns</a>.</p>
    </div>
  );
}

function App() {
  const user = useUser();
  const { path, query } = useLocation();
  // A new page: move focus to its heading so keyboard and screen-reader users start there.
  useEffect(() => {
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1 && document.activeElement === document.body) h1.focus({ preventScroll: true });
  }, [path]);
  const signOut = async () => {
    try {
      if (!authStore.accessToken) await refreshTokens();
      if (authStore.accessToken) await api('/auth/logout', { method: 'POST' });
    } catch {
      // signed out locally either way
    }
    authStore.signOut();
    navigate('/signin');
  };
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <nav aria-label="Main">
          <a href="/" class="brand">Lorekeeper</a>
          {user && <a href="/">Campaigns</a>}
          {user && <a href="/join">Join a campaign</a>}
        </nav>
        <div class="account">
          {user ? <><span class="who">{user.displayName}</span> <button type="button" class="link" onClick={signOut}>Sign out</button></> : <a href="/signin">Sign in</a>}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen path={path} query={query} />
      </main>
      <footer class="bottom">
        <small>Lorekeeper · <a href="/docs">API reference</a> · rulebook text is shown with its licence and attribution.</small>
      </footer>
    </>
  );
}

interceptLinks();
render(<App />, document.getElementById('app')!);
