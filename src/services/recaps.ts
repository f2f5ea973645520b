/**
 * Recaps, written when a session ends (off the request path): the player-safe
 * `recap` from what players could see at the table, and the GM's `gmRecap`
 * from the whole log, by the narrator's model or, without one, as an automatic
 * summary of the log (labelled). A recap the GM already wrote is kept. Both are
 * editable (PATCH /api/sessions/{id}) and the next sessions' narrations read
 * the newest one (services/narrator.ts). The facts the campaign must remember
 * are extracted in the same pass (services/facts.ts).
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import { complete, type NarrationProvider } from '../ai/provider';
import { automaticRecap, AUTOMATIC_RECAP_LABEL, recapMessages } from '../ai/recap';
import { campaigns, gameSessions, sessionEvents } from '../db/schema';
import { logger } from '../lib/logger';
import { narrationLog, seenBy } from '../session/narration-log';
import type { SessionEvent } from '../session/protocol';
import { recordUsage } from './ai-usage';
import { extractFacts } from './facts';
import { narratorFor } from './narrator-settings';
import type { Scope } from './scope';

/** The newest events a recap reads (a very long session is summarised from its end). */
const MAX_EVENTS = 5000;
const RECAP_TIMEOUT_MS = 60_000;

const linesFor = (events: SessionEvent[], role: 'player' | 'gm') => narrationLog(seenBy(events, role));

export async function writeRecaps(scope: Scope, sessionId: string, provider?: NarrationProvider): Promise<void> {
  const { db } = scope;
  const session = await db.select().from(gameSessions).where(eq(gameSessions.id, sessionId)).get();
  if (!session) return;
  try {
    const rows = await db.select({ payload: sessionEvents.payload }).from(sessionEvents).where(eq(sessionEvents.sessionId, sessionId)).orderBy(desc(sessionEvents.seq)).limit(MAX_EVENTS);
    const events = rows.map((r) => r.payload as SessionEvent).reverse();
    const players = linesFor(events, 'player');
    const gm = linesFor(events, 'gm');
    const chosen = provider ?? (await narratorFor(scope, session.campaignId)).provider;
    let written: { recap: string; gmRecap: string; label: string };
    if (chosen.kind === 'scripted') {
      written = { recap: automaticRecap(session.title, players), gmRecap: automaticRecap(session.title, gm), label: AUTOMATIC_RECAP_LABEL };
    } else {
      const campaign = (await db.select({ name: campaigns.name }).from(campaigns).where(eq(campaigns.id, session.campaignId)).get())?.name ?? '';
      const ask = async (audience: 'players' | 'gm', lines: typeof gm) => {
        const started = Date.now();
        const out = await complete(chosen, { messages: recapMessages({ campaign, title: session.title, audience, lines }), maxTokens: 400, temperature: 0.3, signal: AbortSignal.timeout(RECAP_TIMEOUT_MS) });
        await recordUsage(scope, {
          campaignId: session.campaignId, userId: null, kind: 'recap', provider: chosen.kind, model: chosen.model, status: 'complete',
          inputTokens: out.usage?.inputTokens ?? 0, outputTokens: out.usage?.outputTokens ?? 0, durationMs: Date.now() - started,
        });
        return out.text.trim();
      };
      try {
        written = { recap: await ask('players', players), gmRecap: await ask('gm', gm), label: chosen.label };
      } catch (err) {
        // The model failed: the automatic summary stands in, and says why.
        logger.warn('recap by model failed', { sessionId, error: err instanceof Error ? err.message : String(err) });
        written = { recap: automaticRecap(session.title, players), gmRecap: automaticRecap(session.title, gm), label: `${AUTOMATIC_RECAP_LABEL.replace(' (no AI model configured)', '')} (${chosen.label} failed)` };
      }
    }
    // What the GM wrote meanwhile is theirs to keep.
    const now = await db.select({ recap: gameSessions.recap, gmRecap: gameSessions.gmRecap }).from(gameSessions).where(eq(gameSessions.id, sessionId)).get();
    await db.update(gameSessions).set({
      recap: now?.recap || written.recap, gmRecap: now?.gmRecap || written.gmRecap, recapStatus: 'ready', recapLabel: written.label, updatedAt: new Date().toISOString(),
    }).where(eq(gameSessions.id, sessionId));
    // What the campaign must remember (deaths, promises, discoveries), from what the players saw.
    await extractFacts(scope, session, players, chosen).catch((err: unknown) => logger.error('facts not extracted', { sessionId, error: err instanceof Error ? err.message : String(err) }));
  } catch (err) {
    logger.error('recap failed', { sessionId, error: err instanceof Error ? err.message : String(err) });
    await db.update(gameSessions).set({ recapStatus: 'failed' }).where(eq(gameSessions.id, sessionId));
  }
}

/** The newest recap of the campaign's ended sessions, for the narrator: the player-safe one, or the GM's for a GM audience. */
export async function latestRecap(scope: Scope, campaignId: string, audience: 'all' | 'gm'): Promise<{ title: string; text: string } | null> {
  const row = await scope.db.select({ title: gameSessions.title, recap: gameSessions.recap, gmRecap: gameSessions.gmRecap }).from(gameSessions)
    .where(and(eq(gameSessions.campaignId, campaignId), eq(gameSessions.status, 'ended'))).orderBy(desc(gameSessions.endedAt), asc(gameSessions.id)).limit(1).get();
  const text = audience === 'gm' ? row?.gmRecap || row?.recap : row?.recap;
  return row && text ? { title: row.title, text } : null;
}
