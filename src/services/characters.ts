/**
 * Characters: every member reads them; players create and edit their own,
 * the GM edits all and may assign owners; spectators only read. A sheet edit
 * replaces top-level sections and the merged sheet must validate as a whole.
 * Every change is a revision.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { newId } from '../db/client';
import { characters } from '../db/schema';
import { CharacterSheetSchema, type CharacterSheet } from '../game/character-sheet';
import type { Viewer } from '../game/roles';
import { z } from 'zod';
import { FoundryActorSchema, fromFoundryActor } from '../game/foundry';
import { forbidden, parseOrThrow, ProblemError, validationError } from '../lib/problem';
import { canEditCharacter, findMembership, isGm, requireMember } from './policy';
import type { Scope } from './scope';
import { createEntity, deleteEntity, getEntity, updateEntity } from './versioned-store';

type CharacterRow = typeof characters.$inferSelect;

export function presentCharacter(row: CharacterRow, viewer: Viewer) {
  return {
    id: row.id, campaignId: row.campaignId, ownerUserId: row.ownerUserId, name: row.name,
    sheet: CharacterSheetSchema.parse(row.sheet), version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
    canEdit: canEditCharacter(viewer, row),
  };
}

async function assertMemberOf(scope: Scope, campaignId: string, userId: string) {
  if (!(await findMembership(scope, campaignId, userId))) {
    throw new ProblemError(400, 'The owner must be a member of the campaign', { errors: [{ path: 'body.ownerUserId', message: 'Not a member of this campaign' }] });
  }
}

/** @param owner `me`, a user id, or undefined for everyone's */
export async function listCharacters(scope: Scope, campaignId: string, input: { owner?: string }) {
  const member = await requireMember(scope, campaignId);
  const ownerId = input.owner === 'me' ? member.userId : input.owner;
  const rows = await scope.db.select().from(characters)
    .where(and(eq(characters.campaignId, member.campaign.id), isNull(characters.deletedAt), ownerId ? eq(characters.ownerUserId, ownerId) : undefined))
    .orderBy(asc(characters.name));
  return rows.map((r) => presentCharacter(r, member));
}

export async function createCharacter(scope: Scope, campaignId: string, input: { name: string; sheet: CharacterSheet; ownerUserId?: string | null }) {
  const member = await requireMember(scope, campaignId, 'player', true);
  let ownerUserId: string | null = member.userId;
  if (input.ownerUserId !== undefined) {
    if (!isGm(member) && input.ownerUserId !== member.userId) throw forbidden('Only the GM can create characters for other members');
    ownerUserId = input.ownerUserId;
    if (ownerUserId) await assertMemberOf(scope, member.campaign.id, ownerUserId);
  }
  const row = await createEntity(scope, 'character', member.campaign.id, {
    id: newId(), campaignId: member.campaign.id, ownerUserId, name: input.name, sheet: input.sheet, deletedAt: null,
  });
  return presentCharacter(row, member);
}

/**
 * Imports a character from Foundry VTT's dnd5e actor JSON as a new character (the caller's, or the owner the
 * GM names), with the list of what the sheet could not take. A file that is not an actor export is a 400
 * naming the field; checked before anything is written.
 */
export async function importFoundryCharacter(scope: Scope, campaignId: string, input: { actor: unknown; ownerUserId?: string | null }) {
  await requireMember(scope, campaignId, 'player', true);
  const parsed = FoundryActorSchema.safeParse(input.actor);
  if (!parsed.success) throw validationError(parsed.error.issues, 'body.actor', 'This is not a Foundry VTT actor export (Export Data on a dnd5e actor)');
  let imported: ReturnType<typeof fromFoundryActor>;
  try {
    imported = fromFoundryActor(parsed.data);
  } catch (err) {
    if (err instanceof z.ZodError) throw validationError(err.issues, 'sheet', 'The actor\'s values do not fit a character sheet');
    throw err;
  }
  const character = await createCharacter(scope, campaignId, { name: imported.name, sheet: imported.sheet, ownerUserId: input.ownerUserId });
  return { character, unmapped: imported.unmapped };
}

/** A character as a file a player can keep or take elsewhere: the sheet, versioned. */
export async function exportCharacter(scope: Scope, campaignId: string, id: string) {
  const character = await getCharacter(scope, campaignId, id);
  return { format: 'lorekeeper.character' as const, version: 1, exportedAt: new Date().toISOString(), name: character.name, sheet: character.sheet };
}

export async function getCharacter(scope: Scope, campaignId: string, id: string) {
  const member = await requireMember(scope, campaignId);
  return presentCharacter(await getEntity(scope, 'character', campaignId, id), member);
}

export interface CharacterChanges {
  name?: string;
  /** Sheet sections to replace; the merged sheet is validated as a whole. */
  sheet?: Record<string, unknown>;
  ownerUserId?: string | null;
  /** The version edited; a newer current version is a 409. */
  version?: number;
}

export async function updateCharacter(scope: Scope, campaignId: string, id: string, input: CharacterChanges) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const current = await getEntity(scope, 'character', campaignId, id);
  if (!canEditCharacter(member, current)) throw forbidden('Players can edit only their own characters');
  const changes: Partial<CharacterRow> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.sheet !== undefined) changes.sheet = parseOrThrow(CharacterSheetSchema, { ...(current.sheet as object), ...input.sheet }, 'body.sheet');
  if (input.ownerUserId !== undefined) {
    if (!isGm(member)) throw forbidden('Only the GM can reassign characters');
    if (input.ownerUserId) await assertMemberOf(scope, campaignId, input.ownerUserId);
    changes.ownerUserId = input.ownerUserId;
  }
  const row = await updateEntity(scope, 'character', campaignId, current, changes, { expectedVersion: input.version });
  return presentCharacter(row, member);
}

export async function deleteCharacter(scope: Scope, campaignId: string, id: string) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const current = await getEntity(scope, 'character', campaignId, id);
  if (!canEditCharacter(member, current)) throw forbidden('Players can delete only their own characters');
  await deleteEntity(scope, 'character', campaignId, current);
}
