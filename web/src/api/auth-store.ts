/**
 * Where the signed-in user's tokens live: the access token in memory only, the
 * refresh token in localStorage so a reload keeps you signed in (the strict CSP
 * forbids inline and third-party scripts, which is what would read it).
 */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
}

const KEY = 'lorekeeper.session';

interface Stored {
  refreshToken: string;
  user: User;
}

let accessToken: string | null = null;
const listeners = new Set<() => void>();

function read(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export const authStore = {
  get user(): User | null {
    return read()?.user ?? null;
  },
  get accessToken(): string | null {
    return accessToken;
  },
  get refreshToken(): string | null {
    return read()?.refreshToken ?? null;
  },
  signIn(user: User, tokens: Tokens) {
    accessToken = tokens.accessToken;
    localStorage.setItem(KEY, JSON.stringify({ refreshToken: tokens.refreshToken, user }));
    listeners.forEach((l) => l());
  },
  rotate(tokens: Tokens) {
    const stored = read();
    if (!stored) return;
    accessToken = tokens.accessToken;
    localStorage.setItem(KEY, JSON.stringify({ ...stored, refreshToken: tokens.refreshToken }));
  },
  signOut() {
    accessToken = null;
    localStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
