/**
 * Copies logged events from a GameSession to D1's `session_events`.
 * An upsert on the (session_id, seq) key makes a retried flush harmless: if
 * the object dies after D1 committed but before it marked the events flushed,
 * the next flush writes the same rows again. An event the GM later marked
 * (a removed message) is flushed again and its payload replaced.
 */
import type { StoredEvent } from './room-storage';

/**
 * D1 caps bound parameters per statement; one row per statement keeps every batch within limits. Batches are
 * small so the table keeps answering between them: locally D1 shares the runtime's thread, and a 100-row batch
 * stalled every message arriving meanwhile (bench/fanout).
 */
const STATEMENTS_PER_BATCH = 20;

/** Rows go to D1 as the room stored them: the body is copied as text, never parsed and re-serialized. */
export async function writeEventsToD1(db: D1Database, sessionId: string, campaignId: string, events: StoredEvent[]): Promise<void> {
  const insert = db.prepare(
    'INSERT INTO session_events (session_id, seq, campaign_id, type, actor_user_id, audience, recipients, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
    + ' ON CONFLICT (session_id, seq) DO UPDATE SET payload = excluded.payload',
  );
  for (let i = 0; i < events.length; i += STATEMENTS_PER_BATCH) {
    const batch = events.slice(i, i + STATEMENTS_PER_BATCH).map((e) =>
      insert.bind(sessionId, e.seq, campaignId, e.type, e.actorUserId, e.audience, e.recipients, e.body, e.at),
    );
    await db.batch(batch);
  }
}

/** The table's open sockets, for /metrics (D1 cannot see inside rooms; the room reports when the count changes). */
export async function writeConnections(db: D1Database, sessionId: string, sockets: number): Promise<void> {
  await db.prepare('UPDATE game_sessions SET connections = ? WHERE id = ?').bind(sockets, sessionId).run();
}
