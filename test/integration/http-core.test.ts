import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, isProblem, registerUser } from '../support/api';

describe('errors are RFC 9457 problems', () => {
  it('unknown routes answer 404 problem+json with the request id', async () => {
    const res = await call('GET', '/api/nope', { headers: { 'x-request-id': 'trace-123' } });
    expect(isProblem(res, 404)).toBe(true);
    expect(res.body.requestId).toBe('trace-123');
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(res.body.instance).toBe('/api/nope');
  });

  it('generates a request id when the client sends none', async () => {
    const res = await call('GET', '/health/live');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const user = await registerUser('big');
    const huge = 'x'.repeat(Number(env.MAX_BODY_BYTES) + 10);
    const res = await call('POST', '/api/campaigns', { token: user.token, body: { name: 'Big', description: huge } });
    expect(isProblem(res, 413)).toBe(true);
  });

  it('answers wrong types and unknown query values with field errors', async () => {
    const user = await registerUser('types');
    const res = await call('POST', '/api/campaigns', { token: user.token, body: { name: 42, gameSystem: ['dnd'] } });
    expect(isProblem(res, 400)).toBe(true);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.gameSystem', 'body.name']);
    const query = await call('GET', '/api/campaigns?status=deleted', { token: user.token });
    expect(isProblem(query, 400)).toBe(true);
    expect(query.body.errors[0].path).toBe('query.status');
  });

  it('treats a JSON body sent as text/plain as invalid, not as a crash', async () => {
    const user = await registerUser('ctype');
    const res = await call('POST', '/api/campaigns', { token: user.token, rawBody: '{"name":"x"}', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('answers malformed ids with 400 and unknown ids with 404', async () => {
    const user = await registerUser('ids');
    expect(isProblem(await call('GET', '/api/campaigns/not-a-uuid', { token: user.token }), 400)).toBe(true);
    expect(isProblem(await call('GET', `/api/campaigns/${crypto.randomUUID()}`, { token: user.token }), 404)).toBe(true);
  });
});

describe('security headers and CORS', () => {
  it('sets security headers on API and health responses', async () => {
    for (const path of ['/health/live', '/api/campaigns']) {
      const res = await call('GET', path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  it('allows only configured origins', async () => {
    const allowed = await call('OPTIONS', '/api/campaigns', { headers: { origin: 'https://table.example', 'access-control-request-method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://table.example');
    const denied = await call('OPTIONS', '/api/campaigns', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('health', () => {
  it('/health checks D1 and R2 with latency and reports AI and Vectorize as absent locally', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.components.d1.status).toBe('ok');
    expect(res.body.components.r2.status).toBe('ok');
    expect(typeof res.body.components.d1.latencyMs).toBe('number');
    expect(res.body.components.ai.status).toBe('absent');
    expect(res.body.components.vectorize.status).toBe('absent');
    expect(res.body.status).toBe('degraded');
    expect(res.body.degraded).toEqual(['ai', 'vectorize', 'narrator']);
    // The scripted narrator is said plainly.
    expect(res.body.components.narrator).toEqual({ status: 'absent', detail: expect.stringContaining('Scripted narrator (no AI model configured)') });
  });

  it('/health/ready and /health/live answer 200', async () => {
    expect((await call('GET', '/health/ready')).body).toEqual({ status: 'ready' });
    expect((await call('GET', '/health/live')).body).toEqual({ status: 'live' });
  });
});

describe('OpenAPI and docs', () => {
  it('publishes an OpenAPI 3.1 document built from the route validators', async () => {
    const res = await call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const register = res.body.paths['/api/auth/register'].post;
    const schema = register.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'password', 'displayName']));
    expect(schema.properties.password.minLength).toBe(12);
    expect(res.body.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
    expect(Object.keys(res.body.paths).length).toBeGreaterThan(20);
  });

  it('serves the interactive reference at /docs without inline scripts', async () => {
    const res = await call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('/vendor/swagger-ui/swagger-ui-bundle.js');
    expect(res.body).not.toMatch(/<script>(?!<)/);
  });
});
