/**
 * Roll macros: each player keeps their own (the GM too), for all their
 * characters or for one of them; nobody else reads or runs them. The table
 * runs a macro by name (`!sneak`), the character's own macro before the
 * player's.
 */
import { and, asc, eq, inArray, count } from 'drizzle-orm';
import { newId, nowIso } from '../db/client';
import { characters, macros } from '../db/schema';
import { MacroError, validateMacro } from '../game/macros';
import { conflict, notFound, ProblemError } from '../lib/problem';
import { canEditCharacter, requireMember } from './policy';
import type { Scope } from './scope';

export const MAX_MACROS_PER_PLAYER = 100;

type MacroRow = typeof macros.$inferSelect;

const presentMacro = (m: MacroRow) => ({
  id: m.id, campaignId: m.campaignId, name: m.name, expression: m.expression, characterId: m.characterId || null, createdAt: m.createdAt, updatedAt: m.updatedAt,
});

export async function listMacros(scope: Scope, campaignId: string) {
  const member = await requireMember(scope, campaignId, 'player');
  const rows = await scope.db.select().from(macros)
    .where(and(eq(macros.campaignId, member.campaign.id), eq(macros.userId, member.userId))).orderBy(asc(macros.name));
  return rows.map(presentMacro);
}

export async function createMacro(scope: Scope, campaignId: string, input: { name: string; expression: string; characterId?: string | null }) {
  const member = await requireMember(scope, campaignId, 'player', true);
  try {
    validateMacro(input.expression);
  } catch (err) {
    if (err instanceof MacroError) throw new ProblemError(400, err.message, { errors: [{ path: 'body.expression', message: err.message }] });
    throw err;
  }
  if (input.characterId) {
    const character = await scope.db.select({ ownerUserId: characters.ownerUserId }).from(characters)
      .where(and(eq(characters.id, input.characterId), eq(characters.campaignId, member.campaign.id))).get();
    if (!character) throw notFound('Character');
    if (!canEditCharacter(member, character)) throw new ProblemError(403, 'Macros belong to your own characters');
  }
  const owned = await scope.db.select({ n: count() }).from(macros).where(and(eq(macros.campaignId, member.campaign.id), eq(macros.userId, member.userId))).get();
  if ((owned?.n ?? 0) >= MAX_MACROS_PER_PLAYER) throw conflict(`At most ${MAX_MACROS_PER_PLAYER} macros per player in a campaign`);
  const now = nowIso();
  const row: MacroRow = { id: newId(), campaignId: member.campaign.id, userId: member.userId, characterId: input.characterId ?? '', name: input.name.toLowerCase(), expression: input.expression, createdAt: now, updatedAt: now };
  const inserted = await scope.db.insert(macros).values(row).onConflictDoNothing().returning({ id: macros.id });
  if (inserted.length === 0) throw conflict(`You already have a macro called "${row.name}"${input.characterId ? ' for that character' : ''}; delete it first`);
  return presentMacro(row);
}

export async function deleteMacro(scope: Scope, campaignId: string, macroId: string) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const gone = await scope.db.delete(macros)
    .where(and(eq(macros.id, macroId), eq(macros.campaignId, member.campaign.id), eq(macros.userId, member.userId))).returning({ id: macros.id });
  if (gone.length === 0) throw notFound('Macro');
}

/** The macro `name` of `userId` at the table: the character's own first, then the player's. No caller: the room's ticket authenticated the user. */
export async function macroAtTable(scope: Scope, campaignId: string, userId: string, name: string, characterId: string | null) {
  const rows = await scope.db.select().from(macros)
    .where(and(eq(macros.campaignId, campaignId), eq(macros.userId, userId), eq(macros.name, name.toLowerCase()), inArray(macros.characterId, characterId ? [characterId, ''] : [''])));
  const row = rows.find((r) => r.characterId === characterId) ?? rows.find((r) => r.characterId === '');
  return row ? { name: row.name, expression: row.expression, characterId: row.characterId || null } : null;
}
