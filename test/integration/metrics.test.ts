/** /metrics: the platform's state for a Prometheus scraper, behind its own token. */
import { env, exports } from 'cloudflare:workers';
import parse from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { platformMetrics } from '../../src/services/metrics';
import { systemScope } from '../../src/services/scope';
import { liveTable } from '../support/live-table';

const TOKEN = 'test-metrics-token-0123456789';
const get = (token?: string) => exports.default.fetch(new Request('http://lorekeeper.test/metrics', { headers: token ? { authorization: `Bearer ${token}` } : {} }));

describe('/metrics', () => {
  it('exposes the platform state in the Prometheus text format', async () => {
    await liveTable();
    const res = await get(TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parse(await res.text()) as { name: string; metrics: { value: string; labels?: Record<string, string> }[] }[];
    const value = (name: string, status?: string) => Number(families.find((f) => f.name === name)?.metrics.find((m) => !status || m.labels?.status === status)?.value);
    expect(value('lorekeeper_users')).toBeGreaterThanOrEqual(6);
    expect(value('lorekeeper_sessions', 'live')).toBeGreaterThanOrEqual(1);
    expect(value('lorekeeper_campaigns', 'active')).toBeGreaterThanOrEqual(2);
    expect(families.map((f) => f.name)).toEqual(expect.arrayContaining(['lorekeeper_rulebooks', 'lorekeeper_rules_zero_result_ratio_24h']));
  });

  it('needs its token, and is off without the secret', async () => {
    expect((await get()).status).toBe(401);
    expect((await get('wrong-token')).status).toBe(401);
    await expect(platformMetrics(systemScope({ ...env, METRICS_TOKEN: undefined }), TOKEN)).rejects.toThrow(/Metrics are off/);
  });
});
