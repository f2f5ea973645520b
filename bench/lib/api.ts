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

/** Registers a fresh GM and a campaign. */
export async function benchCampaign(base: string, name: string): Promise<{ token: string; campaignId: string }> {
  const { tokens } = await api(base, 'POST', '/api/auth/register', { email: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, password: 'benchmark password', displayName: 'Bench GM' });
  const campaign = await api(base, 'POST', '/api/campaigns', { name }, tokens.accessToken);
  return { token: tokens.accessToken, campaignId: campaign.id };
}
