/**
 * Property-based hostile input over every documented operation.
 *
 * For each path and method of /api/openapi.json, fast-check generates requests
 * from the operation's own schemas, then twists them: values nested past the
 * depth limit, strings at and past their maxLength, odd Unicode (lone
 * surrogates, zero-width and right-to-left marks, NUL, emoji), wrong types,
 * numbers at and past their bounds, lists past maxItems, unknown fields, and
 * foreign or malformed ids in the path. Every answer must be a success or a
 * problem+json 4xx, never a 5xx; afterwards every versioned record must still
 * agree with its history (nothing half-written).
 *
 * Budget: HOSTILE_RUNS requests per operation (default 6, fixed seed
 * HOSTILE_SEED, default 20261123). A larger run: `npm run fuzz:http`
 * (HOSTILE_RUNS=60, limits raised so the rate limiter does not hide anything).
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, setUpTable } from '../support/api';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  maxItems?: number;
  format?: string;
  additionalProperties?: Schema | boolean;
  $ref?: string;
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const RUNS = Number(env.HOSTILE_RUNS ?? 6);
const SEED = Number(env.HOSTILE_SEED ?? 20261123);

const ODD_STRINGS = ['', ' ', '\u0000', '\ud800', 'a\udc00b', '\u200b\u200e\u202e', '😀'.repeat(50), 'ÅÄÖ éè', '../../etc/passwd', '<script>alert(1)</script>', "'; DROP TABLE users; --", '%00', '\\', '"', '{}', 'null', 'NaN', '1e999'];
const ODD_NUMBERS = [-1, 0, 1, 0.5, -0, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, -1e308, Number.MAX_SAFE_INTEGER];

/** A URL cannot carry a lone surrogate: it becomes U+FFFD, as a browser would send it. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const nestDeep = (value: unknown, depth: number): unknown => {
  let v = value;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

function resolve(schema: Schema, doc: { components?: { schemas?: Record<string, Schema> } }): Schema {
  if (schema.$ref) return resolve(doc.components!.schemas![schema.$ref.split('/').pop()!]!, doc);
  return schema;
}

/** Values shaped by `schema`, a fair share of them at or past its bounds, some of any type at all. */
function valueFor(schema: Schema, doc: object, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc as never);
  const hostile = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(...ODD_STRINGS, ...ODD_NUMBERS, null, true, [], {}),
    fc.constant(nestDeep('x', 40)),
  );
  const shaped = ((): fc.Arbitrary<unknown> => {
    if (depth > 6) return hostile;
    const variants = s.anyOf ?? s.oneOf ?? (s.allOf && s.allOf.length === 1 ? s.allOf : undefined);
    if (variants?.length) return fc.oneof(...variants.map((v) => valueFor(v, doc, depth + 1)));
    if (s.enum) return fc.oneof(fc.constantFrom(...s.enum), fc.constantFrom(...ODD_STRINGS));
    if (s.const !== undefined) return fc.constant(s.const);
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    switch (type) {
      case 'string': {
        const max = s.maxLength ?? 200;
        return fc.oneof(
          fc.string({ maxLength: Math.min(max, 40) }),
          fc.constantFrom(...ODD_STRINGS),
          fc.constant('x'.repeat(Math.min(max, 60_000))),
          fc.constant('y'.repeat(Math.min(max + 1, 60_001))),
          fc.uuid().map(String),
          fc.string({ unit: 'binary', maxLength: 30 }),
        );
      }
      case 'integer':
      case 'number': {
        const bounds = [s.minimum, s.maximum].filter((b): b is number => b !== undefined).flatMap((b) => [b - 1, b, b + 1]);
        return fc.oneof(fc.integer(), fc.constantFrom(...ODD_NUMBERS, ...bounds), fc.double({ noNaN: true }));
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const max = s.maxItems ?? 10;
        const item = s.items ? valueFor(s.items, doc, depth + 1) : hostile;
        const within = fc.array(item, { maxLength: Math.min(max, 5) });
        return max < 300 ? fc.oneof(within, fc.array(item, { minLength: max + 1, maxLength: max + 3 })) : within;
      }
      case 'object': {
        const props = Object.entries(s.properties ?? {});
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, child] of props) record[name] = valueFor(child, doc, depth + 1);
        return fc.tuple(
          fc.record(record, { requiredKeys: [] }),
          fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }), { nil: undefined }),
        ).map(([base, extra]) => ({ ...(extra ?? {}), ...base }));
      }
      default:
        return hostile;
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: hostile });
}

