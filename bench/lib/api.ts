/** A tiny JSON client for benchmarks talking to a running Lorekeeper. */
export async function api(base: string, method: string, path: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Registers a fresh GM and a campaign. The token is an API key: access tokens expire (15 minutes), and a long
 * benchmark (FANOUT_REPEAT=9) outlived one.
 */
export async function benchCampaign(base: string, name: string): Promise<{ token: string; campaignId: string }> {
  const { tokens } = await api(base, 'POST', '/api/auth/register', { email: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, password: 'benchmark password', displayName: 'Bench GM' });
  const [campaign, apiKey] = await Promise.all([
    api(base, 'POST', '/api/campaigns', { name }, tokens.accessToken),
    api(base, 'POST', '/api/me/api-keys', { name: 'benchmark' }, tokens.accessToken),
  ]);
  return { token: apiKey.key, campaignId: campaign.id };
}
