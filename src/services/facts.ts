/**
 * What the campaign remembers: facts extracted when a session ends (from what
 * the players saw, so they are party knowledge) or written by the GM (party or
 * GM-only). Members read the facts they may know; the GM corrects, hides or
 * retracts them. Narrations read the active ones their audience may know.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import { automaticFacts, FactsSchema, factsMessages, type FactKind } from '../ai/facts';
import type { LogLine } from '../ai/context';
import type { NarrationProvider } from '../ai/provider';
import { generateStructured } from '../ai/structured';
import { newId } from '../db/client';
import { campaignFacts } from '../db/schema';
import { logger } from '../lib/logger';
import { notFound } from '../lib/problem';
import { metered } from './ai-usage';
import { isGm, requireMember } from './policy';
import type { Scope } from './scope';

type FactRow = typeof campaignFacts.$inferSelect;

const present = (f: FactRow) => ({ id: f.id, kind: f.kind, text: f.text, visibility: f.visibility, source: f.source, status: f.status, sessionId: f.sessionId, createdAt: f.createdAt, updatedAt: f.updatedAt });

/** Session end (recaps.ts): facts from the players' view of the log, by the model or by the automatic rule. */
export async function extractFacts(scope: Scope, session: { id: string; campaignId: string; title: string }, lines: LogLine[], provider: NarrationProvider): Promise<number> {
  let facts: { kind: FactKind; text: string }[];
  if (provider.kind === 'scripted') facts = automaticFacts(lines);
  else {
    try {
      const out = await metered(scope, { campaignId: session.campaignId, userId: null, kind: 'recap', provider },
        () => generateStructured(provider, factsMessages(session.title, lines), FactsSchema, { signal: AbortSignal.timeout(60_000) }));
      facts = out.value.facts;
    } catch (err) {
      logger.warn('facts by model failed; automatic facts instead', { sessionId: session.id, error: err instanceof Error ? err.message : String(err) });
      facts = automaticFacts(lines);
    }
  }
  if (facts.length) {
    await scope.db.insert(campaignFacts).values(facts.map((f) => ({ id: newId(), campaignId: session.campaignId, sessionId: session.id, kind: f.kind, text: f.text, visibility: 'party' as const, source: 'extracted' as const })));
  }
  return facts.length;
}

/** The active facts an audience may know, newest first (for the narrator). */
export async function factsFor(scope: Scope, campaignId: string, audience: 'all' | 'gm', limit = 20) {
  const rows = await scope.db.select().from(campaignFacts)
    .where(and(eq(campaignFacts.campaignId, campaignId), eq(campaignFacts.status, 'active'), audience === 'gm' ? undefined : eq(campaignFacts.visibility, 'party')))
    .orderBy(desc(campaignFacts.createdAt)).limit(limit);
  return rows.map((r) => ({ kind: r.kind, text: r.text }));
}

export async function listFacts(scope: Scope, campaignId: string, input: { status?: 'active' | 'retracted' }) {
  const member = await requireMember(scope, campaignId);
  const rows = await scope.db.select().from(campaignFacts).where(and(
    eq(campaignFacts.campaignId, member.campaign.id),
    input.status ? eq(campaignFacts.status, input.status) : undefined,
    // Players know the party's facts; retracted ones are the GM's business.
    isGm(member) ? undefined : and(eq(campaignFacts.visibility, 'party'), ne(campaignFacts.status, 'retracted')),
  )).orderBy(desc(campaignFacts.createdAt)).limit(500);
  return { items: rows.map(present) };
}

export async function addFact(scope: Scope, campaignId: string, input: { kind: FactKind; text: string; visibility: 'party' | 'gm' }) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const [row] = await scope.db.insert(campaignFacts).values({ id: newId(), campaignId: gm.campaign.id, ...input, source: 'gm' }).returning();
  return present(row!);
}

export async function updateFact(scope: Scope, campaignId: string, factId: string, input: { kind?: FactKind; text?: string; visibility?: 'party' | 'gm'; status?: 'active' | 'retracted' }) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const [row] = await scope.db.update(campaignFacts).set({ ...input, updatedAt: new Date().toISOString() })
    .where(and(eq(campaignFacts.id, factId), eq(campaignFacts.campaignId, gm.campaign.id))).returning();
  if (!row) throw notFound('Fact');
  return present(row);
}
