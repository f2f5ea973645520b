/**
 * The campaign facts a live table needs while it applies a frame: a character
 * (to act as it, and its initiative and hit points) and a member (to whisper to
 * them). Called by the GameSession Durable Object with a system scope: the
 * socket's ticket already authenticated the actor, and the table's own rules
 * (session/engine.ts) decide what the actor may do with the result.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { characters, memberships, users } from '../db/schema';
import { abilityModifier, CharacterSheetSchema } from '../game/character-sheet';
import type { Role } from '../game/roles';
import type { CharacterInfo } from '../session/engine';
import type { Scope } from './scope';

export async function characterAtTable(scope: Scope, campaignId: string, characterId: string): Promise<CharacterInfo | null> {
  const row = await scope.db.select({ id: characters.id, name: characters.name, ownerUserId: characters.ownerUserId, sheet: characters.sheet }).from(characters)
    .where(and(eq(characters.id, characterId), eq(characters.campaignId, campaignId), isNull(characters.deletedAt))).get();
  if (!row) return null;
  const sheet = CharacterSheetSchema.safeParse(row.sheet);
  if (!sheet.success) return { id: row.id, name: row.name, ownerUserId: row.ownerUserId, initiativeBonus: 0, hp: null, armorClass: null, sheet: null };
  const { abilities, initiativeBonus, hp, armorClass } = sheet.data;
  return { id: row.id, name: row.name, ownerUserId: row.ownerUserId, initiativeBonus: initiativeBonus ?? abilityModifier(abilities.dex), hp, armorClass, sheet: sheet.data };
}

/** A character of the campaign by name (case-insensitive), for the narrator's directives: its id and owner. */
export async function characterByName(scope: Scope, campaignId: string, name: string): Promise<{ id: string; ownerUserId: string | null } | null> {
  return (await scope.db.select({ id: characters.id, ownerUserId: characters.ownerUserId }).from(characters)
    .where(and(eq(characters.campaignId, campaignId), isNull(characters.deletedAt), sql`lower(${characters.name}) = lower(${name})`)).get()) ?? null;
}

export async function memberAtTable(scope: Scope, campaignId: string, userId: string): Promise<{ userId: string; displayName: string; role: Role } | null> {
  const row = await scope.db.select({ userId: users.id, displayName: users.displayName, role: memberships.role }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId))).get();
  return row ?? null;
}
