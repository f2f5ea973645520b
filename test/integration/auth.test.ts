import { sign } from 'hono/jwt';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, isProblem, registerUser } from '../support/api';

describe('registration', () => {
  it('creates an account, returns tokens and never the password hash', async () => {
    const res = await call('POST', '/api/auth/register', { body: { email: 'New.Player@Example.com', password: 'a long enough secret', displayName: 'Nia' } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'new.player@example.com', displayName: 'Nia' });
    expect(res.body.tokens.tokenType).toBe('Bearer');
    expect(JSON.stringify(res.body)).not.toContain('pbkdf2');
    const stored = await env.DB.prepare('SELECT password_hash FROM credentials WHERE user_id = ?').bind(res.body.user.id).first<{ password_hash: string }>();
    expect(stored?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);
  });

  it('refuses short passwords, bad emails and missing fields, listing each field', async () => {
    const res = await call('POST', '/api/auth/register', { body: { email: 'not-an-email', password: 'short' } });
    expect(isProblem(res, 400)).toBe(true);
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['body.displayName', 'body.email', 'body.password']);
  });

  it('refuses a second account with the same email (any case) with 409', async () => {
    const user = await registerUser('dup');
    const res = await call('POST', '/api/auth/register', { body: { email: user.email.toUpperCase(), password: 'another long password', displayName: 'Dup' } });
    expect(isProblem(res, 409)).toBe(true);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await call('POST', '/api/auth/register', { rawBody: '{"email": ', headers: { 'content-type': 'application/json' } });
    expect(isProblem(res, 400)).toBe(true);
  });
});

describe('login', () => {
  it('signs in with the right password and refuses a wrong one or unknown email alike', async () => {
    const user = await registerUser('login');
    const ok = await call('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
    expect(ok.status).toBe(200);
    expect((await call('GET', '/api/me', { token: ok.body.tokens.accessToken })).body.email).toBe(user.email);

    const wrong = await call('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong password here' } });
    const unknown = await call('POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'wrong password here' } });
    expect(isProblem(wrong, 401)).toBe(true);
    expect(isProblem(unknown, 401)).toBe(true);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    const failures = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE type = 'auth.login_failed'").first<{ n: number }>();
    expect(failures!.n).toBeGreaterThanOrEqual(2);
  });
});

