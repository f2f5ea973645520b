/**
 * Membership: invite codes (expiry, use limits), joining, the member list,
 * role changes (GM only) and leaving. A campaign always keeps at least one GM.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { toBase64Url, randomBytes } from '../auth/encoding';
import { principalOf } from '../auth/authenticate';
import { findMembership, isGm, requireMember, type Role } from '../campaigns/access';
import { newId, nowIso } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { campaigns, invites, memberships, users } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { conflict, forbidden, notFound, ProblemError } from '../http/problem';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { audit } from '../ops/audit';

const MemberSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  email: z.string().optional().describe('Shown to GMs only'),
  role: z.enum(['gm', 'player', 'spectator']),
  joinedAt: z.string(),
}).openapi('Member');

const InviteSchema = z.object({
  id: z.string(),
  code: z.string(),
  role: z.enum(['player', 'spectator']),
  maxUses: z.number().int(),
  uses: z.number().int(),
  expiresAt: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
}).openapi('Invite');

const MemberParams = z.object({ campaignId: IdParam, userId: IdParam });
const InviteCode = z.string().trim().min(6).max(32).regex(/^[A-Za-z0-9_-]+$/, 'Invite codes are letters, digits, - and _');

const presentInvite = (i: typeof invites.$inferSelect) => ({
  id: i.id, code: i.code, role: i.role, maxUses: i.maxUses, uses: i.uses, expiresAt: i.expiresAt, createdAt: i.createdAt, revokedAt: i.revokedAt,
});

async function gmCount(c: Context<AppEnv>, campaignId: string): Promise<number> {
  const row = await c.get('db').select({ n: count() }).from(memberships).where(and(eq(memberships.campaignId, campaignId), eq(memberships.role, 'gm'))).get();
  return row?.n ?? 0;
}

async function findMember(c: Context<AppEnv>, campaignId: string, userId: string) {
  const row = await findMembership(c, campaignId, userId);
  if (!row) throw notFound('Member');
  return row;
}

export const memberRoutes = createRouter();

memberRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/members', tags: ['Members'], summary: 'Who is in the campaign',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(MemberSchema) }), 'Members'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const rows = await c.get('db')
      .select({ userId: memberships.userId, role: memberships.role, joinedAt: memberships.joinedAt, displayName: users.displayName, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.campaignId, viewer.campaign.id))
      .orderBy(asc(memberships.joinedAt));
    return c.json({ items: rows.map(({ email, ...m }) => (isGm(viewer) ? { ...m, email } : m)) }, 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'patch', path: '/campaigns/{campaignId}/members/{userId}', tags: ['Members'], summary: "Change a member's role (GM)",
    security: bearerSecurity,
    request: { params: MemberParams, body: jsonBody(z.object({ role: z.enum(['gm', 'player', 'spectator']) })) },
    responses: { 200: jsonResponse(MemberSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const viewer = await requireMember(c, campaignId, 'gm', true);
    const member = await findMember(c, campaignId, userId);
    if (member.role === 'gm' && role !== 'gm' && (await gmCount(c, campaignId)) <= 1) {
      throw conflict('A campaign needs at least one GM; promote someone else first');
    }
    await c.get('db').update(memberships).set({ role }).where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId)));
    await audit(c, 'member.role_change', { campaignId, targetUserId: userId, from: member.role, to: role });
    const user = await c.get('db').select().from(users).where(eq(users.id, userId)).get();
    return c.json({ userId, role, joinedAt: member.joinedAt, displayName: user?.displayName ?? '', email: isGm(viewer) ? user?.email : undefined }, 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/members/{userId}', tags: ['Members'],
    summary: 'Remove a member (GM), or leave the campaign (your own user id)',
    security: bearerSecurity,
    request: { params: MemberParams },
    responses: { 204: { description: 'Removed' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, userId } = c.req.valid('param');
    const me = principalOf(c).userId;
    const viewer = await requireMember(c, campaignId);
    const leaving = userId === me;
    if (!leaving && !isGm(viewer)) throw forbidden('Only the campaign GM can remove other members');
    const member = await findMember(c, campaignId, userId);
    if (member.role === 'gm' && (await gmCount(c, campaignId)) <= 1) {
      throw conflict('The last GM cannot leave; make someone else GM first, or archive the campaign');
    }
    await c.get('db').delete(memberships).where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId)));
    await audit(c, leaving ? 'member.leave' : 'member.remove', { campaignId, targetUserId: userId });
    return c.body(null, 204);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/invites', tags: ['Members'], summary: 'Create an invite code (GM)',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        role: z.enum(['player', 'spectator']).default('player'),
        maxUses: z.number().int().min(1).max(100).default(1),
        expiresInHours: z.number().int().min(1).max(24 * 30).default(72),
      })),
    },
    responses: { 201: jsonResponse(InviteSchema, 'The invite; share its code'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm', true);
    const body = c.req.valid('json');
    const row = {
      id: newId(),
      campaignId: viewer.campaign.id,
      code: toBase64Url(randomBytes(9)),
      role: body.role,
      maxUses: body.maxUses,
      uses: 0,
      expiresAt: new Date(Date.now() + body.expiresInHours * 3_600_000).toISOString(),
      createdBy: viewer.userId,
      createdAt: nowIso(),
      revokedAt: null,
    };
    await c.get('db').insert(invites).values(row);
    await audit(c, 'invite.create', { campaignId: viewer.campaign.id, inviteId: row.id, role: row.role });
    return c.json(presentInvite(row), 201);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/invites', tags: ['Members'], summary: 'Invite codes of the campaign (GM)',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(InviteSchema) }), 'Invites'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm');
    const rows = await c.get('db').select().from(invites).where(eq(invites.campaignId, viewer.campaign.id)).orderBy(desc(invites.createdAt));
    return c.json({ items: rows.map(presentInvite) }, 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/invites/{id}', tags: ['Members'], summary: 'Revoke an invite code (GM)',
    security: bearerSecurity,
    request: { params: z.object({ campaignId: IdParam, id: IdParam }) },
    responses: { 204: { description: 'Revoked' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    await requireMember(c, campaignId, 'gm');
    const revoked = await c.get('db').update(invites).set({ revokedAt: nowIso() })
      .where(and(eq(invites.id, id), eq(invites.campaignId, campaignId), isNull(invites.revokedAt)))
      .returning({ id: invites.id });
    if (revoked.length === 0) throw notFound('Invite');
    await audit(c, 'invite.revoke', { campaignId, inviteId: id });
    return c.body(null, 204);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'post', path: '/invites/join', tags: ['Members'], summary: 'Join a campaign with an invite code',
    security: bearerSecurity,
    request: { body: jsonBody(z.object({ code: InviteCode })) },
    responses: {
      201: jsonResponse(z.object({ campaignId: z.string(), campaignName: z.string(), role: z.enum(['player', 'spectator']) }), 'Joined'),
      410: { description: 'The invite expired or has no uses left', content: commonErrors[404].content },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { code } = c.req.valid('json');
    const { userId } = principalOf(c);
    const db = c.get('db');
    const invite = await db.select({ invite: invites, campaign: campaigns }).from(invites)
      .innerJoin(campaigns, eq(campaigns.id, invites.campaignId))
      .where(and(eq(invites.code, code), isNull(invites.revokedAt))).get();
    if (!invite) throw notFound('Invite code');
    if (invite.campaign.status === 'archived') throw conflict('This campaign is archived');
    const existing = await findMembership(c, invite.campaign.id, userId);
    if (existing) throw conflict(`You are already a ${existing.role} in this campaign`);
    const now = nowIso();
    // Claiming a use and adding the member commit together in one batch (a transaction):
    // the insert runs only when the conditional update claimed a use (changes() = 1),
    // so spent, expired or revoked codes add nobody, even under concurrent joins.
    const [claim] = await c.env.DB.batch([
      c.env.DB.prepare('UPDATE invites SET uses = uses + 1 WHERE id = ?1 AND uses < max_uses AND expires_at > ?2 AND revoked_at IS NULL')
        .bind(invite.invite.id, now),
      c.env.DB.prepare('INSERT INTO memberships (campaign_id, user_id, role, joined_at) SELECT campaign_id, ?1, role, ?2 FROM invites WHERE id = ?3 AND changes() = 1')
        .bind(userId, now, invite.invite.id),
    ]).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw conflict('You are already a member of this campaign');
      throw err;
    });
    if (!claim || claim.meta.changes === 0) {
      throw new ProblemError(410, invite.invite.expiresAt <= now ? 'This invite code has expired' : 'This invite code has no uses left');
    }
    await audit(c, 'member.join', { campaignId: invite.campaign.id, inviteId: invite.invite.id });
    return c.json({ campaignId: invite.campaign.id, campaignName: invite.campaign.name, role: invite.invite.role as Exclude<Role, 'gm'> }, 201);
  },
);
