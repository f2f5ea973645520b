/**
 * Content check against the campaign's truth data: a homebrew text, one
 * character sheet, or (GM) every character and NPC stat block of the
 * campaign. Results are cached per input and per state of the index.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { sha256Hex } from '../auth/encoding';
import { requireMember, type Viewer } from '../campaigns/access';
import { getEntity } from '../campaigns/versioned-store';
import { characters, npcs } from '../db/schema';
import { CharacterSheetSchema } from '../game/character-sheet';
import type { AppEnv } from '../http/app-env';
import { forbidden } from '../http/problem';
import { rateLimit } from '../http/middleware/rate-limit';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import type { EntityFinding, EntityIndex } from '../rules/entity-check';
import { indexFingerprint, loadEntityIndex } from '../rules/entity-index';
import { fileLinks } from '../rules/file-links';
import { linkSecret } from './rulebooks';

const FindingSchema = z.object({
  name: z.string(), status: z.enum(['known', 'misspelled', 'unknown']), type: z.string().nullable(), suggestion: z.string().nullable(), source: z.string(),
  pages: z.array(z.object({ rulebookId: z.string(), page: z.number().int(), url: z.string() })),
});
const ReportSchema = z.object({
  subject: z.object({ kind: z.enum(['text', 'character', 'npc']), id: z.string().nullable(), name: z.string() }),
  findings: z.array(FindingSchema),
}).openapi('ContentCheckReport');

const CheckBody = z.object({
  text: z.string().min(1).max(50_000).optional().describe('Homebrew or notes to check'),
  characterId: IdParam.optional().describe("Check a character sheet's spells and items"),
  scope: z.literal('campaign').optional().describe("GM: every character's spells and items, and every NPC stat block"),
}).refine((b) => [b.text, b.characterId, b.scope].filter((v) => v !== undefined).length === 1, { message: 'Give exactly one of text, characterId or scope' });

type Subject = { kind: 'text' | 'character' | 'npc'; id: string | null; name: string };

function checkSheet(index: EntityIndex, sheet: unknown): EntityFinding[] {
  const parsed = CharacterSheetSchema.safeParse(sheet);
  if (!parsed.success) return [];
  const spells = parsed.data.spellcasting.spells.map((s, i) => index.checkName(s.name, `spells[${i}]`));
  // Mundane gear is rarely a heading; only report items that are known or nearly so.
  const items = parsed.data.inventory.map((item, i) => index.checkName(item.name, `inventory[${i}]`)).filter((f) => f.status !== 'unknown');
  return [...spells, ...items];
}

async function subjects(c: Context<AppEnv>, viewer: Viewer, body: z.infer<typeof CheckBody>, index: EntityIndex): Promise<{ subject: Subject; findings: EntityFinding[] }[]> {
  if (body.text !== undefined) return [{ subject: { kind: 'text', id: null, name: 'text' }, findings: index.scanText(body.text) }];
  if (body.characterId) {
    const character = await getEntity(c, 'character', viewer.campaign.id, body.characterId);
    return [{ subject: { kind: 'character', id: character.id, name: character.name }, findings: checkSheet(index, character.sheet) }];
  }
  const db = c.get('db');
  const pcs = await db.select().from(characters).where(and(eq(characters.campaignId, viewer.campaign.id), isNull(characters.deletedAt)));
  const people = await db.select().from(npcs).where(and(eq(npcs.campaignId, viewer.campaign.id), isNull(npcs.deletedAt)));
  return [
    ...pcs.map((p) => ({ subject: { kind: 'character' as const, id: p.id, name: p.name }, findings: checkSheet(index, p.sheet) })),
    ...people.map((n) => {
      const statBlock = String((n.gmOnly as { statBlock?: string })?.statBlock ?? '');
      return { subject: { kind: 'npc' as const, id: n.id, name: n.name }, findings: [index.checkName(n.name, 'name'), ...index.scanText(statBlock)].filter((f) => f.status !== 'unknown') };
    }),
  ];
}

export const rulesCheckRoutes = createRouter();

// An expensive call (a 50 KB text is scanned against every entity): its own, tighter per-user bucket.
rulesCheckRoutes.use('/campaigns/:campaignId/rules/check', rateLimit('rules-check', (c) => c.get('principal')?.userId ?? null, (cfg) => cfg.rateLimit.rulesCheckPerMinute));

rulesCheckRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/rules/check', tags: ['Rulebooks'],
    summary: "Check a text, a character sheet or the whole campaign against the rulebooks' spells, monsters, items and conditions",
    security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(CheckBody) },
    responses: {
      200: jsonResponse(z.object({
        reports: z.array(ReportSchema), entitiesIndexed: z.number().int(), cached: z.boolean(),
        summary: z.object({ known: z.number().int(), misspelled: z.number().int(), unknown: z.number().int() }),
      }), 'Findings with the pages that define each entity'),
      ...commonErrors,
    },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const body = c.req.valid('json');
    // Authorise before the cache is consulted: a cached GM report must never reach a player.
    if (body.scope && viewer.role !== 'gm') throw forbidden('Only the GM can check the whole campaign');
    const db = c.env.DB;
    let version = '';
    if (body.characterId) version = String((await getEntity(c, 'character', viewer.campaign.id, body.characterId)).version);
    if (body.scope) version = `${Date.now() - (Date.now() % 60_000)}`; // a whole-campaign check is cached for a minute at most
    const cacheKey = new Request(`https://cache.lorekeeper.internal/rules-check/${viewer.campaign.id}/${await sha256Hex(JSON.stringify(body) + version + (await indexFingerprint(db, viewer.campaign.id)))}`);
    const cache = (caches as unknown as { default: Cache }).default;
    const hit = await cache.match(cacheKey);
    let payload: { reports: { subject: Subject; findings: EntityFinding[] }[]; entitiesIndexed: number };
    if (hit) payload = await hit.json();
    else {
      const index = await loadEntityIndex(db, viewer.campaign.id);
      payload = { reports: await subjects(c, viewer, body, index), entitiesIndexed: index.size };
      c.executionCtx.waitUntil(cache.put(cacheKey, new Response(JSON.stringify(payload), { headers: { 'cache-control': 'max-age=3600' } })));
    }
    const secret = linkSecret(c);
    const link = await fileLinks(secret, payload.reports.flatMap((r) => r.findings.flatMap((f) => f.pages.map((p) => p.rulebookId))));
    const reports = payload.reports.map((r) => ({
      subject: r.subject,
      findings: r.findings.map((f) => ({ ...f, pages: f.pages.map((p) => ({ ...p, url: link(p.rulebookId, p.page) })) })),
    }));
    const all = reports.flatMap((r) => r.findings);
    const count = (status: EntityFinding['status']) => all.filter((f) => f.status === status).length;
    return c.json({ reports, entitiesIndexed: payload.entitiesIndexed, cached: Boolean(hit), summary: { known: count('known'), misspelled: count('misspelled'), unknown: count('unknown') } }, 200);
  },
);
