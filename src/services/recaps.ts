/**
 * Recaps, written when a session ends (off the request path): the player-safe
 * `recap` from what players could see at the table, and the GM's `gmRecap`
 * from the whole log, by the narrator's model or, without one, as an automatic
 * summary of the log (labelled). A recap the GM already wrote is kept. Both are
 * editable (PATCH /api/sessions/{id}) and the next sessions' narrations read
 * the newest one, and the earlier ones that bear on the request (services/narrator.ts).
 * Recaps are searchable (FTS5; fused with Vectorize in production), each audience
 * only what it may read. The facts the campaign must remember
 * are extracted in the same pass (services/facts.ts).
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { complete, type NarrationProvider } from '../ai/provider';
import { automaticRecap, AUTOMATIC_RECAP_LABEL, recapMessages } from '../ai/recap';
import { campaigns, gameSessions, sessionEvents } from '../db/schema';
import { logger } from '../lib/logger';
import { narrationLog, seenBy } from '../session/narration-log';
import type { SessionEvent } from '../session/protocol';
import { metered } from './ai-usage';
import { DEFAULT_WEIGHTS, fuse } from '../rules/fusion';
import { embed, semanticBindings } from '../rules/embeddings';
import { isGm } from '../game/roles';
import { extractFacts } from './facts';
import { requireMember } from './policy';
import { markedHtml, matchRecaps, recapText } from './recap-store';
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
        const out = await metered(scope, { campaignId: session.campaignId, userId: null, kind: 'recap', provider: chosen },
          () => complete(chosen, { messages: recapMessages({ campaign, title: session.title, audience, lines }), maxTokens: 400, temperature: 0.3, signal: AbortSignal.timeout(RECAP_TIMEOUT_MS) }));
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
    const stored = { id: sessionId, campaignId: session.campaignId, title: session.title, recap: now?.recap || written.recap, gmRecap: now?.gmRecap || written.gmRecap };
    await indexRecapVectors(scope, stored).catch((err: unknown) => logger.warn('recap not embedded', { sessionId, error: err instanceof Error ? err.message : String(err) }));
    // What the campaign must remember (deaths, promises, discoveries), from what the players saw.
    await extractFacts(scope, session, players, chosen).catch((err: unknown) => logger.error('facts not extracted', { sessionId, error: err instanceof Error ? err.message : String(err) }));
  } catch (err) {
    logger.error('recap failed', { sessionId, error: err instanceof Error ? err.message : String(err) });
    await db.update(gameSessions).set({ recapStatus: 'failed' }).where(eq(gameSessions.id, sessionId));
  }
}

/** The newest recap of the campaign's ended sessions, for the narrator: the player-safe one, or the GM's for a GM audience. */
export async function latestRecap(scope: Scope, campaignId: string, audience: 'all' | 'gm'): Promise<{ sessionId: string; title: string; text: string } | null> {
  const row = await scope.db.select({ id: gameSessions.id, title: gameSessions.title, recap: gameSessions.recap, gmRecap: gameSessions.gmRecap }).from(gameSessions)
    .where(and(eq(gameSessions.campaignId, campaignId), eq(gameSessions.status, 'ended'))).orderBy(desc(gameSessions.endedAt), asc(gameSessions.id)).limit(1).get();
  const text = row ? recapText(row, audience === 'gm') : '';
  return row && text ? { sessionId: row.id, title: row.title, text } : null;
}

// ── Search ──────────────────────────────────────────────────────────────

const RECAP_VECTOR_NAMESPACE = (campaignId: string) => `recaps:${campaignId}`;
const recapVectorId = (sessionId: string, audience: 'party' | 'gm') => `recap:${sessionId}:${audience}`;

/**
 * In production (Workers AI and Vectorize bound) a session's recaps are embedded for meaning-based search: the
 * player-safe one as `party`, the GM's as `gm`, in the campaign's recap namespace. Without the bindings, nothing.
 */
