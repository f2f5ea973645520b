/**
 * Content check against the campaign's truth data: a homebrew text, one
 * character sheet, or (GM) every character and NPC stat block of the
 * campaign, matched against the spells, monsters, items and conditions of its
 * ready rulebooks. Results are cached per input and per state of the index;
 * authorisation is checked before the cache is read.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { sha256Hex } from '../auth/encoding';
import { characters, npcs } from '../db/schema';
import { CharacterSheetSchema } from '../game/character-sheet';
import { forbidden } from '../lib/problem';
import type { EntityFinding, EntityIndex } from '../rules/entity-check';
import { indexFingerprint, loadEntityIndex } from '../rules/store';
import { fileLinks } from '../rules/file-links';
import { cacheGeneration } from './cache-generation';
import { requireMember, type Member } from './policy';
import { linkSecret } from './rulebooks';
import type { Scope } from './scope';
import { getEntity, type EntityRow } from './versioned-store';

/** Exactly one of the three. */
export type CheckInput = { text: string; characterId?: undefined; scope?: undefined }
  | { characterId: string; text?: undefined; scope?: undefined }
  | { scope: 'campaign'; text?: undefined; characterId?: undefined };

type Subject = { kind: 'text' | 'character' | 'npc'; id: string | null; name: string };

function checkSheet(index: EntityIndex, sheet: unknown): EntityFinding[] {
  const parsed = CharacterSheetSchema.safeParse(sheet);
  if (!parsed.success) return [];
  const spells = parsed.data.spellcasting.spells.map((s, i) => index.checkName(s.name, `spells[${i}]`));
  // Mundane gear is rarely a heading; only report items that are known or nearly so.
  const items = parsed.data.inventory.map((item, i) => index.checkName(item.name, `inventory[${i}]`)).filter((f) => f.status !== 'unknown');
  return [...spells, ...items];
}

/** @param character  the character named by `input.characterId`, already read for the cache key */
async function subjects(scope: Scope, member: Member, input: CheckInput, character: EntityRow<'character'> | null, index: EntityIndex): Promise<{ subject: Subject; findings: EntityFinding[] }[]> {
  if (input.text !== undefined) return [{ subject: { kind: 'text', id: null, name: 'text' }, findings: index.scanText(input.text) }];
  if (character) return [{ subject: { kind: 'character', id: character.id, name: character.name }, findings: checkSheet(index, character.sheet) }];
  const pcs = await scope.db.select().from(characters).where(and(eq(characters.campaignId, member.campaign.id), isNull(characters.deletedAt)));
  const people = await scope.db.select().from(npcs).where(and(eq(npcs.campaignId, member.campaign.id), isNull(npcs.deletedAt)));
  return [
    ...pcs.map((p) => ({ subject: { kind: 'character' as const, id: p.id, name: p.name }, findings: checkSheet(index, p.sheet) })),
    ...people.map((n) => {
      const statBlock = String((n.gmOnly as { statBlock?: string })?.statBlock ?? '');
      return { subject: { kind: 'npc' as const, id: n.id, name: n.name }, findings: [index.checkName(n.name, 'name'), ...index.scanText(statBlock)].filter((f) => f.status !== 'unknown') };
    }),
  ];
}

export async function checkContent(scope: Scope, campaignId: string, input: CheckInput) {
  const member = await requireMember(scope, campaignId);
  // Authorise before the cache is consulted: a cached GM report must never reach a player.
  if (input.scope && member.role !== 'gm') throw forbidden('Only the GM can check the whole campaign');
  const d1 = scope.env.DB;
  const character = input.characterId ? await getEntity(scope, 'character', member.campaign.id, input.characterId) : null;
  let version = character ? String(character.version) : '';
  if (input.scope) version = `${Date.now() - (Date.now() % 60_000)}`; // a whole-campaign check is cached for a minute at most
  const [fingerprint, generation] = await Promise.all([indexFingerprint(d1, member.campaign.id), cacheGeneration(scope)]);
  const cacheKey = new Request(`https://cache.lorekeeper.internal/rules-check/${generation}/${member.campaign.id}/${await sha256Hex(JSON.stringify(input) + version + fingerprint)}`);
  const cache = (caches as unknown as { default: Cache }).default;
  const hit = await cache.match(cacheKey);
  let payload: { reports: { subject: Subject; findings: EntityFinding[] }[]; entitiesIndexed: number };
  if (hit) payload = await hit.json();
  else {
    const index = await loadEntityIndex(d1, member.campaign.id);
    payload = { reports: await subjects(scope, member, input, character, index), entitiesIndexed: index.size };
    scope.defer(cache.put(cacheKey, new Response(JSON.stringify(payload), { headers: { 'cache-control': 'max-age=3600' } })));
  }
  const link = await fileLinks(linkSecret(scope), payload.reports.flatMap((r) => r.findings.flatMap((f) => f.pages.map((p) => p.rulebookId))));
  const reports = payload.reports.map((r) => ({
    subject: r.subject,
    findings: r.findings.map((f) => ({ ...f, pages: f.pages.map((p) => ({ ...p, url: link(p.rulebookId, p.page) })) })),
  }));
  const all = reports.flatMap((r) => r.findings);
  const count = (status: EntityFinding['status']) => all.filter((f) => f.status === status).length;
  return { reports, entitiesIndexed: payload.entitiesIndexed, cached: Boolean(hit), summary: { known: count('known'), misspelled: count('misspelled'), unknown: count('unknown') } };
}
