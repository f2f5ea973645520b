/**
 * The access policy of Lorekeeper, in one place: who may read and write what
 * inside a campaign, each rule next to its SQL twin (the same rule as a query
 * filter, for lists), and the presenters that redact what a viewer may not see
 * (GM-only parts of world records, other members' emails). Every door (REST,
 * MCP, the narrator, the live table) reads campaign data through services
 * that apply these rules. The rule for live-table events is
 * `session/visibility.ts` (canSee, and its SQL twin visibleEventsSql).
 *
 * Other tenants' records answer 404, never 403: a non-member cannot tell a
 * foreign campaign from a missing one. Inside a campaign a role too low for
 * the action is 403; records a member may not see are 404 too.
 */
import { and, eq, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { campaigns, memberships, notes, users } from '../db/schema';
import { isGm, outranks, type Role, type Viewer } from '../game/roles';
import { conflict, forbidden, notFound } from '../lib/problem';
import { callerOf, type Scope } from './scope';
import type { EntityType } from './versioned-store';

export { isGm, type Role, type Viewer } from '../game/roles';

/** A member as a campaign's rules see them: who, with which role, in which campaign. */
export interface Member extends Viewer {
  campaign: typeof campaigns.$inferSelect;
}

// ── Platform ────────────────────────────────────────────────────────────

/** Operators (set by `npm run operator`, never through the API) run the platform; everyone else gets 403. */
export async function requireOperator(scope: Scope): Promise<string> {
  const { userId } = callerOf(scope);
  const row = await scope.db.select({ isOperator: users.isOperator }).from(users).where(eq(users.id, userId)).get();
  if (!row?.isOperator) throw forbidden('Operators only');
  return userId;
}

// ── Membership ──────────────────────────────────────────────────────────

/**
 * The caller's membership of `campaignId`.
 * @param minRole  the lowest role allowed (default: any member, spectators included)
 * @param write    true for changes: archived campaigns are read-only (409)
 */
export async function requireMember(scope: Scope, campaignId: string, minRole: Role = 'spectator', write = false): Promise<Member> {
  const { userId } = callerOf(scope);
  const row = await scope.db
    .select({ campaign: campaigns, role: memberships.role })
    .from(memberships)
    .innerJoin(campaigns, eq(campaigns.id, memberships.campaignId))
    .where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId)))
    .get();
  if (!row) throw notFound('Campaign');
  if (!outranks(row.role, minRole)) {
    throw forbidden(minRole === 'gm' ? 'Only the campaign GM can do this' : 'Spectators can read but not change anything');
  }
  if (write && row.campaign.status === 'archived') throw conflict('The campaign is archived; unarchive it to make changes');
  return { userId, role: row.role, campaign: row.campaign };
}

/** The membership of `userId` in `campaignId`, if any (for checks on other members: owners, recipients). */
export function findMembership(scope: Scope, campaignId: string, userId: string) {
  return scope.db.select().from(memberships).where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId))).get();
}

/** Members see each other's names; only GMs see emails. */
export function presentMember<T extends { email?: string }>(viewer: Viewer, member: T): T {
  if (isGm(viewer)) return member;
  const { email: _email, ...rest } = member;
  return rest as T;
}

// ── Characters ──────────────────────────────────────────────────────────

/** Every member reads characters; players edit their own, the GM edits all. */
export const canEditCharacter = (viewer: Viewer, row: { ownerUserId: string | null }) =>
  isGm(viewer) || (viewer.role === 'player' && row.ownerUserId === viewer.userId);

// ── World records (NPCs, locations, plot threads) ───────────────────────

interface LoreRecord {
  visibility: 'gm' | 'party';
  gmOnly: unknown;
}

/** Players and spectators see party-visible records only; only the GM writes them. */
export const canReadLore = (viewer: Viewer, row: Pick<LoreRecord, 'visibility'>) => isGm(viewer) || row.visibility === 'party';
/** SQL twin of canReadLore (undefined: no filter). */
export const loreReadableSql = (viewer: Viewer, visibility: SQLiteColumn): SQL | undefined => (isGm(viewer) ? undefined : eq(visibility, 'party'));

/** What a viewer receives of a world record: the GM-only part is left out for everyone but the GM. */
export function redactLore<T extends LoreRecord>(row: T, viewer: Viewer): Omit<T, 'gmOnly'> & { gmOnly?: unknown } {
  if (isGm(viewer)) return row;
  const { gmOnly: _secret, ...rest } = row;
  return rest;
}

// ── Notes ───────────────────────────────────────────────────────────────

interface NoteRecord {
  visibility: 'gm' | 'party' | 'player';
  authorId: string | null;
  recipientUserId: string | null;
}

/** `gm` notes: GMs and the author; `party`: every member; `player`: one recipient, the author and the GMs. */
export const canReadNote = (v: Viewer, n: NoteRecord) =>
  isGm(v) || n.authorId === v.userId || n.visibility === 'party' || (n.visibility === 'player' && n.recipientUserId === v.userId);
/** SQL twin of canReadNote (undefined: no filter). */
export const noteReadableSql = (v: Viewer): SQL | undefined => (isGm(v) ? undefined : or(
  eq(notes.visibility, 'party'),
  eq(notes.authorId, v.userId),
  and(eq(notes.visibility, 'player'), eq(notes.recipientUserId, v.userId)),
));
/** Authors and GMs edit notes (spectators never). */
export const canEditNote = (v: Viewer, n: Pick<NoteRecord, 'authorId'>) => isGm(v) || (v.role === 'player' && n.authorId === v.userId);

// ── History ─────────────────────────────────────────────────────────────

/**
 * Who may see the history of a record, and restore it: whoever may write it today.
 * (The GM writes everything; a player their own characters and notes.)
 */
export function canWriteRecord(viewer: Viewer, type: EntityType, row: Record<string, unknown>): boolean {
  if (isGm(viewer)) return true;
  if (viewer.role !== 'player') return false;
  if (type === 'character') return canEditCharacter(viewer, row as { ownerUserId: string | null });
  if (type === 'note') return canEditNote(viewer, row as { authorId: string | null });
  return false;
}

/** Columns a restore never takes from a snapshot: identity, bookkeeping, and (for players) ownership. */
export function restorableFields(viewer: Viewer, type: EntityType, snapshot: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, campaignId: _c, version: _v, createdAt: _ca, updatedAt: _u, ...fields } = snapshot;
  if (!isGm(viewer) && type === 'character') delete fields.ownerUserId;
  if (!isGm(viewer) && type === 'note') delete fields.authorId;
  return fields;
}