describe('access tokens', () => {
  it('refuses missing, malformed, tampered, wrong-signature and expired tokens', async () => {
    const user = await registerUser('tokens');
    expect(isProblem(await call('GET', '/api/me'), 401)).toBe(true);
    expect(isProblem(await call('GET', '/api/me', { headers: { authorization: 'Basic abc' } }), 401)).toBe(true);
    expect(isProblem(await call('GET', '/api/me', { token: 'not.a.jwt' }), 401)).toBe(true);

    const [header, payload, signature] = user.token.split('.');
    const claims = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/')));
    const forged = btoa(JSON.stringify({ ...claims, sub: crypto.randomUUID() })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    expect(isProblem(await call('GET', '/api/me', { token: `${header}.${forged}.${signature}` }), 401)).toBe(true);

    const wrongKey = await sign({ ...claims }, 'some-other-secret-of-at-least-32-characters', 'HS256');
    expect(isProblem(await call('GET', '/api/me', { token: wrongKey }), 401)).toBe(true);

    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ ...claims, iat: now - 3600, exp: now - 60 }, env.JWT_SECRET!, 'HS256');
    expect(isProblem(await call('GET', '/api/me', { token: expired }), 401)).toBe(true);

    const noneAlg = `${btoa(JSON.stringify({ alg: 'none', typ: 'JWT' })).replace(/=+$/, '')}.${payload}.`;
    expect(isProblem(await call('GET', '/api/me', { token: noneAlg }), 401)).toBe(true);

    expect((await call('GET', '/api/me', { token: user.token })).status).toBe(200);
  });

  it('logout revokes the sign-in: its access and refresh tokens stop working', async () => {
    const user = await registerUser('logout');
    expect((await call('POST', '/api/auth/logout', { token: user.token })).status).toBe(204);
    expect(isProblem(await call('GET', '/api/me', { token: user.token }), 401)).toBe(true);
    expect(isProblem(await call('POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } }), 401)).toBe(true);
  });
});

describe('refresh token rotation', () => {
  it('rotates: the new pair works and the old refresh token is spent', async () => {
    const user = await registerUser('rotate');
    const first = await call('POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await call('GET', '/api/me', { token: first.body.accessToken })).status).toBe(200);
    const second = await call('POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
  });

  it('reuse of a rotated token revokes the whole family, including the newest tokens', async () => {
    const user = await registerUser('reuse');
    const rotated = await call('POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } });
    const replay = await call('POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(isProblem(replay, 401)).toBe(true);
    expect(replay.body.detail).toMatch(/already used/);
    expect(isProblem(await call('GET', '/api/me', { token: rotated.body.accessToken }), 401)).toBe(true);
    expect(isProblem(await call('POST', '/api/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } }), 401)).toBe(true);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE type = 'auth.refresh_reuse' AND actor_user_id = ?").bind(user.id).first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it('stores refresh tokens only as hashes', async () => {
    const user = await registerUser('hashes');
    const leaked = await env.DB.prepare('SELECT count(*) AS n FROM refresh_tokens WHERE token_hash = ?').bind(user.refreshToken).first<{ n: number }>();
    expect(leaked!.n).toBe(0);
  });

  it('refuses unknown refresh tokens', async () => {
    expect(isProblem(await call('POST', '/api/auth/refresh', { body: { refreshToken: 'rt_made_up_token_value' } }), 401)).toBe(true);
  });
});

describe('API keys', () => {
  it('are shown once, authenticate requests, list without the secret and stop working when revoked', async () => {
    const user = await registerUser('keys');
    const created = await call('POST', '/api/me/api-keys', { token: user.token, body: { name: 'Claude Desktop' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^lk_[\w-]{43}$/);

    const viaHeader = await call('GET', '/api/me', { headers: { 'x-api-key': created.body.key } });
    const viaBearer = await call('GET', '/api/me', { token: created.body.key });
    expect(viaHeader.body.id).toBe(user.id);
    expect(viaBearer.body.id).toBe(user.id);

    const list = await call('GET', '/api/me/api-keys', { token: user.token });
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);

    expect(isProblem(await call('POST', '/api/me/api-keys', { token: created.body.key, body: { name: 'escalate' } }), 403)).toBe(true);

    expect((await call('DELETE', `/api/me/api-keys/${created.body.id}`, { token: user.token })).status).toBe(204);
    expect(isProblem(await call('GET', '/api/me', { token: created.body.key }), 401)).toBe(true);
  });

  it("cannot revoke someone else's key", async () => {
    const owner = await registerUser('owner');
    const thief = await registerUser('thief');
    const created = await call('POST', '/api/me/api-keys', { token: owner.token, body: { name: 'mine' } });
    expect(isProblem(await call('DELETE', `/api/me/api-keys/${created.body.id}`, { token: thief.token }), 404)).toBe(true);
    expect((await call('GET', '/api/me', { token: created.body.key })).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('limits sign-in attempts per IP with 429, Retry-After and X-RateLimit headers', async () => {
    const ip = '198.51.100.77';
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 25; i++) {
      // A different account each time: this is the per-IP limit (per-account throttling is in hardening.test.ts).
      last = await call('POST', '/api/auth/login', { ip, body: { email: `victim-${i}@example.com`, password: 'guess number ' + i } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(isProblem(last!, 429)).toBe(true);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another IP is unaffected.
    expect((await call('POST', '/api/auth/login', { body: { email: 'victim@example.com', password: 'guess' } })).status).toBe(401);
  });

  it('takes exactly one token per request from the per-user bucket', async () => {
    const user = await registerUser('once');
    const { body: campaign } = await call('POST', '/api/campaigns', { token: user.token, body: { name: 'Counting' } });
    const ip = '192.0.2.200';
    const remaining = async (path: string) => Number((await call('GET', path, { token: user.token, ip })).headers.get('x-ratelimit-remaining'));
    // The per-IP bucket of this fresh IP is fuller than the user's, so the header shows the user's.
    const first = await remaining(`/api/campaigns/${campaign.id}/notes`);
    const second = await remaining(`/api/campaigns/${campaign.id}/characters`);
    const third = await remaining('/api/me');
    expect([first - second, second - third]).toEqual([1, 1]);
  });

  it('reports the remaining budget on normal responses', async () => {
    const user = await registerUser('budget');
    const res = await call('GET', '/api/me', { token: user.token });
    expect(Number(res.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
  });
});
