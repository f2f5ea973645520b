/**
 * What the narrator's model costs: every call is recorded (campaign, user,
 * kind, provider, model, tokens, estimated cost, time, outcome), daily token
 * budgets per campaign and per user are checked before a call, and the GM
 * reads the campaign's usage. The scripted narrator is recorded but costs
 * nothing and counts against no budget.
 */
import { and, eq, gte, notInArray, sql } from 'drizzle-orm';
import type { NarrationProvider, Usage } from '../ai/provider';
import { newId } from '../db/client';
import { aiUsage, users } from '../db/schema';
import { ProblemError } from '../lib/problem';
import { limiterFor, perMinute } from '../ops/rate-limit/limiter';
import { requireMember } from './policy';
import type { Scope } from './scope';

export interface UsageRecord {
  campaignId: string;
  userId: string | null;
  kind: 'narration' | 'recap' | 'answer' | 'generation' | 'speech' | 'judgement';
  provider: string;
  model: string;
  status: string;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  /** Speech: characters spoken (priced per thousand; counted against budgets as about four characters a token). */
  characters?: number;
}

const dayStart = (now: Date) => `${now.toISOString().slice(0, 10)}T00:00:00.000Z`;
const monthStart = (now: Date) => `${now.toISOString().slice(0, 7)}-01T00:00:00.000Z`;
const tokens = sql<number>`coalesce(sum(${aiUsage.inputTokens} + ${aiUsage.outputTokens}), 0)`;
/** Providers that cost nothing and count against no allowance: the scripted narrator and the placeholder tones. */
const FREE_PROVIDERS = ['scripted', 'tones'];

export async function recordUsage(scope: Scope, record: UsageRecord): Promise<void> {
  const { usdPerMillionInput, usdPerMillionOutput, speechUsdPerThousandChars } = scope.config.narrator;
  const { characters, ...row } = record;
  const cost = FREE_PROVIDERS.includes(record.provider) ? 0 : characters !== undefined ? Math.round(characters * speechUsdPerThousandChars * 1000) : Math.round(record.inputTokens * usdPerMillionInput + record.outputTokens * usdPerMillionOutput);
  await scope.db.insert(aiUsage).values({ id: newId(), ...row, costMicroUsd: cost });
}

/**
 * Runs one model call and records it with its tokens and time when it answers; with `countFailures`, a call that
 * throws is recorded as failed too (then rethrown).
 */
export async function metered<T extends { usage: Usage | null }>(
  scope: Scope,
  call: { campaignId: string; userId: string | null; kind: UsageRecord['kind']; provider: Pick<NarrationProvider, 'kind' | 'model'>; countFailures?: boolean },
  run: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const row = { campaignId: call.campaignId, userId: call.userId, kind: call.kind, provider: call.provider.kind, model: call.provider.model };
  let out: T;
  try {
    out = await run();
  } catch (err) {
    if (call.countFailures) await recordUsage(scope, { ...row, status: 'failed', inputTokens: 0, outputTokens: 0, durationMs: Date.now() - started }).catch(() => {});
    throw err;
  }
  await recordUsage(scope, { ...row, status: 'complete', inputTokens: out.usage?.inputTokens ?? 0, outputTokens: out.usage?.outputTokens ?? 0, durationMs: Date.now() - started });
  return out;
}

/** Null when the call may go ahead; otherwise what is spent and when it resets, in words for the table. */
export async function overBudget(scope: Scope, campaignId: string, userId: string, now = new Date()): Promise<string | null> {
  const { dailyTokensPerCampaign, dailyTokensPerUser, monthlyTokensPerCampaign, monthlyTokensPerUser } = scope.config.narrator;
  const spent = async (since: string) => {
    const paid = and(notInArray(aiUsage.provider, FREE_PROVIDERS), gte(aiUsage.at, since));
    const [campaign, user] = await Promise.all([
      scope.db.select({ n: tokens }).from(aiUsage).where(and(eq(aiUsage.campaignId, campaignId), paid)).get(),
      scope.db.select({ n: tokens }).from(aiUsage).where(and(eq(aiUsage.userId, userId), paid)).get(),
    ]);
    return { campaign: Number(campaign?.n ?? 0), user: Number(user?.n ?? 0) };
  };
  const [day, month] = await Promise.all([spent(dayStart(now)), spent(monthStart(now))]);
  const n = (x: number) => x.toLocaleString('en');
  if (month.campaign >= monthlyTokensPerCampaign) return `This campaign has used this month's narrator allowance (${n(monthlyTokensPerCampaign)} tokens); it resets on the 1st (UTC)`;
  if (month.user >= monthlyTokensPerUser) return `You have used this month's narrator allowance (${n(monthlyTokensPerUser)} tokens); it resets on the 1st (UTC)`;
  if (day.campaign >= dailyTokensPerCampaign) return `This campaign has used today's narrator allowance (${n(dailyTokensPerCampaign)} tokens); it resets at midnight UTC`;
  if (day.user >= dailyTokensPerUser) return `You have used today's narrator allowance (${n(dailyTokensPerUser)} tokens); it resets at midnight UTC`;
  return null;
}

/**
 * The per-user pace of model calls (generators, answers, judgements, speech, narrations), shared by every door:
 * a token bucket of `AI_CALLS_PER_MINUTE_PER_USER`. Scripted and template work is free and not counted.
 * Throws a 429 problem with Retry-After when the bucket is empty.
 */
export async function takeAiCall(scope: Scope, userId: string): Promise<void> {
  const limit = scope.config.narrator.callsPerMinutePerUser;
  const result = await limiterFor(scope.env.RATE_LIMITER, `ai:user:${userId}`).take(perMinute(limit));
  if (!result.allowed) {
    throw new ProblemError(429, `You are asking the narrator's model too often (${limit} calls a minute); try again in ${result.retryAfterSeconds} s`, {}, { 'Retry-After': String(result.retryAfterSeconds) });
  }
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
  const { dailyTokensPerCampaign, dailyTokensPerUser, monthlyTokensPerCampaign, monthlyTokensPerUser, callsPerMinutePerUser, usdPerMillionInput, usdPerMillionOutput, speechUsdPerThousandChars } = scope.config.narrator;
  return {
    today: await period(dayStart(now)), month: await period(monthStart(now)),
    budgets: { dailyTokensPerCampaign, dailyTokensPerUser, monthlyTokensPerCampaign, monthlyTokensPerUser, callsPerMinutePerUser, usdPerMillionInput, usdPerMillionOutput, speechUsdPerThousandChars, scriptedIsFree: true },
  };
}
