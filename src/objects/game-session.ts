/**
 * GameSession: one Durable Object per live table.
 *
 * It owns the table's WebSockets (Hibernation API: the room sleeps between
 * messages and pings are answered without waking it), its state and its
 * event log in SQLite. Every accepted action is written before it is
 * acknowledged or broadcast; an alarm flushes the log to D1 in batches.
 * Nothing a client sends can throw out of here: bad frames get an error
 * event on that socket only.
 *
 * Called by the Worker through native RPC (`open`, `issueTicket`, `submit`,
 * `flush`, `close`, `stats`) and `fetch` (the WebSocket upgrade).
 */
import { DurableObject } from 'cloudflare:workers';
import { randomToken, sha256Hex } from '../auth/encoding';
import { cryptoRng } from '../game/dice';
import { problem, problemResponse } from '../lib/problem';
import { jsonTextDepth, MAX_JSON_DEPTH } from '../lib/json-limits';
import { logger } from '../lib/logger';
import { handle, RuleError, type EngineContext, type NewEvent } from '../session/engine';
import { writeEventsToD1 } from '../session/flush';
import { systemScope, type Scope } from '../services/scope';
import { characterAtTable, memberAtTable } from '../services/table-lookups';
import type { PresenceEntry } from '../session/presence';
import { ClientMessageSchema, MAX_FRAME_BYTES, TICKET_FORMAT, PROTOCOL_VERSION, type Actor, type ClientMessage, type SessionEvent, type SubmitResult } from '../session/protocol';
import { RoomStorage, type RoomMeta } from '../session/room-storage';
import { TableSockets } from '../session/table-sockets';
import { redactEncounter, viewFor, type Viewer } from '../session/visibility';

const TICKET_TTL_MS = 30_000;
const FLUSH_DELAY_MS = 2_000;
const PRESENCE_INTERVAL_MS = 30_000;
const FLUSH_BATCH = 500;
/** Events kept in the room after flushing, for reconnect replays. */
const RETAINED_EVENTS = 2_000;
/** A client further behind than this gets a snapshot instead of a replay. */
const MAX_REPLAY = 500;



export class GameSession extends DurableObject<Env> {
  private readonly store: RoomStorage;
  private readonly sockets: TableSockets;
  /** When the pending alarm fires, if this instance set or saw it. */
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStorage(ctx.storage.sql);
    this.#scope = systemScope(env, { requestId: 'game-session', defer: (work) => ctx.waitUntil(work) });
    this.sockets = new TableSockets(ctx, () => this.store.lastSeq());
    // Answered by the runtime without waking a hibernated room; the time is read back for presence.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  /** The object's scope for the services it calls (campaign lookups): no caller, the ticket authenticated the actor. */
  readonly #scope: Scope;

  private get limits() {
    const { maxSocketsPerTable, socketMessagesPerSecond } = this.#scope.config;
    return { maxSockets: maxSocketsPerTable, messagesPerSecond: socketMessagesPerSecond };
  }

  // ── RPC from the Worker ────────────────────────────────────────────────

  /** Binds the object to its session (idempotent) and marks it live. */
  async open(sessionId: string, campaignId: string): Promise<void> {
    const meta = this.store.meta();
    if (meta && meta.sessionId !== sessionId) throw new Error('This room belongs to another session');
    this.store.setRoomMeta({ sessionId, campaignId, status: 'live' });
  }

