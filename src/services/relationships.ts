/**
 * How each NPC feels about each character: a score from −100 to 100 with a
 * short summary, kept by the GM. Members see the relationships of NPCs they
 * may read (party-visible ones, for players).
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { newId } from '../db/client';
import { characters, npcRelationships, npcs } from '../db/schema';
import { relationshipLabel } from '../game/lore';
import { notFound } from '../lib/problem';
import { canReadLore, requireMember } from './policy';
import type { Scope } from './scope';
import { createEntity, deleteEntity, getEntity, updateEntity } from './versioned-store';

type RelationshipRow = typeof npcRelationships.$inferSelect;

export const presentRelationship = (r: RelationshipRow, characterName: string) => ({
  id: r.id, npcId: r.npcId, characterId: r.characterId, characterName, score: r.score, label: relationshipLabel(r.score),
  summary: r.summary, version: r.version, updatedAt: r.updatedAt,
});

export async function listRelationships(scope: Scope, campaignId: string, npcId: string) {
  const member = await requireMember(scope, campaignId);
  const npc = await getEntity(scope, 'npc', campaignId, npcId);
  if (!canReadLore(member, npc)) throw notFound('NPC');
  const rows = await scope.db
    .select({ rel: npcRelationships, characterName: characters.name })
    .from(npcRelationships)
    .innerJoin(characters, eq(characters.id, npcRelationships.characterId))
    .where(and(eq(npcRelationships.npcId, npc.id), isNull(npcRelationships.deletedAt), isNull(characters.deletedAt)))
    .orderBy(asc(characters.name));
  return rows.map((r) => presentRelationship(r.rel, r.characterName));
}

/** Creates or updates the pair's relationship; `created` says which. */
export async function setRelationship(scope: Scope, campaignId: string, npcId: string, characterId: string, input: { score: number; summary: string; version?: number }) {
  await requireMember(scope, campaignId, 'gm', true);
  const npc = await getEntity(scope, 'npc', campaignId, npcId);
  const character = await getEntity(scope, 'character', campaignId, characterId);
  const existing = await scope.db.select().from(npcRelationships)
    .where(and(eq(npcRelationships.npcId, npc.id), eq(npcRelationships.characterId, character.id))).get();
  if (existing) {
    const row = await updateEntity(scope, 'relationship', campaignId, existing, { score: input.score, summary: input.summary, deletedAt: null }, { expectedVersion: input.version });
    return { created: false, relationship: presentRelationship(row, character.name) };
  }
  const row = await createEntity(scope, 'relationship', campaignId, {
    id: newId(), campaignId, npcId: npc.id, characterId: character.id, score: input.score, summary: input.summary, deletedAt: null,
  });
  return { created: true, relationship: presentRelationship(row, character.name) };
}

export async function deleteRelationship(scope: Scope, campaignId: string, npcId: string, characterId: string) {
  await requireMember(scope, campaignId, 'gm', true);
  const row = await scope.db.select().from(npcRelationships)
    .where(and(eq(npcRelationships.campaignId, campaignId), eq(npcRelationships.npcId, npcId), eq(npcRelationships.characterId, characterId), isNull(npcRelationships.deletedAt)))
    .get();
  if (!row) throw notFound('Relationship');
  await deleteEntity(scope, 'relationship', campaignId, row);
}

/** How far one step of the narrator's attitude directive moves a score (−100…100). */
export const ATTITUDE_STEP = 10;

/**
 * The narrator's `[[attitude: …]]`, applied for the GM who asked: the NPC (one the players know) and the character
 * are found by name, the score moves by steps of ATTITUDE_STEP within −100…100, and the reason is kept at the head
 * of the summary (the newest five). A normal versioned write: it has a revision, and the GM can undo it.
 */
export async function nudgeRelationship(scope: Scope, campaignId: string, input: { npc: string; character: string; step: number; why: string }) {
  await requireMember(scope, campaignId, 'gm', true);
  const npc = await scope.db.select({ id: npcs.id }).from(npcs)
    .where(and(eq(npcs.campaignId, campaignId), isNull(npcs.deletedAt), eq(npcs.visibility, 'party'), sql`lower(${npcs.name}) = lower(${input.npc})`)).get();
  if (!npc) throw notFound(`NPC "${input.npc}"`);
  const character = await scope.db.select({ id: characters.id }).from(characters)
    .where(and(eq(characters.campaignId, campaignId), isNull(characters.deletedAt), sql`lower(${characters.name}) = lower(${input.character})`)).get();
  if (!character) throw notFound(`Character "${input.character}"`);
  const existing = await scope.db.select().from(npcRelationships).where(and(eq(npcRelationships.npcId, npc.id), eq(npcRelationships.characterId, character.id), isNull(npcRelationships.deletedAt))).get();
  const score = Math.max(-100, Math.min(100, (existing?.score ?? 0) + input.step * ATTITUDE_STEP));
  const reasons = [input.why, ...(existing?.summary ?? '').split('\n')].map((r) => r.trim()).filter(Boolean).slice(0, 5);
  return setRelationship(scope, campaignId, npc.id, character.id, { score, summary: reasons.join('\n').slice(0, 2000) });
}

/** An NPC's relationships with the campaign's characters, for the narrator's NPC card. */
export async function relationshipsOf(scope: Scope, npcId: string) {
  const rows = await scope.db.select({ rel: npcRelationships, characterName: characters.name }).from(npcRelationships)
    .innerJoin(characters, eq(characters.id, npcRelationships.characterId))
    .where(and(eq(npcRelationships.npcId, npcId), isNull(npcRelationships.deletedAt), isNull(characters.deletedAt)));
  return rows.map((r) => ({ character: r.characterName, score: r.rel.score, feeling: relationshipLabel(r.rel.score), why: r.rel.summary }));
}
