/** /metrics: the platform's state for a Prometheus scraper, behind its own token. */
import { env, exports } from 'cloudflare:workers';
import parse from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { platformMetrics } from '../../src/services/metrics';
import { systemScope } from '../../src/services/scope';
import { liveTable } from '../support/live-table';
import { call } from '../support/api';
import { connect, sleep } from '../support/socket';

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
    expect(families.map((f) => f.name)).toEqual(expect.arrayContaining(['lorekeeper_rulebooks', 'lorekeeper_rules_zero_result_ratio_24h', 'lorekeeper_backup_enabled']));
  });

  it('counts open sockets at live tables and times rules searches', async () => {
    const t = await liveTable();
    const scrape = async () => parse(await (await get(TOKEN)).text()) as { name: string; type: string; metrics: { value?: string; buckets?: Record<string, string>; count?: string }[] }[];
    const sockets = async () => Number((await scrape()).find((f) => f.name === 'lorekeeper_table_sockets')!.metrics[0]!.value);
    const before = await sockets();
    const gm = await connect(t.gm, t.sessionId, 'gm');
    const player = await connect(t.player, t.sessionId, 'player');
    // Presence is announced in batches of 250 ms; the room reports the count with it.
    await sleep(400);
    expect(await sockets()).toBe(before + 2);
    player.close();
    await sleep(400);
    expect(await sockets()).toBe(before + 1);
    await call('POST', `/api/sessions/${t.sessionId}/end`, { token: t.gm.token });
    expect(await sockets()).toBe(before);
    gm.close();

    await call('GET', `/api/campaigns/${t.campaignId}/rules/search?q=grapple`, { token: t.gm.token });
    const histogram = (await scrape()).find((f) => f.name === 'lorekeeper_rules_search_duration_seconds_24h')!;
    expect(histogram.type).toBe('HISTOGRAM');
    expect(Number(histogram.metrics[0]!.count)).toBeGreaterThanOrEqual(1);
    expect(Number(histogram.metrics[0]!.buckets!['+Inf'])).toBe(Number(histogram.metrics[0]!.count));
  });

  it('needs its token, and is off without the secret', async () => {
    expect((await get()).status).toBe(401);
    expect((await get('wrong-token')).status).toBe(401);
    await expect(platformMetrics(systemScope({ ...env, METRICS_TOKEN: undefined }), TOKEN)).rejects.toThrow(/Metrics are off/);
  });
});
