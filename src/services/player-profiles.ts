/**
 * What the narrator keeps about each player (session/player-profile.ts):
 * built from their own logged actions in this campaign since they last reset
 * it. The player and the GM see it; only the player resets it. Narrations for
 * the table read one line per player (interests, and where they are stuck).
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { memberships, sessionEvents, users } from '../db/schema';
import { notFound } from '../lib/problem';
import { playerProfile, profileNote } from '../session/player-profile';
import type { SessionEvent } from '../session/protocol';
import { isGm, requireMember } from './policy';
import type { Scope } from './scope';

/** The newest actions a profile reads. */
const MAX_EVENTS = 2000;

/** `tableOnly`: only what everyone at the table saw (for a prompt the players' narration reads). */
async function eventsOf(scope: Scope, campaignId: string, userIds: string[], since: Map<string, string | null>, tableOnly = false): Promise<SessionEvent[]> {
  if (userIds.length === 0) return [];
  const rows = await scope.db.select({ payload: sessionEvents.payload, actor: sessionEvents.actorUserId, at: sessionEvents.createdAt }).from(sessionEvents)
    .where(and(eq(sessionEvents.campaignId, campaignId), inArray(sessionEvents.actorUserId, userIds.slice(0, 90)), tableOnly ? eq(sessionEvents.audience, 'all') : undefined))
    .orderBy(desc(sessionEvents.createdAt)).limit(MAX_EVENTS);
  return rows.filter((r) => { const reset = since.get(r.actor ?? ''); return !reset || r.at > reset; }).map((r) => r.payload as SessionEvent).reverse();
}

export async function getPlayerProfile(scope: Scope, campaignId: string, userId: string) {
  const member = await requireMember(scope, campaignId);
  // Another player's profile is theirs and the GM's: anyone else is told there is none.
  if (member.userId !== userId && !isGm(member)) throw notFound('Profile');
  const player = await scope.db.select({ displayName: users.displayName, resetAt: memberships.profileResetAt, role: memberships.role }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(and(eq(memberships.campaignId, member.campaign.id), eq(memberships.userId, userId))).get();
  if (!player) throw notFound('Profile');
  const events = await eventsOf(scope, member.campaign.id, [userId], new Map([[userId, player.resetAt]]));
  const profile = playerProfile(events, userId);
  return { userId, displayName: player.displayName, resetAt: player.resetAt, profile, note: profileNote(player.displayName, profile) };
}

/** The caller forgets what the narrator kept about them in this campaign. */
export async function resetPlayerProfile(scope: Scope, campaignId: string) {
  const member = await requireMember(scope, campaignId);
  const at = new Date().toISOString();
  await scope.db.update(memberships).set({ profileResetAt: at }).where(and(eq(memberships.campaignId, member.campaign.id), eq(memberships.userId, member.userId)));
  return getPlayerProfile(scope, campaignId, member.userId);
}

/**
 * One line per player for a table narration, from what everyone saw: the log in D1 and the room's newest events
 * (`recent`: already only those the table may see), so a GM-only or self roll never shows in a players' prompt.
 */
export async function playerNotes(scope: Scope, campaignId: string, recent: SessionEvent[]): Promise<string[]> {
  const players = await scope.db.select({ userId: memberships.userId, displayName: users.displayName, resetAt: memberships.profileResetAt }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId)).where(and(eq(memberships.campaignId, campaignId), eq(memberships.role, 'player'))).limit(20);
  const since = new Map(players.map((p) => [p.userId, p.resetAt]));
  const stored = await eventsOf(scope, campaignId, players.map((p) => p.userId), since, true);
  const known = new Set(stored.map((e) => e.eventId));
  const events = [...stored, ...recent.filter((e) => !known.has(e.eventId) && (!since.get(e.actor?.userId ?? '') || e.at > since.get(e.actor!.userId)!))];
  return players.map((p) => profileNote(p.displayName, playerProfile(events, p.userId))).filter((n): n is string => n !== null);
}
