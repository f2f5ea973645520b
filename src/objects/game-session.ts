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
 * Frames from one socket are applied strictly in the order they arrived: each
 * waits for the previous one from the same socket to finish, even when that
 * one had to look something up in D1.
 *
 * Called by the Worker through native RPC (`open`, `issueTicket`, `submit`,
 * `memberChanged`, `flush`, `close`, `stats`) and `fetch` (the WebSocket upgrade).
 */
import { DurableObject } from 'cloudflare:workers';
import { randomToken, sha256Hex } from '../auth/encoding';
import { cryptoRng } from '../game/dice';
import { problem, problemResponse } from '../lib/problem';
import { logger } from '../lib/logger';
import { isGm, type Role } from '../game/roles';
import { catchUp } from '../session/catch-up';
import { asMacroRun, handle, RuleError, type EngineContext, type NewEvent } from '../session/engine';
import { writeConnections, writeEventsToD1 } from '../session/flush';
import { recordEvent } from '../ops/analytics';
import { systemScope, type Scope } from '../services/scope';
import { macroAtTable } from '../services/macros';
import type { NarrationRequest } from '../services/narrator';
import { RoomNarration } from './room-narration';
import { characterAtTable, memberAtTable } from '../services/table-lookups';
import type { PresenceEntry } from '../session/presence';
import { ClientMessageSchema, isTableAction, type ClientMessage, MAX_FRAME_BYTES, TICKET_FORMAT, PROTOCOL_VERSION, type Actor, type SessionEvent, type SubmitResult, type TableAction } from '../session/protocol';
import { RoomStorage, type RoomMeta } from '../session/room-storage';
import type { RoomState, SafetyLists } from '../session/room-state';
import { TableSockets } from '../session/table-sockets';
import { readFrame } from '../session/frame';
import { newEventId } from '../session/event-id';
import { CopySchedule } from '../session/copy-schedule';
import { viewFor } from '../session/visibility';

const TICKET_TTL_MS = 30_000;
/**
 * How long after activity the room first looks at copying the log to D1 (then waits for a lull: session/copy-schedule.ts).
 * Measured in bench/fanout: a flush every 2 s under load stalled the messages arriving during it and set the
 * table's p99 (2–4× the floor); every 10 s it touches a fifth as many.
 */
const FLUSH_DELAY_MS = CopySchedule.LOOK_AGAIN_MS;
const PRESENCE_INTERVAL_MS = 30_000;
const FLUSH_BATCH = 500;
/** Events kept in the room after flushing, for reconnect replays. */
const RETAINED_EVENTS = 2_000;
/** Close codes the table uses (4000–4999 are the application's). */
const CLOSE_REMOVED = 4003;
const CLOSE_KICKED = 4001;

