/**
 * What the narrator's model costs: every call is recorded (campaign, user,
 * kind, provider, model, tokens, estimated cost, time, outcome), daily token
 * budgets per campaign and per user are checked before a call, and the GM
 * reads the campaign's usage. The scripted narrator is recorded but costs
 * nothing and counts against no budget.
 */
import { and, eq, gte, ne, sql } from 'drizzle-orm';
import { newId } from '../db/client';
import { aiUsage, users } from '../db/schema';
import { requireMember } from './policy';
import type { Scope } from './scope';

export interface UsageRecord {
  campaignId: string;
  userId: string | null;
  kind: 'narration' | 'recap' | 'answer' | 'generation';
  provider: string;
  model: string;
  status: string;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
}

const dayStart = (now: Date) => `${now.toISOString().slice(0, 10)}T00:00:00.000Z`;
const monthStart = (now: Date) => `${now.toISOString().slice(0, 7)}-01T00:00:00.000Z`;
const tokens = sql<number>`coalesce(sum(${aiUsage.inputTokens} + ${aiUsage.outputTokens}), 0)`;

export async function recordUsage(scope: Scope, record: UsageRecord): Promise<void> {
  const { usdPerMillionInput, usdPerMillionOutput } = scope.config.narrator;
  const cost = record.provider === 'scripted' ? 0 : Math.round(record.inputTokens * usdPerMillionInput + record.outputTokens * usdPerMillionOutput);
  await scope.db.insert(aiUsage).values({ id: newId(), ...record, costMicroUsd: cost });
}

/** Null when the call may go ahead; otherwise what is spent and when it resets, in words for the table. */
export async function overBudget(scope: Scope, campaignId: string, userId: string, now = new Date()): Promise<string | null> {
  const since = dayStart(now);
  const paid = and(ne(aiUsage.provider, 'scripted'), gte(aiUsage.at, since));
  const [campaign, user] = await Promise.all([
    scope.db.select({ n: tokens }).from(aiUsage).where(and(eq(aiUsage.campaignId, campaignId), paid)).get(),
    scope.db.select({ n: tokens }).from(aiUsage).where(and(eq(aiUsage.userId, userId), paid)).get(),
  ]);
  const { dailyTokensPerCampaign, dailyTokensPerUser } = scope.config.narrator;
  const resets = 'it resets at midnight UTC';
  if (Number(campaign?.n ?? 0) >= dailyTokensPerCampaign) return `This campaign has used today's narrator allowance (${dailyTokensPerCampaign.toLocaleString('en')} tokens); ${resets}`;
  if (Number(user?.n ?? 0) >= dailyTokensPerUser) return `You have used today's narrator allowance (${dailyTokensPerUser.toLocaleString('en')} tokens); ${resets}`;
  return null;
}

/** The campaign's usage today and this month, by kind and by person, with the budgets (GM). */
export async function campaignUsage(scope: Scope, campaignId: string, now = new Date()) {
  const gm = await requireMember(scope, campaignId, 'gm');
  const period = async (since: string) => {
    const where = and(eq(aiUsage.campaignId, gm.campaign.id), gte(aiUsage.at, since));
    const totals = { calls: sql<number>`count(*)`, inputTokens: sql<number>`coalesce(sum(${aiUsage.inputTokens}), 0)`, outputTokens: sql<number>`coalesce(sum(${aiUsage.outputTokens}), 0)`, costMicroUsd: sql<number>`coalesce(sum(${aiUsage.costMicroUsd}), 0)` };
    const [all, byKind, byUser] = await Promise.all([
      scope.db.select(totals).from(aiUsage).where(where).get(),
      scope.db.select({ kind: aiUsage.kind, provider: aiUsage.provider, model: aiUsage.model, ...totals }).from(aiUsage).where(where).groupBy(aiUsage.kind, aiUsage.provider, aiUsage.model),
      scope.db.select({ userId: aiUsage.userId, displayName: users.displayName, ...totals }).from(aiUsage).leftJoin(users, eq(users.id, aiUsage.userId)).where(where).groupBy(aiUsage.userId),
    ]);
    const money = <T extends { costMicroUsd: number }>(row: T) => ({ ...row, estimatedUsd: Number(row.costMicroUsd) / 1_000_000 });
    return { since, ...money(all ?? { calls: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 }), byKind: byKind.map(money), byUser: byUser.map(money) };
  };
  const { dailyTokensPerCampaign, dailyTokensPerUser, usdPerMillionInput, usdPerMillionOutput } = scope.config.narrator;
  return {
    today: await period(dayStart(now)), month: await period(monthStart(now)),
    budgets: { dailyTokensPerCampaign, dailyTokensPerUser, usdPerMillionInput, usdPerMillionOutput, scriptedIsFree: true },
  };
}