describe('hostile input, property-based, over every documented operation', () => {
  it('never answers 5xx, always problem+json for errors, and leaves nothing half-written', { timeout: 600_000 }, async () => {
    const t = await setUpTable();
    const key = await call('POST', '/api/me/api-keys', { token: t.gm.token, body: { name: 'fuzz' } });
    // An API key, so no generated request (logout, refresh) can end the fuzzer's own sign-in.
    const token: string = key.body.key;
    const pc = await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token, body: { name: 'PC' } });
    const npc = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token, body: { name: 'NPC' } });
    const session = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token, body: { title: 'Fuzz' } });
    await call('POST', `/api/sessions/${session.body.id}/start`, { token });
    const ids: Record<string, string> = {
      campaignId: t.campaignId, id: npc.body.id, characterId: pc.body.id, userId: t.player.id, sessionId: session.body.id, revisionId: crypto.randomUUID(),
    };
    const doc = (await call('GET', '/api/openapi.json')).body;
    const failures: string[] = [];
    let requests = 0;

    const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>)
      .flatMap(([template, ops]) => Object.entries(ops).map(([method, op]) => ({ template, method: method.toUpperCase(), op })))
      // The socket answers upgrades only (covered by the session fuzz test); destructive account and campaign operations run last.
      .filter(({ template }) => !template.endsWith('/ws'))
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));

    for (const { template, method, op } of operations) {
      if (env.HOSTILE_VERBOSE) console.log(`${method} ${template}`);
      const params = op.parameters ?? [];
      const pathArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name,
        fc.oneof({ weight: 4, arbitrary: fc.constant(ids[p.name] ?? crypto.randomUUID()) }, { weight: 1, arbitrary: fc.oneof(fc.uuid().map(String), fc.constantFrom(...ODD_STRINGS.filter(Boolean))) })])));
      const queryArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, valueFor(p.schema, doc)])), { requiredKeys: [] });
      const jsonSchema = op.requestBody?.content['application/json']?.schema;
      // Routes that take another media type (the PDF upload) get JSON anyway: they must refuse it cleanly.
      const bodyArb = jsonSchema ? valueFor(jsonSchema, doc) : op.requestBody ? valueFor({}, doc) : fc.constant(undefined);

      await fc.assert(fc.asyncProperty(pathArb, queryArb, bodyArb, async (pathValues, query, body) => {
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(wellFormed(String((pathValues as Record<string, unknown>)[name]))));
        const search = new URLSearchParams();
        for (const [name, value] of Object.entries(query)) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
        const qs = search.size ? `?${search}` : '';
        const res = await call(method, path + qs, { token, ...(body !== undefined ? { body } : {}) });
        requests++;
        const problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json')
          && typeof res.body?.type === 'string' && typeof res.body?.title === 'string' && res.body?.status === res.status && typeof res.body?.detail === 'string';
        if (res.status >= 500 || (res.status >= 400 && !problem)) {
          failures.push(`${method} ${template}${qs.slice(0, 80)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)} body=${JSON.stringify(body)?.slice(0, 200)}`);
        }
      }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    }

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(operations.length * RUNS);

    // Nothing half-written: every versioned record's version has its revision, and no revision runs ahead of it.
    for (const [type, table] of [['character', 'characters'], ['npc', 'npcs'], ['location', 'locations'], ['plot_thread', 'plot_threads'], ['note', 'notes'], ['campaign', 'campaigns']]) {
      const broken = await env.DB.prepare(`SELECT t.id, t.version, (SELECT max(version) FROM revisions r WHERE r.entity_type = ? AND r.entity_id = t.id) AS latest FROM ${table} t`)
        .bind(type).all<{ id: string; version: number; latest: number | null }>();
      expect(broken.results.filter((r) => r.latest !== r.version), type).toEqual([]);
    }
  });
});
