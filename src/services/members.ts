/**
 * Membership: the member list, role changes (GM only), removal and leaving,
 * invite codes (expiry, use limits) and joining with one. A campaign always
 * keeps at least one GM.
 */
import { and, asc, count, desc, eq, isNull } from 'drizzle-orm';
import { randomBytes, toBase64Url } from '../auth/encoding';
import { newId, nowIso } from '../db/client';
import { campaigns, invites, memberships, users } from '../db/schema';
import type { Role } from '../game/roles';
import { conflict, forbidden, notFound, ProblemError } from '../lib/problem';
import { audit } from './audit';
import { claimInvite } from './member-store';
import { findMembership, isGm, presentMember, requireMember } from './policy';
import { callerOf, type Scope } from './scope';
import { tellLiveTables } from './sessions';

const presentInvite = (i: typeof invites.$inferSelect) => ({
  id: i.id, code: i.code, role: i.role, maxUses: i.maxUses, uses: i.uses, expiresAt: i.expiresAt, createdAt: i.createdAt, revokedAt: i.revokedAt,
});

async function gmCount(scope: Scope, campaignId: string): Promise<number> {
  const row = await scope.db.select({ n: count() }).from(memberships).where(and(eq(memberships.campaignId, campaignId), eq(memberships.role, 'gm'))).get();
  return row?.n ?? 0;
}

async function existingMember(scope: Scope, campaignId: string, userId: string) {
  const row = await findMembership(scope, campaignId, userId);
  if (!row) throw notFound('Member');
  return row;
}

export async function listMembers(scope: Scope, campaignId: string) {
  const member = await requireMember(scope, campaignId);
  const rows = await scope.db
    .select({ userId: memberships.userId, role: memberships.role, joinedAt: memberships.joinedAt, displayName: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.campaignId, member.campaign.id))
    .orderBy(asc(memberships.joinedAt));
  return rows.map((m) => presentMember(member, m));
}

export async function changeRole(scope: Scope, campaignId: string, userId: string, role: Role) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const target = await existingMember(scope, campaignId, userId);
  if (target.role === 'gm' && role !== 'gm' && (await gmCount(scope, campaignId)) <= 1) {
    throw conflict('A campaign needs at least one GM; promote someone else first');
  }
  await scope.db.update(memberships).set({ role }).where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId)));
  await audit(scope, 'member.role_change', { campaignId, targetUserId: userId, from: target.role, to: role });
  if (role !== target.role) await tellLiveTables(scope, campaignId, userId, role);
  const user = await scope.db.select().from(users).where(eq(users.id, userId)).get();
  return presentMember(gm, { userId, role, joinedAt: target.joinedAt, displayName: user?.displayName ?? '', email: user?.email });
}

/** The GM removes a member; anyone may remove themselves (leave). The last GM stays. */
export async function removeMember(scope: Scope, campaignId: string, userId: string) {
  const member = await requireMember(scope, campaignId);
  const leaving = userId === callerOf(scope).userId;
  if (!leaving && !isGm(member)) throw forbidden('Only the campaign GM can remove other members');
  const target = await existingMember(scope, campaignId, userId);
  if (target.role === 'gm' && (await gmCount(scope, campaignId)) <= 1) {
    throw conflict('The last GM cannot leave; make someone else GM first, or archive the campaign');
  }
  await scope.db.delete(memberships).where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId)));
  await audit(scope, leaving ? 'member.leave' : 'member.remove', { campaignId, targetUserId: userId });
  await tellLiveTables(scope, campaignId, userId, null);
}

export async function createInvite(scope: Scope, campaignId: string, input: { role: 'player' | 'spectator'; maxUses: number; expiresInHours: number }) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const row = {
    id: newId(), campaignId: gm.campaign.id, code: toBase64Url(randomBytes(9)), role: input.role, maxUses: input.maxUses, uses: 0,
    expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000).toISOString(), createdBy: gm.userId, createdAt: nowIso(), revokedAt: null,
  };
  await scope.db.insert(invites).values(row);
  await audit(scope, 'invite.create', { campaignId: gm.campaign.id, inviteId: row.id, role: row.role });
  return presentInvite(row);
}

export async function listInvites(scope: Scope, campaignId: string) {
  const gm = await requireMember(scope, campaignId, 'gm');
  const rows = await scope.db.select().from(invites).where(eq(invites.campaignId, gm.campaign.id)).orderBy(desc(invites.createdAt));
  return rows.map(presentInvite);
}

export async function revokeInvite(scope: Scope, campaignId: string, inviteId: string) {
  await requireMember(scope, campaignId, 'gm');
  const revoked = await scope.db.update(invites).set({ revokedAt: nowIso() })
    .where(and(eq(invites.id, inviteId), eq(invites.campaignId, campaignId), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  if (revoked.length === 0) throw notFound('Invite');
  await audit(scope, 'invite.revoke', { campaignId, inviteId });
}

export async function joinWithInvite(scope: Scope, code: string) {
  const { userId } = callerOf(scope);
  const invite = await scope.db.select({ invite: invites, campaign: campaigns }).from(invites)
    .innerJoin(campaigns, eq(campaigns.id, invites.campaignId))
    .where(and(eq(invites.code, code), isNull(invites.revokedAt))).get();
  if (!invite) throw notFound('Invite code');
  if (invite.campaign.status === 'archived') throw conflict('This campaign is archived');
  const existing = await findMembership(scope, invite.campaign.id, userId);
  if (existing) throw conflict(`You are already a ${existing.role} in this campaign`);
  const now = nowIso();
  if (!(await claimInvite(scope.env.DB, invite.invite.id, userId, now))) {
    throw new ProblemError(410, invite.invite.expiresAt <= now ? 'This invite code has expired' : 'This invite code has no uses left');
  }
  await audit(scope, 'member.join', { campaignId: invite.campaign.id, inviteId: invite.invite.id });
  return { campaignId: invite.campaign.id, campaignName: invite.campaign.name, role: invite.invite.role as Exclude<Role, 'gm'> };
}
