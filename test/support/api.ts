/**
 * Test client for the real Worker (exports.default.fetch inside workerd).
 * Each simulated person gets a distinct client IP so per-IP limits behave as in production.
 */
import { exports } from 'cloudflare:workers';

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  ip?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

let ipCounter = 0;
export const nextIp = () => `203.0.113.${(ipCounter++ % 250) + 1}`;

export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { 'cf-connecting-ip': options.ip ?? nextIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await exports.default.fetch(new Request(`http://lorekeeper.test${path}`, { method, headers, body }));
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // leave as text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
  password: string;
}

let userCounter = 0;
export async function registerUser(name = 'user'): Promise<TestUser> {
  const email = `${name}-${Date.now()}-${userCounter++}@example.com`;
  const password = 'correct horse battery staple';
  const res = await call('POST', '/api/auth/register', { body: { email, password, displayName: name } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, token: res.body.tokens.accessToken, refreshToken: res.body.tokens.refreshToken, password };
}

export interface Table {
  campaignId: string;
  gm: TestUser;
  player: TestUser;
  otherPlayer: TestUser;
  spectator: TestUser;
  outsider: TestUser;
  /** GM of another campaign, to try cross-tenant access. */
  otherGm: TestUser;
  otherCampaignId: string;
}

async function invite(campaignId: string, gm: TestUser, role: 'player' | 'spectator', who: TestUser) {
  const inv = await call('POST', `/api/campaigns/${campaignId}/invites`, { token: gm.token, body: { role } });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  const joined = await call('POST', '/api/invites/join', { token: who.token, body: { code: inv.body.code } });
  if (joined.status !== 201) throw new Error(`join failed: ${joined.status} ${JSON.stringify(joined.body)}`);
}

/** A campaign with a GM, two players and a spectator, plus an unrelated campaign and an outsider. */
export async function setUpTable(): Promise<Table> {
  const [gm, player, otherPlayer, spectator, outsider, otherGm] = await Promise.all(
    ['gm', 'player', 'other-player', 'spectator', 'outsider', 'other-gm'].map((n) => registerUser(n)),
  );
  const campaign = await call('POST', '/api/campaigns', { token: gm!.token, body: { name: 'The Sunless Citadel' } });
  const other = await call('POST', '/api/campaigns', { token: otherGm!.token, body: { name: 'Another table' } });
  await invite(campaign.body.id, gm!, 'player', player!);
  await invite(campaign.body.id, gm!, 'player', otherPlayer!);
  await invite(campaign.body.id, gm!, 'spectator', spectator!);
  return {
    campaignId: campaign.body.id, gm: gm!, player: player!, otherPlayer: otherPlayer!, spectator: spectator!, outsider: outsider!,
    otherGm: otherGm!, otherCampaignId: other.body.id,
  };
}

/** Asserts the response is an RFC 9457 problem with `status`. */
export function isProblem(res: ApiResponse, status: number): boolean {
  return res.status === status
    && (res.headers.get('content-type') ?? '').startsWith('application/problem+json')
    && res.body?.status === status
    && typeof res.body?.type === 'string' && typeof res.body?.title === 'string' && typeof res.body?.detail === 'string';
}