export async function indexRecapVectors(scope: Scope, session: { id: string; campaignId: string; title: string; recap: string; gmRecap: string }): Promise<void> {
  const semantic = semanticBindings(scope.env);
  if (!semantic) return;
  const parts = ([['party', session.recap], ['gm', session.gmRecap]] as const).filter(([, text]) => text.trim());
  if (!parts.length) return;
  const vectors = await embed(semantic.ai, parts.map(([, text]) => `${session.title}\n${text}`));
  await semantic.index.upsert(parts.map(([audience], i) => ({
    id: recapVectorId(session.id, audience), values: vectors[i]!, namespace: RECAP_VECTOR_NAMESPACE(session.campaignId),
    metadata: { sessionId: session.id, audience },
  })));
}

const SEARCH_LIMIT = 10;

/**
 * Searches the campaign's ended sessions' recaps: players and spectators the player-safe recaps (and titles), the GM
 * the GM's recaps too. Lexical (FTS5) everywhere, fused with meaning-based matches where Vectorize is bound.
 */
export async function searchRecaps(scope: Scope, campaignId: string, input: { q: string; limit?: number }) {
  const member = await requireMember(scope, campaignId);
  const gm = isGm(member);
  const limit = Math.min(input.limit ?? SEARCH_LIMIT, 20);
  const lexical = await matchRecaps(scope.env.DB, member.campaign.id, input.q, gm, limit);
  const semantic = semanticBindings(scope.env);
  let semanticIds: string[] = [];
  if (semantic) {
    const [vector] = await embed(semantic.ai, [input.q]);
    const found = await semantic.index.query(vector!, { topK: limit, namespace: RECAP_VECTOR_NAMESPACE(member.campaign.id), returnMetadata: 'indexed', ...(gm ? {} : { filter: { audience: 'party' } }) });
    semanticIds = [...new Set(found.matches.map((m) => String(m.metadata?.sessionId ?? '')).filter(Boolean))];
  }
  const ids = [...new Set([...lexical.map((h) => h.sessionId), ...semanticIds])];
  const fused = fuse([{ weight: DEFAULT_WEIGHTS.lexical, ids: lexical.map((h) => ids.indexOf(h.sessionId)) }, { weight: DEFAULT_WEIGHTS.semantic, ids: semanticIds.map((id) => ids.indexOf(id)) }]);
  const missing = semanticIds.filter((id) => !lexical.some((h) => h.sessionId === id));
  const extra = missing.length
    ? await scope.db.select().from(gameSessions).where(and(eq(gameSessions.campaignId, member.campaign.id), eq(gameSessions.status, 'ended'), inArray(gameSessions.id, missing)))
    : [];
  const items = fused.slice(0, limit).flatMap(({ id }) => {
    const sessionId = ids[id]!;
    const hit = lexical.find((h) => h.sessionId === sessionId);
    if (hit) return [{ sessionId, title: hit.title, endedAt: hit.endedAt, snippet: hit.snippet }];
    const row = extra.find((s) => s.id === sessionId);
    const text = row ? recapText(row, gm) : '';
    return row && text ? [{ sessionId, title: row.title, endedAt: row.endedAt, snippet: markedHtml(text.length > 240 ? `${text.slice(0, 240)}…` : text) }] : [];
  });
  return { items, semantic: Boolean(semantic) };
}

/** Earlier recaps that bear on a narration's request (besides the newest, which every narration reads). */
export async function relatedRecaps(scope: Scope, campaignId: string, audience: 'all' | 'gm', request: string, skipSessionId: string | null): Promise<{ title: string; text: string }[]> {
  const hits = await matchRecaps(scope.env.DB, campaignId, request, audience === 'gm', 3);
  return hits.filter((h) => h.text && h.sessionId !== skipSessionId).slice(0, 2).map((h) => ({ title: h.title, text: h.text.slice(0, 1200) }));
}
