/**
 * The GameSession's own SQLite: the event log (the source of truth until it
 * is flushed to D1), the room state and single-use connection tickets.
 * Synchronous SQL inside the Durable Object; callers group writes with
 * `transactionSync` so an event and the state it changes commit together.
 */
import type { Actor, SessionEvent, UnsequencedEvent } from './protocol';
import { emptyRoomState, type RoomState } from './room-state';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     actor_user_id TEXT,
     audience TEXT NOT NULL,
     recipients TEXT,
     body TEXT NOT NULL,
     flushed INTEGER NOT NULL DEFAULT 0)`,
  'CREATE INDEX IF NOT EXISTS events_unflushed ON events (flushed, seq)',
  'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS tickets (ticket_hash TEXT PRIMARY KEY, actor TEXT NOT NULL, expires_at INTEGER NOT NULL)',
];

export interface RoomMeta {
  sessionId: string;
  campaignId: string;
  status: 'live' | 'ended';
}

export class RoomStorage {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  private getMeta<T>(key: string): T | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private setMeta(key: string, value: unknown) {
    this.sql.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', key, JSON.stringify(value));
  }

  meta(): RoomMeta | null {
    return this.getMeta<RoomMeta>('room');
  }

  setRoomMeta(meta: RoomMeta) {
    this.setMeta('room', meta);
  }

  state(): RoomState {
    return this.getMeta<RoomState>('state') ?? emptyRoomState();
  }

  saveState(state: RoomState) {
    this.setMeta('state', state);
  }

  /** Appends an event and returns it with its sequence number. */
  append(event: UnsequencedEvent): SessionEvent {
    const { seq } = this.sql.exec<{ seq: number }>(
      'INSERT INTO events (type, at, actor_user_id, audience, recipients, body) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq',
      event.type, event.at, event.actor?.userId ?? null, event.audience, event.recipients ? JSON.stringify(event.recipients) : null, JSON.stringify(event),
    ).one();
    return { ...event, seq } as SessionEvent;
  }

  lastSeq(): number {
    const row = this.sql.exec<{ seq: number | null }>('SELECT max(seq) AS seq FROM events').one();
    return row.seq ?? this.getMeta<number>('trimmedThrough') ?? 0;
  }

  /** The oldest sequence number still in the log (replays from before it need a snapshot). */
  firstRetainedSeq(): number {
    const row = this.sql.exec<{ seq: number | null }>('SELECT min(seq) AS seq FROM events').one();
    return row.seq ?? this.lastSeq() + 1;
  }

  eventsAfter(seq: number, limit: number): SessionEvent[] {
    return this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?', seq, limit)
      .toArray().map((r) => ({ ...JSON.parse(r.body), seq: r.seq }));
  }

  countAfter(seq: number): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM events WHERE seq > ?', seq).one().n;
  }

  unflushed(limit: number): SessionEvent[] {
    return this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM events WHERE flushed = 0 ORDER BY seq LIMIT ?', limit)
      .toArray().map((r) => ({ ...JSON.parse(r.body), seq: r.seq }));
  }

  unflushedCount(): number {
    return this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM events WHERE flushed = 0').one().n;
  }

  markFlushed(throughSeq: number) {
    this.sql.exec('UPDATE events SET flushed = 1 WHERE flushed = 0 AND seq <= ?', throughSeq);
  }

  /** Forgets flushed events beyond the newest `keep` (they live on in D1). */
  trim(keep: number) {
    const cutoff = this.lastSeq() - keep;
    if (cutoff <= 0) return;
    this.sql.exec('DELETE FROM events WHERE flushed = 1 AND seq <= ?', cutoff);
    this.setMeta('trimmedThrough', Math.max(cutoff, this.getMeta<number>('trimmedThrough') ?? 0));
  }

  saveTicket(ticketHash: string, actor: Actor, expiresAt: number) {
    this.sql.exec('DELETE FROM tickets WHERE expires_at < ?', Date.now());
    this.sql.exec('INSERT INTO tickets (ticket_hash, actor, expires_at) VALUES (?, ?, ?)', ticketHash, JSON.stringify(actor), expiresAt);
  }

  /** Returns the ticket's actor and deletes it: a ticket works once. */
  consumeTicket(ticketHash: string): Actor | null {
    const row = this.sql.exec<{ actor: string }>('DELETE FROM tickets WHERE ticket_hash = ? AND expires_at >= ? RETURNING actor', ticketHash, Date.now()).toArray()[0];
    return row ? (JSON.parse(row.actor) as Actor) : null;
  }
}
