/**
 * Per-campaign authorisation, checked on every read and write.
 *
 * A campaign the caller is not a member of answers 404 (not 403), so ids of
 * other tenants' campaigns reveal nothing. Inside a campaign, a role lower
 * than needed answers 403.
 */
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { principalOf } from '../auth/authenticate';
import { campaigns, memberships } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { conflict, forbidden, notFound } from '../http/problem';

export type Role = 'gm' | 'player' | 'spectator';
const RANK: Record<Role, number> = { spectator: 0, player: 1, gm: 2 };

export interface Viewer {
  userId: string;
  role: Role;
  campaign: typeof campaigns.$inferSelect;
}

export const isGm = (v: Viewer) => v.role === 'gm';

/**
 * Loads the caller's membership of `campaignId`.
 * @param minRole  the lowest role allowed (default: any member, spectators included)
 * @param write    true for changes: archived campaigns are read-only (409)
 */
export async function requireMember(c: Context<AppEnv>, campaignId: string, minRole: Role = 'spectator', write = false): Promise<Viewer> {
  const { userId } = principalOf(c);
  const row = await c.get('db')
    .select({ campaign: campaigns, role: memberships.role })
    .from(memberships)
    .innerJoin(campaigns, eq(campaigns.id, memberships.campaignId))
    .where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId)))
    .get();
  if (!row) throw notFound('Campaign');
  if (RANK[row.role] < RANK[minRole]) {
    throw forbidden(minRole === 'gm' ? 'Only the campaign GM can do this' : 'Spectators can read but not change anything');
  }
  if (write && row.campaign.status === 'archived') throw conflict('The campaign is archived; unarchive it to make changes');
  return { userId, role: row.role, campaign: row.campaign };
}

/** The membership of `userId` in `campaignId`, if any (for checks on other members: owners, recipients). */
export async function findMembership(c: Context<AppEnv>, campaignId: string, userId: string) {
  return c.get('db').select().from(memberships).where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId))).get();
}
