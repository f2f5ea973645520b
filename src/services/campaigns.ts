/**
 * Campaigns: create (the creator becomes GM), list yours, read, update, archive and unarchive.
 */
import { and, count, desc, eq } from 'drizzle-orm';
import { newId } from '../db/client';
import { campaigns, memberships } from '../db/schema';
import type { Role } from '../game/roles';
import { conflict } from '../lib/problem';
import { audit } from './audit';
import { requireMember } from './policy';
import { callerOf, type Scope } from './scope';
import { createEntity, updateEntity } from './versioned-store';

type CampaignRow = typeof campaigns.$inferSelect;

export interface CampaignFields {
  name: string;
  gameSystem: string;
  setting: string;
  description: string;
}

export function presentCampaign(row: CampaignRow, myRole: Role) {
  return {
    id: row.id, name: row.name, gameSystem: row.gameSystem, setting: row.setting, description: row.description,
    status: row.status, createdAt: row.createdAt, updatedAt: row.updatedAt, version: row.version, myRole,
  };
}

export async function listCampaigns(scope: Scope, input: { status: 'active' | 'archived' | 'all' }) {
  const rows = await scope.db
    .select({ campaign: campaigns, role: memberships.role })
    .from(memberships)
    .innerJoin(campaigns, eq(campaigns.id, memberships.campaignId))
    .where(and(eq(memberships.userId, callerOf(scope).userId), input.status === 'all' ? undefined : eq(campaigns.status, input.status)))
    .orderBy(desc(campaigns.updatedAt));
  return rows.map((r) => presentCampaign(r.campaign, r.role));
}

export async function createCampaign(scope: Scope, input: CampaignFields) {
  const { userId } = callerOf(scope);
  const id = newId();
  const row = await createEntity(scope, 'campaign', id, { id, ...input, status: 'active', createdBy: userId }, [
    scope.db.insert(memberships).values({ campaignId: id, userId, role: 'gm' }),
  ]);
  await audit(scope, 'campaign.create', { campaignId: id });
  return presentCampaign(row, 'gm');
}

export async function getCampaign(scope: Scope, campaignId: string) {
  const member = await requireMember(scope, campaignId);
  const members = await scope.db.select({ n: count() }).from(memberships).where(eq(memberships.campaignId, member.campaign.id)).get();
  return { ...presentCampaign(member.campaign, member.role), memberCount: members?.n ?? 0 };
}

export async function updateCampaign(scope: Scope, campaignId: string, input: Partial<CampaignFields> & { version?: number }) {
  const member = await requireMember(scope, campaignId, 'gm', true);
  const { version, ...changes } = input;
  const row = await updateEntity(scope, 'campaign', member.campaign.id, member.campaign, changes, { expectedVersion: version });
  return presentCampaign(row, member.role);
}

/** Archive (read-only) or bring back. */
export async function setCampaignStatus(scope: Scope, campaignId: string, status: 'archived' | 'active') {
  const member = await requireMember(scope, campaignId, 'gm');
  if (member.campaign.status === status) throw conflict(`The campaign is already ${status}`);
  const row = await updateEntity(scope, 'campaign', member.campaign.id, member.campaign, { status });
  if (status === 'archived') await audit(scope, 'campaign.archive', { campaignId: member.campaign.id });
  return presentCampaign(row, member.role);
}
