/**
 * The one way the client talks to the API: JSON in and out, the access token
 * attached, refreshed once on a 401 (one refresh at a time, shared by every
 * caller), and every failure turned into an `ApiError` carrying the server's
 * problem document (title, detail, field errors) for the screen to show.
 */
import type { FieldError, Problem } from '../../../src/lib/problem';
import { authStore, type Tokens } from './auth-store';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.status = problem.status;
    this.problem = problem;
  }
  /** Field errors keyed by their path without the `body.` prefix (`sheet.abilities.str`). */
  get fields(): Record<string, string> {
    return fieldErrors(this.problem.errors);
  }
}

export function fieldErrors(errors: FieldError[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) out[e.path.replace(/^(body|query|params)\./, '')] ??= e.message;
  return out;
}

const offline = (detail: string): Problem => ({ type: 'about:blank', title: 'Network error', status: 0, detail });

/** The server's problem document for a failed answer, filled in when the body is not one (a proxy's HTML page). */
function problemFrom(status: number, body: unknown, title: string): Problem {
  const p = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
  return { ...p, type: p.type ?? 'about:blank', title: p.title ?? (title || 'Error'), status, detail: p.detail ?? `The server answered ${status}` };
}

async function problemOf(res: Response): Promise<Problem> {
  return problemFrom(res.status, await res.json().catch(() => null), res.statusText);
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for new tokens; false (and signed out) when it no longer works. */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = authStore.refreshToken;
    if (!refreshToken) return false;
    try {
      const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
      if (res.status === 401) {
        authStore.signOut();
        return false;
      }
      if (!res.ok) return false;
      authStore.rotate((await res.json()) as Tokens);
      return true;
    } catch {
      return false;
    }
  })().finally(() => (refreshing = null));
  return refreshing;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** `blob` for media (audio): the body as a Blob instead of parsed JSON. */
  as?: 'json' | 'blob';
}

/**
 * Calls the API: `path` is relative to `/api` (`/campaigns/…`), or an API URL the server handed out (`/api/…`:
 * audio links, a preview's accept path).
 */
export async function api<T>(route: string, options: RequestOptions = {}): Promise<T> {
  const path = route.startsWith('/api/') ? route.slice('/api'.length) : route;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) query.set(k, String(v));
  const url = `/api${path}${query.size ? `?${query}` : ''}`;
  const send = () => {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (authStore.accessToken) headers.authorization = `Bearer ${authStore.accessToken}`;
    return fetch(url, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: options.signal });
  };
  let res: Response;
  try {
    // A reload keeps only the refresh token: get an access token before the first call.
    if (!authStore.accessToken && authStore.refreshToken && !path.startsWith('/auth/')) await refreshTokens();
    res = await send();
    if (res.status === 401 && authStore.refreshToken && !path.startsWith('/auth/') && (await refreshTokens())) res = await send();
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(offline('Could not reach the server. Check your connection and try again.'));
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  if (options.as === 'blob') return (await res.blob()) as T;
  return (await res.json()) as T;
}

/**
 * Uploads a file as the request body with progress (fetch has no upload progress; XHR does).
 * Resolves with the parsed JSON answer, rejects with an ApiError.
 */
export async function upload<T>(path: string, file: Blob, contentType: string, onProgress: (fraction: number) => void): Promise<T> {
  if (!authStore.accessToken) await refreshTokens();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.setRequestHeader('content-type', contentType);
    if (authStore.accessToken) xhr.setRequestHeader('authorization', `Bearer ${authStore.accessToken}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(offline('The upload was interrupted. Try again.')));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(problemFrom(xhr.status, body, 'Upload failed')));
    };
    xhr.send(file);
  });
}