export class GameSession extends DurableObject<Env> {
  private store: RoomStorage;
  private readonly sockets: TableSockets;
  /** When the pending alarm fires, if this instance set or saw it. */
  private alarmAt: number | null = null;
  /** When the D1 copy is due (a restarted room knows of no activity: it copies at once). */
  readonly #copy = new CopySchedule();
  /** Each socket's frames, applied one after another in arrival order. */
  readonly #queues = new WeakMap<WebSocket, Promise<void>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStorage(ctx.storage.sql);
    this.#scope = systemScope(env, { requestId: 'game-session', defer: (work) => ctx.waitUntil(work) });
    this.sockets = new TableSockets(ctx, (viewer) => this.store.position(viewer), {
      presence: (sockets) => this.reportConnections(sockets),
      error: (code) => recordEvent(env.ANALYTICS, 'frame_error', code),
    });
    this.#narration = new RoomNarration({
      scope: this.#scope, env,
      store: () => this.store,
      apply: async (actor, action) => this.apply(actor, action),
      record: (events) => this.record(events),
      send: (body, audience) => this.sockets.broadcastEphemeral(body, undefined, audience === 'gm' ? isGm : undefined),
      settle: async () => this.ensureAlarm(FLUSH_DELAY_MS),
      refusal: (err) => this.toRuleError(err),
      waitUntil: (work) => ctx.waitUntil(work),
    });
    // Answered by the runtime without waking a hibernated room; the time is read back for presence.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  /** The object's scope for the services it calls (campaign lookups): no caller, the ticket authenticated the actor. */
  readonly #scope: Scope;
  readonly #narration: RoomNarration;

  /** The table's limits, from configuration read once (every frame checks one). */
  private get limits() {
    if (this.#limits === undefined) {
      const { maxSocketsPerTable, maxSocketsPerUser, socketMessagesPerSecond } = this.#scope.config;
      this.#limits = { maxSockets: maxSocketsPerTable, perUser: maxSocketsPerUser, messagesPerSecond: socketMessagesPerSecond };
    }
    return this.#limits;
  }

  #limits: { maxSockets: number; perUser: number; messagesPerSecond: number } | undefined;

  /** Seats a role may fill: spectators leave a quarter for members, the GM may go past a full table by their own share. */
  private capacityFor(role: Role): number {
    const { maxSockets, perUser } = this.limits;
    if (role === 'gm') return maxSockets + perUser;
    if (role === 'spectator') return maxSockets - Math.ceil(maxSockets / 4);
    return maxSockets;
  }

  // ── RPC from the Worker ────────────────────────────────────────────────

  /** Binds the object to its session (idempotent) and marks it live, with the campaign's lines and veils. */
  async open(sessionId: string, campaignId: string, safety: SafetyLists = { lines: [], veils: [] }): Promise<void> {
    const meta = this.store.meta();
    if (meta && meta.sessionId !== sessionId) throw new Error('This room belongs to another session');
    this.store.setRoomMeta({ sessionId, campaignId, status: 'live' });
    this.store.saveState({ ...this.store.state(), safety });
  }

  /** The campaign's lines and veils changed: kept for snapshots and sent to everyone at the table now. */
  async safetyChanged(safety: SafetyLists): Promise<void> {
    if (!this.store.meta()) return;
    this.store.saveState({ ...this.store.state(), safety });
    this.sockets.broadcastEphemeral({ type: 'safety.lists', ...safety });
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
    if (!isTableAction(msg)) return { ok: false, events: [], error: { code: 'invalid_message', message: `${msg.type} only makes sense on a WebSocket` } };
    try {
      const events = await this.apply(actor, msg);
      const positions = this.sockets.positionsOf(actor, events);
      return {
        ok: true,
        events: events.flatMap((e, i) => {
          const view = viewFor(e, actor);
          return view && positions[i] !== null ? [{ ...view, seq: positions[i]! }] : [];
        }),
      };
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
      if (batch.rows.length === 0) break;
      await writeEventsToD1(this.env.DB, meta.sessionId, meta.campaignId, batch.rows);
      this.store.markFlushed(batch);
      total += batch.rows.length;
    }
    this.store.trim(RETAINED_EVENTS);
    if (this.store.unflushedCount() === 0) this.#copy.copied();
    return total;
  }

  /** Ends the session: flushes everything, tells everyone, closes the sockets and refuses new ones. */
  async close(): Promise<{ flushed: number; stats: RoomState['stats'] }> {
    // A narration still streaming ends first, logged as cancelled, so the flush below carries it.
    await this.#narration.stop('session ended');
    const meta = this.store.meta();
    const stats = this.store.state().stats;
    // The table's figures end the log, so they are in the history and the recap.
    if (meta?.status === 'live') this.record([{ type: 'session.stats', actor: null, audience: 'all', players: stats }]);
    if (meta) this.store.setRoomMeta({ ...meta, status: 'ended' });
    const flushed = await this.flush();
    this.sockets.dismiss(this.ctx.getWebSockets(), { type: 'ended', reason: 'The GM ended the session', stats }, 1000, 'session ended');
    // D1 holds the whole log now; the room's copy goes after ENDED_TABLE_DAYS (see alarm()).
    const purgeAt = Date.now() + this.#scope.config.endedTableDays * 86_400_000;
    await this.ctx.storage.put('purgeAt', purgeAt);
    await this.ctx.storage.setAlarm(purgeAt);
    this.alarmAt = purgeAt;
    return { flushed, stats };
  }

  /**
   * The membership service tells the room at once when a member is removed (`role` null) or their role changes:
   * a removed member's sockets are closed and their tickets dropped; a new role applies to open sockets
   * (they get a fresh snapshot, numbered for the new role). Either is announced to the table.
   */
  async memberChanged(userId: string, role: Role | null): Promise<void> {
    this.store.dropTickets(userId);
    const sockets = this.sockets.of(userId);
    if (sockets.length === 0 || !this.store.meta()) return;
    const before = this.sockets.attachmentOf(sockets[0]!).actor;
    if (role === null) {
      this.closeUser(userId, 'removed', 'You are no longer a member of this campaign');
      this.record([{ type: 'member', actor: null, audience: 'all', action: 'removed', user: { userId, displayName: before.displayName } }]);
    } else if (role !== before.role) {
      const actor: Actor = { ...before, role };
      for (const ws of sockets) this.sockets.reassign(ws, actor);
      this.record([{ type: 'member', actor: null, audience: 'all', action: 'role', user: { userId, displayName: before.displayName }, role }]);
      for (const ws of sockets) {
        this.sockets.send(ws, { type: 'welcome', you: actor, reason: 'role_changed' });
        this.resume(ws, actor, undefined, 'role_changed');
      }
    }
    this.sockets.schedulePresence();
    await this.ensureAlarm(FLUSH_DELAY_MS);
  }

  /** Table figures; `lastSeq` is the viewer's position (how many events they may see), or the room's count without one. */
  async stats(viewer?: Actor): Promise<{ sockets: number; lastSeq: number; unflushed: number; status: RoomMeta['status'] | null; presence: PresenceEntry[] }> {
    return {
      sockets: this.sockets.count(), lastSeq: viewer ? this.sockets.position(viewer) : this.store.lastSeq(), unflushed: this.store.unflushedCount(),
      status: this.store.meta()?.status ?? null, presence: this.sockets.presence(),
    };
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
    if (this.store.state().kicked[actor.userId]) return refuse(403, 'The GM removed you from this table; ask them to let you back in');
    if (this.sockets.of(actor.userId).length >= this.limits.perUser) {
      return refuse(429, `You already have ${this.limits.perUser} connections to this table; close one first`, { 'Retry-After': '30' });
    }
    if (this.sockets.count() >= this.capacityFor(actor.role)) {
      const full = actor.role === 'spectator' && this.sockets.count() < this.limits.maxSockets ? 'The seats left are kept for players' : `This table is full (${this.limits.maxSockets} connections)`;
      return refuse(503, full, { 'Retry-After': '30' });
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.sockets.accept(server, actor);
    this.sockets.send(server, {
      type: 'welcome', you: actor, session: { id: meta.sessionId, campaignId: meta.campaignId }, protocol: PROTOCOL_VERSION,
      limits: { maxFrameBytes: MAX_FRAME_BYTES, messagesPerSecond: this.limits.messagesPerSecond, maxSocketsPerUser: this.limits.perUser },
    });
    const lastSeq = url.searchParams.get('lastSeq');
    this.resume(server, actor, lastSeq !== null && /^\d{1,15}$/.test(lastSeq) ? Number(lastSeq) : undefined);
    this.sockets.schedulePresence();
    await this.ensureAlarm(PRESENCE_INTERVAL_MS);
    // Declines permessage-deflate: table frames are small and go to every viewer, so compressing each one per
    // recipient costs the room more CPU than it saves bytes (docs/protocol.md, "Compression").
    return new Response(null, { status: 101, webSocket: client, headers: { 'Sec-WebSocket-Extensions': '' } });
  }

  /**
   * Not `async`, nor anything it calls on the common path: a frame that needs no lookup (a plain chat line, a roll)
   * is read, logged and broadcast without a promise or a microtask. At a line a second the table's code runs cold,
   * and each async frame cost an allocation and a hop (bench/fanout, FANOUT_ALLOC).
   */
  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): void | Promise<void> {
    recordEvent(this.env.ANALYTICS, 'frame', 'received');
    // Size and rate are checked on arrival, so a flood cannot pile up behind a slow frame.
    const size = typeof data === 'string' ? (data.length * 3 <= MAX_FRAME_BYTES ? data.length : new TextEncoder().encode(data).byteLength) : data.byteLength;
    if (size > MAX_FRAME_BYTES) return this.sockets.sendError(ws, 'frame_too_large', `Frames are at most ${MAX_FRAME_BYTES} bytes`);
    if (!this.sockets.allow(ws, this.limits.messagesPerSecond)) return;
    // Frames from one socket are applied in the order sent: one waits for the socket's frame in flight, if any.
    const ahead = this.#queues.get(ws);
    const run = ahead ? ahead.then(() => this.onFrameSafely(ws, data)) : this.onFrameSafely(ws, data);
    if (!run) return;
    this.#queues.set(ws, run);
    return run.then(() => {
      if (this.#queues.get(ws) === run) this.#queues.delete(ws);
    });
  }

  /** `onFrame`, with its failures (thrown or rejected) answered rather than passed on. */
  private onFrameSafely(ws: WebSocket, data: string | ArrayBuffer): void | Promise<void> {
    try {
      return this.onFrame(ws, data)?.catch((err: unknown) => this.frameFailed(ws, err));
    } catch (err) {
      this.frameFailed(ws, err);
    }
  }

  /** Last line of defence: never let a frame take the room down. */
  private frameFailed(ws: WebSocket, err: unknown) {
    logger.error('session frame failed', { error: err instanceof Error ? err.stack : String(err) });
    this.sockets.sendError(ws, 'internal', 'Something went wrong handling that message');
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.sockets.forget(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // already closed
    }
    this.sockets.schedulePresence();
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    logger.warn('session socket error', { error: String(error) });
    this.sockets.forget(ws);
    this.sockets.schedulePresence();
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const uncopied = this.store.unflushedCount() > 0;
    const wait = uncopied ? this.#copy.wait(Date.now()) : 0;
    if (uncopied && wait === 0) {
      try {
        await this.flush();
      } catch (err) {
        logger.error('session flush failed; will retry', { error: String(err) });
      }
    }
    this.sockets.announcePresence(false);
    if (this.store.unflushedCount() > 0) return this.ensureAlarm(wait || FLUSH_DELAY_MS * 3);
    if (this.store.meta()?.status === 'ended') return this.purgeWhenDue();
    if (this.ctx.getWebSockets().length > 0) await this.ensureAlarm(PRESENCE_INTERVAL_MS);
  }

  /** The number of open sockets, to D1 when it changed (for /metrics); a failed write is retried at the next change. */
  private reportConnections(sockets: number) {
    const meta = this.store.meta();
    if (!meta || sockets === this.#reportedConnections) return;
    this.#reportedConnections = sockets;
    this.ctx.waitUntil(writeConnections(this.env.DB, meta.sessionId, sockets).catch((err: unknown) => {
      this.#reportedConnections = null;
      logger.warn('connection count not written', { error: String(err) });
    }));
  }

  #reportedConnections: number | null = null;

  /** An ended room, its log safely in D1: its storage is deleted once its retention has passed. */
  private async purgeWhenDue() {
    const purgeAt = await this.ctx.storage.get<number>('purgeAt');
    if (purgeAt === undefined) return;
    if (Date.now() < purgeAt) return this.ensureAlarm(purgeAt - Date.now());
    await this.ctx.storage.deleteAll();
    this.store = new RoomStorage(this.ctx.storage.sql);
    logger.info('ended room purged', { purgeAt });
  }

  // ── internals ──────────────────────────────────────────────────────────

  /** Reads a frame and acts on it; a promise only when the action waits for something (a lookup, a narration). */
  private onFrame(ws: WebSocket, data: string | ArrayBuffer): void | Promise<void> {
    this.sockets.touch(ws);
    const attachment = this.sockets.attachmentOf(ws);
    const frame = readFrame(data);
    if ('error' in frame) return this.sockets.sendError(ws, frame.error.code, frame.error.message, frame.error.ref, frame.error.errors);
    const { msg, ref } = frame;
    const actor = attachment.actor;
    if (msg.type === 'hello') return this.resume(ws, actor, msg.lastSeq);
    if (msg.type === 'ping') return this.sockets.send(ws, { type: 'pong', ref: msg.id ?? null });
    if (msg.type === 'typing') {
      if (actor.role === 'spectator') return this.sockets.sendError(ws, 'forbidden', 'Spectators can watch but not act', ref);
      return this.sockets.broadcastEphemeral({ type: 'typing', actor: { userId: actor.userId, displayName: actor.displayName }, typing: msg.typing }, ws);
    }
    let events: SessionEvent[] | Promise<SessionEvent[]>;
    try {
      events = this.apply(actor, msg);
    } catch (err) {
      return this.refuse(ws, err, msg.id);
    }
    if (!(events instanceof Promise)) return this.acknowledge(ws, actor, msg.id, events);
    return events.then((logged) => this.acknowledge(ws, actor, msg.id, logged), (err: unknown) => this.refuse(ws, err, msg.id));
  }

  /** Acks answer frames that carry an id; the sender sees its own events arrive anyway. */
  private acknowledge(ws: WebSocket, actor: Actor, id: string | undefined, events: SessionEvent[]) {
    if (id === undefined) return;
    const seqs = this.sockets.positionsOf(actor, events).filter((p): p is number => p !== null);
    this.sockets.send(ws, { type: 'ack', ref: id, seqs, eventIds: events.map((e) => e.eventId) });
  }

  /** A refused action, to its sender only. */
  private refuse(ws: WebSocket, err: unknown, id: string | undefined) {
    const known = this.toRuleError(err);
    this.sockets.sendError(ws, known.code, known.message, id);
  }

  /**
   * Validates against the rules, persists, then broadcasts. Throws (or rejects with) RuleError for the sender.
   * Synchronous unless the action needs campaign facts from D1, a narration, or storage for the alarm.
   */
  private apply(actor: Actor, frame: TableAction): SessionEvent[] | Promise<SessionEvent[]> {
    const msg = asMacroRun(frame);
    const meta = this.store.meta();
    if (!meta) throw new RuleError('session_ended', 'This session is not live');
    if (meta.status === 'ended') throw new RuleError('session_ended', 'This session has ended');
    if (msg.type === 'narrate' || msg.type === 'narrate.cancel') return this.#narration.handle(actor, msg, meta.campaignId);
    const ctx: EngineContext = { rng: cryptoRng, newId: shortId, now: isoNow };
    // The referenced event comes from the room's own log; campaign facts come from D1 (the per-socket queue keeps
    // the sender's frames in order meanwhile).
    if ('eventId' in msg) ctx.target = this.store.byEventId(msg.eventId);
    const characterId = 'characterId' in msg && msg.characterId ? msg.characterId
      : msg.type === 'check' && msg.combatantId ? this.store.state().encounter.combatants.find((c) => c.id === msg.combatantId)?.characterId
      : msg.type === 'roll.answer' && ctx.target?.type === 'roll.request' ? (ctx.target.character as { id: string }).id : null;
    const memberId = msg.type === 'whisper' ? (msg.to === 'gm' ? null : msg.to) : 'userId' in msg ? msg.userId : null;
    if (!characterId && !memberId && msg.type !== 'macro.run') return this.commit(actor, frame, msg, ctx, meta.campaignId);
    return this.lookUp(actor, msg, ctx, meta.campaignId, characterId, memberId).then(() => this.commit(actor, frame, msg, ctx, meta.campaignId));
  }

  /** The campaign facts an action names, from D1, into `ctx`. */
  private async lookUp(actor: Actor, msg: TableAction, ctx: EngineContext, campaignId: string, characterId: string | null | undefined, memberId: string | null) {
    if (characterId) ctx.character = await characterAtTable(this.#scope, campaignId, characterId);
    if (memberId) ctx.member = await memberAtTable(this.#scope, campaignId, memberId);
    if (msg.type === 'macro.run') ctx.macro = await macroAtTable(this.#scope, campaignId, actor.userId, msg.name, msg.characterId ?? null);
  }

  /** The rules' outcome of an action, logged and broadcast; a promise only for what is left to wait for. */
  private commit(actor: Actor, frame: TableAction, msg: TableAction, ctx: EngineContext, campaignId: string): SessionEvent[] | Promise<SessionEvent[]> {
    const state = this.store.state();
    // "!wow, that worked" is just chat when the sender has no macro called "wow".
    const outcome = handle(state, actor, msg !== frame && !ctx.macro ? frame : msg, ctx);
    const stored = this.record(outcome.events, outcome.state !== state ? outcome.state : undefined, outcome.rewrite);
    if (outcome.close) this.closeUser(outcome.close.userId, 'kicked', outcome.close.reason);
    // Auto-narration answers a player's in-character line, as the GM who turned it on (after the line is logged).
    const auto = outcome.state.autoNarrate;
    if (auto && msg.type === 'chat' && msg.mode === 'ic' && actor.role === 'player') {
      const character = ctx.character?.name;
      const prompt = `${actor.displayName}${character ? ` (as ${character})` : ''}: ${msg.text}`;
      this.#narration.answer(auto.by, prompt, campaignId);
    }
    if (msg.type === 'safety.xcard') return this.afterXCard(stored);
    // Waited for only when storage is asked: a plain line never does.
    const alarm = this.ensureAlarm(FLUSH_DELAY_MS);
    return alarm ? alarm.then(() => stored) : stored;
  }

  /** The X-card stops the narration at once (the GM redirects from there), before the action is answered. */
  private async afterXCard(stored: SessionEvent[]) {
    await this.#narration.stop('X-card');
    await this.ensureAlarm(FLUSH_DELAY_MS);
    return stored;
  }

  /** What a narration may read, as its audience sees the table (for tests: the prompt built for players or the GM). */
  narrationRequest(msg: Extract<ClientMessage, { type: 'narrate' }>, campaignId: string): NarrationRequest {
    return this.#narration.request(msg, campaignId);
  }

  /** Closes a user's sockets, telling them why first. */
  private closeUser(userId: string, why: 'removed' | 'kicked', reason: string) {
    const kicked = why === 'kicked';
    this.sockets.dismiss(this.sockets.of(userId), { type: 'removed', reason, from: kicked ? 'table' : 'campaign' },
      kicked ? CLOSE_KICKED : CLOSE_REMOVED, kicked ? 'removed from the table' : 'removed from the campaign');
  }

  /** Logs events (and the state they produce, and a marked earlier event) in one transaction, then broadcasts them. */
  private record(events: NewEvent[], state?: RoomState, rewrite?: SessionEvent): SessionEvent[] {
    const at = isoNow();
    let stored: { event: SessionEvent; body: string }[];
    try {
      // The events and the state they produce commit together, before anyone hears of them. One public event
      // and nothing else (most chat and rolls) is one INSERT, atomic on its own: no savepoint around it.
      const single = events.length === 1 && events[0]!.audience === 'all' && !state && !rewrite;
      stored = single ? this.logEvents(events, at) : this.ctx.storage.transactionSync(() => this.logEvents(events, at, state, rewrite));
    } catch (err) {
      this.store.forgetCache();
      throw err;
    }
    for (const { event, body } of stored) this.sockets.broadcast(event, body);
    this.#copy.logged(Date.now());
    return stored.map((s) => s.event);
  }

  /**
   * The writes of `record`. A method rather than a closure made per line: the bundler keeps function names by
   * wrapping every named closure in a `defineProperty` call, which a profile of the table (bench/fanout) caught.
   */
  private logEvents(events: NewEvent[], at: string, state?: RoomState, rewrite?: SessionEvent) {
    const appended = events.map((e) => this.store.append({ ...e, v: PROTOCOL_VERSION, at, eventId: newEventId() }));
    // Chat, whispers and rolls leave the room state as it was: no need to rewrite it.
    if (state) this.store.saveState(state);
    if (rewrite) this.store.rewrite(rewrite.seq, rewrite);
    return appended;
  }

  private toRuleError(err: unknown): RuleError {
    if (err instanceof RuleError) return err;
    logger.error('session action failed', { error: err instanceof Error ? err.stack : String(err) });
    return new RuleError('internal', 'Something went wrong handling that message');
  }

  /** Replays what the client missed, or sends a snapshot (session/catch-up.ts). */
  private resume(ws: WebSocket, actor: Actor, lastSeq: number | undefined, why?: 'role_changed') {
    catchUp(this.store, this.sockets, ws, actor, lastSeq, why);
  }

  /**
   * Makes sure an alarm fires within `inMs`; skips storage when a sooner one is already known to be pending
   * (most lines), without making a promise for it.
   */
  private ensureAlarm(inMs: number): Promise<void> | undefined {
    const at = Date.now() + inMs;
    if (this.alarmAt !== null && this.alarmAt > Date.now() && this.alarmAt <= at) return;
    return this.setAlarmBy(at);
  }

  private async setAlarmBy(at: number) {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) {
      await this.ctx.storage.setAlarm(at);
      this.alarmAt = at;
    } else {
      this.alarmAt = current;
    }
  }
}

/** The engine's ids and clock, made once rather than per line (see `logEvents`). */
const shortId = () => crypto.randomUUID().slice(0, 8);
const isoNow = () => new Date().toISOString();

/** A refused upgrade, in the API's problem format. */
const refuse = (status: number, detail: string, headers: Record<string, string> = {}) => problemResponse(problem(status, detail), headers);