  /** A single-use ticket (30 s) that lets a browser open the WebSocket, which cannot carry an Authorization header. */
  async issueTicket(actor: Actor): Promise<{ ticket: string; expiresAt: string }> {
    const ticket = randomToken('wst_');
    const expiresAt = Date.now() + TICKET_TTL_MS;
    this.store.saveTicket(await sha256Hex(ticket), actor, expiresAt);
    return { ticket, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The HTTP fallback: the same pipeline as a WebSocket frame, answered with the events the sender may see. */
  async submit(actor: Actor, message: unknown): Promise<SubmitResult> {
    const parsed = ClientMessageSchema.safeParse(message);
    if (!parsed.success) return { ok: false, events: [], error: { code: 'invalid_message', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } };
    const msg = parsed.data;
    if (msg.type === 'hello' || msg.type === 'typing') return { ok: false, events: [], error: { code: 'invalid_message', message: `${msg.type} only makes sense on a WebSocket` } };
    try {
      const events = await this.apply(actor, msg);
      return { ok: true, events: events.map((e) => viewFor(e, actor)).filter((e): e is SessionEvent => e !== null) };
    } catch (err) {
      const known = this.toRuleError(err);
      return { ok: false, events: [], error: { code: known.code, message: known.message } };
    }
  }

  /** Writes every unflushed event to D1; returns how many were flushed. */
  async flush(): Promise<number> {
    const meta = this.store.meta();
    if (!meta) return 0;
    let total = 0;
    for (;;) {
      const batch = this.store.unflushed(FLUSH_BATCH);
      if (batch.length === 0) break;
      await writeEventsToD1(this.env.DB, meta.sessionId, meta.campaignId, batch);
      this.store.markFlushed(batch[batch.length - 1]!.seq);
      total += batch.length;
    }
    this.store.trim(RETAINED_EVENTS);
    return total;
  }

  /** Ends the session: flushes everything, tells everyone, closes the sockets and refuses new ones. */
  async close(): Promise<{ flushed: number }> {
    const meta = this.store.meta();
    if (meta) this.store.setRoomMeta({ ...meta, status: 'ended' });
    const flushed = await this.flush();
    for (const ws of this.ctx.getWebSockets()) {
      this.sockets.send(ws, { type: 'ended', reason: 'The GM ended the session' });
      try {
        ws.close(1000, 'session ended');
      } catch {
        // already closing
      }
    }
    await this.ctx.storage.deleteAlarm();
    this.alarmAt = null;
    return { flushed };
  }

  async stats(): Promise<{ sockets: number; lastSeq: number; unflushed: number; status: RoomMeta['status'] | null; presence: PresenceEntry[] }> {
    return { sockets: this.sockets.count(), lastSeq: this.store.lastSeq(), unflushed: this.store.unflushedCount(), status: this.store.meta()?.status ?? null, presence: this.sockets.presence() };
  }

  // ── WebSockets ─────────────────────────────────────────────────────────

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return refuse(426, 'Open this URL as a WebSocket');
    const url = new URL(request.url);
    const ticket = url.searchParams.get('ticket') ?? '';
    const meta = this.store.meta();
    if (!meta) return refuse(404, 'This session is not live');
    if (meta.status === 'ended') return refuse(410, 'This session has ended');
    const actor = TICKET_FORMAT.test(ticket) ? this.store.consumeTicket(await sha256Hex(ticket)) : null;
    if (!actor) return refuse(401, 'The ticket is missing, expired or already used; ask for a new one');
    if (this.sockets.count() >= this.limits.maxSockets) {
      return refuse(503, `This table is full (${this.limits.maxSockets} connections)`, { 'Retry-After': '30' });
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.sockets.accept(server, actor);
    this.sockets.send(server, {
      type: 'welcome', you: actor, session: { id: meta.sessionId, campaignId: meta.campaignId },
      limits: { maxFrameBytes: MAX_FRAME_BYTES, messagesPerSecond: this.limits.messagesPerSecond },
    });
    const lastSeq = url.searchParams.get('lastSeq');
    this.resume(server, actor, lastSeq !== null && /^\d{1,15}$/.test(lastSeq) ? Number(lastSeq) : undefined);
    this.sockets.announcePresence(true);
    await this.ensureAlarm(PRESENCE_INTERVAL_MS);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    try {
      await this.onFrame(ws, data);
    } catch (err) {
      // Last line of defence: never let a frame take the room down.
      logger.error('session frame failed', { error: err instanceof Error ? err.stack : String(err) });
      this.sockets.sendError(ws, 'internal', 'Something went wrong handling that message');
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.sockets.forget(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // already closed
    }
    this.sockets.announcePresence(true);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    logger.warn('session socket error', { error: String(error) });
    this.sockets.forget(ws);
    this.sockets.announcePresence(true);
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    if (this.store.unflushedCount() > 0) {
      try {
        await this.flush();
      } catch (err) {
        logger.error('session flush failed; will retry', { error: String(err) });
      }
    }
    this.sockets.announcePresence(false);
    if (this.store.unflushedCount() > 0) await this.ensureAlarm(FLUSH_DELAY_MS * 5);
    if (this.ctx.getWebSockets().length > 0) await this.ensureAlarm(PRESENCE_INTERVAL_MS);
  }

  // ── internals ──────────────────────────────────────────────────────────

  private async onFrame(ws: WebSocket, data: string | ArrayBuffer) {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: only long frames are measured exactly.
    const size = typeof data === 'string' ? (data.length * 3 <= MAX_FRAME_BYTES ? data.length : new TextEncoder().encode(data).byteLength) : data.byteLength;
    if (size > MAX_FRAME_BYTES) return this.sockets.sendError(ws, 'frame_too_large', `Frames are at most ${MAX_FRAME_BYTES} bytes`);
    if (!this.sockets.allow(ws, this.limits.messagesPerSecond)) return;
    this.sockets.touch(ws);
    const attachment = this.sockets.attachmentOf(ws);
    if (typeof data !== 'string') return this.sockets.sendError(ws, 'malformed_json', 'Send JSON text frames');
    if (jsonTextDepth(data) > MAX_JSON_DEPTH) return this.sockets.sendError(ws, 'invalid_message', `Frames may nest at most ${MAX_JSON_DEPTH} levels deep`);
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return this.sockets.sendError(ws, 'malformed_json', 'The frame is not valid JSON');
    }
    const ref = typeof (raw as { id?: unknown })?.id === 'string' ? ((raw as { id: string }).id).slice(0, 64) : undefined;
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const type = (raw as { type?: unknown })?.type;
      const known = typeof type === 'string' && ClientMessageSchema.options.some((o) => o.shape.type.value === type);
      return this.sockets.sendError(ws, known ? 'invalid_message' : 'unknown_type', known ? 'The message has invalid fields' : `Unknown message type ${JSON.stringify(type ?? null).slice(0, 40)}`, ref,
        known ? parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined);
    }
    const msg = parsed.data;
    const actor = attachment.actor;
    if (msg.type === 'hello') return this.resume(ws, actor, msg.lastSeq);
    if (msg.type === 'typing') {
      if (actor.role === 'spectator') return this.sockets.sendError(ws, 'forbidden', 'Spectators can watch but not act', ref);
      return this.sockets.broadcastEphemeral({ type: 'typing', actor: { userId: actor.userId, displayName: actor.displayName }, typing: msg.typing }, ws);
    }
    try {
      const events = await this.apply(actor, msg);
      this.sockets.send(ws, { type: 'ack', ref: msg.id ?? null, seqs: events.map((e) => e.seq) });
    } catch (err) {
      const known = this.toRuleError(err);
      this.sockets.sendError(ws, known.code, known.message, msg.id);
    }
  }

  /** Validates against the rules, persists, then broadcasts. Throws RuleError for the sender. */
  private async apply(actor: Actor, msg: Exclude<ClientMessage, { type: 'hello' | 'typing' }>): Promise<SessionEvent[]> {
    const meta = this.store.meta();
    if (!meta) throw new RuleError('session_ended', 'This session is not live');
    if (meta.status === 'ended') throw new RuleError('session_ended', 'This session has ended');
    const ctx: EngineContext = { rng: cryptoRng, newId: () => crypto.randomUUID().slice(0, 8), now: () => new Date().toISOString() };
    if ('characterId' in msg && msg.characterId) ctx.character = await characterAtTable(this.#scope, meta.campaignId, msg.characterId);
    if (msg.type === 'whisper' && msg.to !== 'gm') ctx.recipient = await memberAtTable(this.#scope, meta.campaignId, msg.to);
    const state = this.store.state();
    const outcome = handle(state, actor, msg, ctx);
    const at = new Date().toISOString();
    // The event and the state it produces commit together, before anyone hears of it.
    const stored = this.ctx.storage.transactionSync(() => {
      const appended = outcome.events.map((e: NewEvent) => this.store.append({ ...e, v: PROTOCOL_VERSION, at }));
      // Chat, whispers and rolls leave the room state as it was: no need to rewrite it.
      if (outcome.state !== state) this.store.saveState(outcome.state);
      return appended;
    });
    for (const event of stored) this.sockets.broadcast(event);
    await this.ensureAlarm(FLUSH_DELAY_MS);
    return stored;
  }

  private toRuleError(err: unknown): RuleError {
    if (err instanceof RuleError) return err;
    logger.error('session action failed', { error: err instanceof Error ? err.stack : String(err) });
    return new RuleError('internal', 'Something went wrong handling that message');
  }

  /** Replays what the client missed, or sends a snapshot when it is new or too far behind. */
  private resume(ws: WebSocket, actor: Actor, lastSeq: number | undefined) {
    const viewer: Viewer = actor;
    const latest = this.store.lastSeq();
    if (lastSeq !== undefined && lastSeq <= latest && lastSeq + 1 >= this.store.firstRetainedSeq() && this.store.countAfter(lastSeq) <= MAX_REPLAY) {
      for (const event of this.store.eventsAfter(lastSeq, MAX_REPLAY)) {
        const view = viewFor(event, viewer);
        if (view) this.sockets.sendRaw(ws, view);
      }
      this.sockets.send(ws, { type: 'resumed', from: lastSeq });
      return;
    }
    const state = this.store.state();
    this.sockets.send(ws, {
      type: 'snapshot', scene: state.scene, encounter: redactEncounter(state.encounter, viewer), ready: state.ready, notes: state.notes, presence: this.sockets.presence(),
    });
  }

  /** Makes sure an alarm fires within `inMs`; skips storage when a sooner one is already known to be pending. */
  private async ensureAlarm(inMs: number) {
    const at = Date.now() + inMs;
    if (this.alarmAt !== null && this.alarmAt > Date.now() && this.alarmAt <= at) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) {
      await this.ctx.storage.setAlarm(at);
      this.alarmAt = at;
    } else {
      this.alarmAt = current;
    }
  }
}

/** A refused upgrade, in the API's problem format. */
const refuse = (status: number, detail: string, headers: Record<string, string> = {}) => problemResponse(problem(status, detail), headers);
