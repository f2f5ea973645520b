/**
 * The GameSession's own SQLite: the event log (the source of truth until it
 * is flushed to D1), the room state and single-use connection tickets.
 * Synchronous SQL inside the Durable Object; callers group writes with
 * `transactionSync` so an event and the state it changes commit together.
 *
 * Positions: each event has a room-wide `seq` (storage order, never sent to
 * anyone) and, for each viewer, a position: how many events that viewer may
 * see up to and including it. `pub` (events seen by everyone so far) is
 * stored on every event, and events with a narrower audience are also kept,
 * untrimmed, in `restricted`; a viewer's position is `pub` plus the
 * restricted events they may see. Gaps in a viewer's numbering therefore
 * never reveal an event they may not see.
 */
import type { Actor, SessionEvent, UnsequencedEvent } from './protocol';
import { emptyRoomState, type RoomState } from './room-state';
import { restrictedVisibleSql, type Viewer } from './visibility';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     actor_user_id TEXT,
     audience TEXT NOT NULL,
     recipients TEXT,
     body TEXT NOT NULL,
     pub INTEGER NOT NULL DEFAULT 0,
     event_id TEXT)`,
  // What is copied to D1 is a watermark in meta (`flushedThrough`), not a per-row flag: no index to maintain on
  // every insert and no row rewritten per flush. Rows rewritten after their copy wait in `reflush`.
  'DROP INDEX IF EXISTS events_unflushed',
  'CREATE TABLE IF NOT EXISTS reflush (seq INTEGER PRIMARY KEY)',
  // No index on event_id: every insert would pay for it, and lookups by id (a reveal, a removal) are rare and scan
  // at most the retained 2000 rows.
  'DROP INDEX IF EXISTS events_event_id',
  'CREATE TABLE IF NOT EXISTS restricted (seq INTEGER PRIMARY KEY, audience TEXT NOT NULL, actor_user_id TEXT, recipients TEXT)',
  'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS tickets (ticket_hash TEXT PRIMARY KEY, actor TEXT NOT NULL, expires_at INTEGER NOT NULL)',
];

export interface RoomMeta {
  sessionId: string;
  campaignId: string;
  status: 'live' | 'ended';
}

/** An event row as stored (the body as JSON text), for the copy to D1. */
export type StoredEvent = {
  seq: number;
  type: string;
  at: string;
  actorUserId: string | null;
  audience: string;
  recipients: string | null;
  body: string;
};

/** An event as a viewer receives it in a replay: with their position. */
export interface PositionedEvent {
  position: number;
  event: SessionEvent;
}

export class RoomStorage {
  /** Read once per wake-up, then kept in step by the writers below (the object is single-threaded). */
  #meta: RoomMeta | null | undefined;
  #state: RoomState | undefined;
  #lastSeq: number | undefined;
  #pub: number | undefined;

  constructor(private readonly sql: SqlStorage) {
    // Rooms created before positions existed get the columns added (CREATE TABLE IF NOT EXISTS keeps old tables).
    const columns = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('events')").toArray().map((c) => c.name));
    if (columns.size > 0 && !columns.has('pub')) {
      sql.exec('ALTER TABLE events ADD COLUMN pub INTEGER NOT NULL DEFAULT 0');
      sql.exec('ALTER TABLE events ADD COLUMN event_id TEXT');
    }
    for (const statement of SCHEMA) sql.exec(statement);
    // Rooms that kept a per-row `flushed` flag: the watermark is just before their oldest unflushed event.
    if (columns.has('flushed') && this.getMeta<number>('flushedThrough') === null) {
      const row = sql.exec<{ first: number | null; last: number | null }>('SELECT min(CASE WHEN flushed = 0 THEN seq END) AS first, max(seq) AS last FROM events').one();
      this.setMeta('flushedThrough', row.first !== null ? row.first - 1 : row.last ?? 0);
    }
  }

  /** Drops the cached counters and state, after a write transaction failed. */
  forgetCache() {
    this.#meta = this.#state = this.#lastSeq = this.#pub = undefined;
  }

  private getMeta<T>(key: string): T | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private setMeta(key: string, value: unknown) {
    this.sql.exec('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', key, JSON.stringify(value));
  }

  meta(): RoomMeta | null {
    if (this.#meta === undefined) this.#meta = this.getMeta<RoomMeta>('room');
    return this.#meta;
  }

  setRoomMeta(meta: RoomMeta) {
    this.setMeta('room', meta);
    this.#meta = meta;
  }

  /** The room state; callers treat it as immutable (the engine returns a new object for every change). */
  state(): RoomState {
    if (this.#state === undefined) this.#state = { ...emptyRoomState(), ...this.getMeta<RoomState>('state') };
    return this.#state;
  }

  saveState(state: RoomState) {
    this.setMeta('state', state);
    this.#state = state;
  }

  /**
   * Logs an event and gives it its room-wide sequence number; `body` is its JSON as stored (without `seq`), which a
   * broadcast can send as is. The event passed in becomes the logged event (its `seq` set on it, not on a copy):
   * pass one the caller owns.
   */
  append(event: UnsequencedEvent & { eventId: string }): { event: SessionEvent; body: string } {
    const restricted = event.audience !== 'all';
    const pub = this.publicCount() + (restricted ? 0 : 1);
    const recipients = event.recipients ? JSON.stringify(event.recipients) : null;
    // The room numbers its own events (it is their only writer, and the newest row is never deleted): a plain
    // INSERT, with no RETURNING row to read back (bench/fanout, profiled: reading it was ~4% of a message's time).
    const seq = this.lastSeq() + 1;
    const body = JSON.stringify(event);
    this.sql.exec(
      'INSERT INTO events (seq, type, at, actor_user_id, audience, recipients, body, pub, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      seq, event.type, event.at, event.actor?.userId ?? null, event.audience, recipients, body, pub, event.eventId,
    );
    if (restricted) this.sql.exec('INSERT INTO restricted (seq, audience, actor_user_id, recipients) VALUES (?, ?, ?, ?)', seq, event.audience, event.actor?.userId ?? null, recipients);
    this.#pub = pub;
    this.#lastSeq = seq;
    const logged = event as unknown as SessionEvent;
    logged.seq = seq;
    return { event: logged, body };
  }

  /** Rewrites a stored event's body (moderation marks); it is copied to D1 again at the next flush. */
  rewrite(seq: number, event: SessionEvent) {
    const { seq: _omit, ...body } = event;
    this.sql.exec('UPDATE events SET body = ? WHERE seq = ?', JSON.stringify(body), seq);
    this.sql.exec('INSERT OR IGNORE INTO reflush (seq) VALUES (?)', seq);
  }

  /** A retained event by its id (for reveals and moderation), or null when unknown or trimmed. */
  byEventId(eventId: string): SessionEvent | null {
    const row = this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM events WHERE event_id = ?', eventId).toArray()[0];
    return row ? { ...JSON.parse(row.body), seq: row.seq } : null;
  }

  lastSeq(): number {
    if (this.#lastSeq === undefined) {
      const row = this.sql.exec<{ seq: number | null }>('SELECT max(seq) AS seq FROM events').one();
      this.#lastSeq = row.seq ?? this.getMeta<number>('trimmedThrough') ?? 0;
    }
    return this.#lastSeq;
  }

  /** How many events everyone may see, so far. */
  private publicCount(): number {
    if (this.#pub === undefined) {
      const row = this.sql.exec<{ pub: number }>('SELECT pub FROM events ORDER BY seq DESC LIMIT 1').toArray()[0];
      this.#pub = row?.pub ?? this.getMeta<number>('trimmedPub') ?? 0;
    }
    return this.#pub;
  }

  /** The viewer's position now: how many events they may see. */
  position(viewer: Viewer): number {
    const visible = restrictedVisibleSql(viewer);
    const { n } = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM restricted WHERE ${visible.where}`, ...visible.params).one();
    return this.publicCount() + n;
  }

  /**
   * The retained events the viewer may see after their position `after`, with their positions,
   * and the position of the oldest one still retained (a replay from before it needs a snapshot).
   */
  visibleAfter(viewer: Viewer, after: number, limit: number): { events: PositionedEvent[]; oldest: number | null } {
    const visible = restrictedVisibleSql(viewer);
    const numbered = `WITH mine AS (SELECT seq FROM restricted WHERE ${visible.where})
      SELECT e.seq, e.body, e.pub + (SELECT count(*) FROM mine WHERE mine.seq <= e.seq) AS position
      FROM events e WHERE (e.audience = 'all' OR e.seq IN (SELECT seq FROM mine))`;
    const oldest = this.sql.exec<{ position: number }>(`${numbered} ORDER BY e.seq LIMIT 1`, ...visible.params).toArray()[0]?.position ?? null;
    const rows = this.sql.exec<{ seq: number; body: string; position: number }>(`SELECT * FROM (${numbered}) WHERE position > ? ORDER BY seq LIMIT ?`, ...visible.params, after, limit).toArray();
    return { events: rows.map((r) => ({ position: r.position, event: { ...JSON.parse(r.body), seq: r.seq } })), oldest };
  }

  /** How far the log has been copied to D1. */
  private flushedThrough(): number {
    return this.getMeta<number>('flushedThrough') ?? 0;
  }

  /**
   * The next rows to copy to D1: rewritten rows that were already copied, then new rows, oldest first.
   * Pass the result to `markFlushed` once D1 has them.
   */
  unflushed(limit: number): { rows: StoredEvent[]; through: number; reflushed: number[] } {
    const columns = 'e.seq, e.type, e.at, e.actor_user_id AS actorUserId, e.audience, e.recipients, e.body';
    const through = this.flushedThrough();
    const again = this.sql.exec<StoredEvent>(`SELECT ${columns} FROM reflush r JOIN events e ON e.seq = r.seq WHERE r.seq <= ? ORDER BY r.seq LIMIT ?`, through, limit).toArray();
    const fresh = this.sql.exec<StoredEvent>(`SELECT ${columns} FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, through, limit - again.length).toArray();
    return { rows: [...again, ...fresh], through: fresh.length ? fresh[fresh.length - 1]!.seq : through, reflushed: again.map((r) => r.seq) };
  }

  unflushedCount(): number {
    const waiting = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM reflush WHERE seq <= ?', this.flushedThrough()).one().n;
    return Math.max(0, this.lastSeq() - this.flushedThrough()) + waiting;
  }

  /** Records that D1 has the rows of an `unflushed()` batch. A row rewritten meanwhile stays in `reflush`. */
  markFlushed(batch: { through: number; reflushed: number[] }) {
    if (batch.through > this.flushedThrough()) this.setMeta('flushedThrough', batch.through);
    if (batch.reflushed.length) this.sql.exec('DELETE FROM reflush WHERE seq IN (SELECT value FROM json_each(?))', JSON.stringify(batch.reflushed));
  }

  /** Forgets flushed events beyond the newest `keep` (they live on in D1). */
  trim(keep: number) {
    const cutoff = this.lastSeq() - keep;
    if (cutoff <= 0) return;
    this.sql.exec('DELETE FROM events WHERE seq <= ?', Math.min(cutoff, this.flushedThrough()));
    this.setMeta('trimmedThrough', Math.max(cutoff, this.getMeta<number>('trimmedThrough') ?? 0));
    this.setMeta('trimmedPub', this.publicCount());
  }

  /** Forgets the user's unused tickets (removed from the campaign, or their role changed). */
  dropTickets(userId: string) {
    this.sql.exec("DELETE FROM tickets WHERE json_extract(actor, '$.userId') = ?", userId);
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
