/** Sign in and sign up. In development the seeded demo GM's credentials are offered (never in production). */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { authStore, type Tokens, type User } from '../api/auth-store';
import { navigate } from '../router';
import { Field, ProblemNote } from '../ui/forms';
import { useAction } from '../ui/use-api';

interface SignedIn { user: User; tokens: Tokens }
interface ClientConfig { environment: string; demo: { email: string; password: string } | null }

/** A form's submit as an action, with the server's field errors for the fields. */
function useSubmit(work: () => Promise<void>) {
  const { error, busy, run } = useAction();
  const submit = (e: Event) => (e.preventDefault(), run(work));
  return { error, busy, submit, fields: error instanceof ApiError ? error.fields : {} };
}

export function SignIn({ next: given }: { next?: string }) {
  const next = given ?? safeNext(new URLSearchParams(location.search).get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [demo, setDemo] = useState<ClientConfig['demo']>(null);
  useEffect(() => {
    api<ClientConfig>('/client-config').then((c) => setDemo(c.demo)).catch(() => undefined);
  }, []);
  const { error, busy, submit, fields } = useSubmit(async () => {
    const signedIn = await api<SignedIn>('/auth/login', { method: 'POST', body: { email, password } });
    authStore.signIn(signedIn.user, signedIn.tokens);
    navigate(next.startsWith('/signin') ? '/' : next, { replace: true });
  });
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>Sign in</h1>
      <form onSubmit={submit} noValidate>
        <Field label="Email" type="email" autoComplete="username" value={email} onInput={setEmail} error={fields.email} required />
        <Field label="Password" type="password" autoComplete="current-password" value={password} onInput={setPassword} error={fields.password} required />
        <ProblemNote error={error} shown={['email', 'password']} />
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p>New here? <a href={next === '/' ? '/signup' : `/signup?next=${encodeURIComponent(next)}`}>Create an account</a>.</p>
      {demo && (
        <aside class="demo" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo (development only)</h2>
          <p>The demo GM runs “The Sunless Citadel (demo)”, with a session ready to start. Players: alice@lorekeeper.test and bob@lorekeeper.test, same password.</p>
          <dl><dt>Email</dt><dd><code>{demo.email}</code></dd><dt>Password</dt><dd><code>{demo.password}</code></dd></dl>
          <button type="button" class="secondary" onClick={() => (setEmail(demo.email), setPassword(demo.password))}>Fill in the demo GM</button>
        </aside>
      )}
    </div>
  );
}

/** Only paths of this app are followed after signing in (never another site). */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

export function SignUp() {
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, submit, fields } = useSubmit(async () => {
    const signedIn = await api<SignedIn>('/auth/register', { method: 'POST', body: { displayName, email, password } });
    authStore.signIn(signedIn.user, signedIn.tokens);
    navigate(next, { replace: true });
  });
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>Create an account</h1>
      <form onSubmit={submit} noValidate>
        <Field label="Display name" autoComplete="nickname" value={displayName} onInput={setDisplayName} error={fields.displayName} required />
        <Field label="Email" type="email" autoComplete="email" value={email} onInput={setEmail} error={fields.email} required />
        <Field label="Password" type="password" autoComplete="new-password" value={password} onInput={setPassword} error={fields.password} hint="At least 12 characters" required />
        <ProblemNote error={error} shown={['displayName', 'email', 'password']} />
        <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p>Already have an account? <a href={next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`}>Sign in</a>.</p>
    </div>
  );
}
