/** Request data points for Analytics Engine, through a tiny app with the request log middleware. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { requestLog } from '../../src/http/middleware/request-log';

describe('request data points', () => {
  it('writes the route template, method, status and duration — never the ids in the path', async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const app = new Hono<{ Bindings: { ANALYTICS?: AnalyticsEngineDataset } }>();
    app.use('*', requestLog() as never);
    app.get('/api/campaigns/:campaignId', (c) => c.json({ ok: true }));
    const env = { ANALYTICS: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p!) } as AnalyticsEngineDataset };
    const res = await app.request('/api/campaigns/7b0c8e5e-3c59-4f0b-9e58-8f0b8c8d1a11', {}, env);
    expect(res.status).toBe(200);
    expect(points).toHaveLength(1);
    expect(points[0]!.blobs).toEqual(['/api/campaigns/:campaignId', 'GET', '200']);
    expect(points[0]!.indexes).toEqual(['request']);
    expect(points[0]!.doubles![0]).toBeGreaterThanOrEqual(0);
    // Without the binding (local development) nothing breaks.
    expect((await app.request('/api/campaigns/x', {}, {})).status).toBe(200);
  });
});
