/**
 * The sockets of one table: who is on each (the hibernation attachment),
 * per-socket rate limits, presence, and delivery of events to exactly the
 * people allowed to see them, numbered in each viewer's own sequence.
 */
import { spend, type BucketRule, type BucketState } from '../ops/rate-limit/token-bucket';
import { presenceKey, presenceOf, type PresenceEntry } from './presence';
import { PROTOCOL_VERSION, type Actor, type ErrorCode, type SessionEvent } from './protocol';
import { canSee, viewFor, type Viewer } from './visibility';

export interface Attachment {
  actor: Actor;
  connectedAt: number;
  lastMessageAt: number;
}

/** Joins and leaves within this window make one presence event. */
export const PRESENCE_BATCH_MS = 250;
/** How stale a socket's stored activity may get before `touch` writes it through (see there). */
const ATTACHMENT_WRITE_MS = 60_000;

/** One key per distinct way of seeing the log: the user and their role. */
const viewerKey = (v: Viewer) => `${v.role}:${v.userId}`;

/** A viewer's place in their own numbering of the log (shared by all their sockets). */
interface Place {
  viewer: Viewer;
  position: number;
}

/** A socket's viewer and place, resolved once per wake-up so a broadcast builds no strings per recipient. */
interface Seat {
  actor: Actor;
  place: Place;
}

/**
 * One serialized view of an event and its frames by position. Most viewers share one position, so the first
 * frame is kept in plain fields and a map is made only for a second position.
 */
interface View {
  json: string;
  position: number;
  frame: string;
  others?: Map<number, string>;
}

const newView = (json: string): View => ({ json, position: -1, frame: '' });

const frameAt = (view: View, position: number) => {
  if (view.position === position) return view.frame;
  if (view.position === -1) {
    view.position = position;
    return (view.frame = withSeq(position, view.json));
  }
  let frame = view.others?.get(position);
  if (frame === undefined) {
    frame = withSeq(position, view.json);
    (view.others ??= new Map()).set(position, frame);
  }
  return frame;
};

/** Which view of an event a viewer gets depends on their role and on being its author: one slot for each pair. */
const ROLE_SLOT: Record<Actor['role'], number> = { gm: 0, player: 1, spectator: 2 };
const AUTHOR_SLOTS = 3;

/** `broadcast`'s step for each known viewer (`this` is the event): a function made once, not a closure per line. */
function advance(this: SessionEvent, place: Place) {
  if (canSee(this, place.viewer)) place.position++;
}

/** A redacted view's JSON: without the room's seq, which each viewer's own replaces. */
function unsequenced(view: SessionEvent): string {
  const { seq: _room, ...rest } = view;
  return JSON.stringify(rest);
}

/** `{"seq":N,` spliced onto a serialized object that has no seq of its own. */
const withSeq = (seq: number, json: string) => `{"seq":${seq},${json.slice(1)}`;

export class TableSockets {
  readonly #buckets = new Map<WebSocket, BucketState>();
  /** The buckets' rule, made once (every socket of a table has the same). */
  #rule: BucketRule | undefined;
  readonly #lastRateError = new Map<WebSocket, number>();
  /** Attachments read once per socket per wake-up (deserializing on every broadcast costs a structured clone each). */
  readonly #attachments = new Map<WebSocket, Attachment>();
  /** Each socket's last line, when newer than its attachment's (which is written through at most once a minute). */
  readonly #lastLine = new Map<WebSocket, number>();
  /** Each known viewer's position, kept in step by `broadcast` (counted from storage on first use after a wake-up). */
  readonly #positions = new Map<string, Place>();
  /** Each socket's seat (cleared for a user whose role changes). */
  readonly #seats = new Map<WebSocket, Seat>();
  #lastPresence = '';
  #presenceTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * @param positionOf      a viewer's position in the log, from storage
   * @param hooks.presence  told the number of open sockets whenever presence is announced (the room reports it to
   *                        D1 for /metrics; presence is batched, so this runs at most every 250 ms)
   * @param hooks.error     told the code of every error event sent (counted in Analytics Engine)
   */
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly positionOf: (viewer: Viewer) => number,
    private readonly hooks: { presence?(sockets: number): void; error?(code: ErrorCode): void } = {},
  ) {}

  accept(server: WebSocket, actor: Actor) {
    this.ctx.acceptWebSocket(server, [actor.userId]);
    const now = Date.now();
    const attachment: Attachment = { actor, connectedAt: now, lastMessageAt: now };
    server.serializeAttachment(attachment);
    this.#attachments.set(server, attachment);
  }

  count(): number {
    return this.ctx.getWebSockets().length;
  }

  /** The sockets of one user. */
  of(userId: string): WebSocket[] {
    return this.ctx.getWebSockets(userId);
  }

  attachmentOf(ws: WebSocket): Attachment {
    let attachment = this.#attachments.get(ws);
    if (!attachment) {
      attachment = ws.deserializeAttachment() as Attachment;
      this.#attachments.set(ws, attachment);
    }
    return attachment;
  }

  /** Gives the socket's user a new role (or name) from now on; their numbering is recounted. */
  reassign(ws: WebSocket, actor: Actor) {
    const attachment = { ...this.attachmentOf(ws), actor };
    ws.serializeAttachment(attachment);
    this.#attachments.set(ws, attachment);
    for (const [key, entry] of this.#positions) if (entry.viewer.userId === actor.userId) this.#positions.delete(key);
    for (const [socket, seat] of this.#seats) if (seat.actor.userId === actor.userId) this.#seats.delete(socket);
  }

  /**
   * Records activity for presence: at once in memory, and through to the attachment (which outlives hibernation)
   * at most once a minute. Serializing it at every fifth line or so cost a chat line at 1 line/s a few tens of µs
   * on those lines (bench/fanout, profiled); after a wake-up, presence may read an activity up to a minute old.
   */
  touch(ws: WebSocket) {
    const attachment = this.attachmentOf(ws);
    const now = Date.now();
    this.#lastLine.set(ws, now);
    if (now - attachment.lastMessageAt <= ATTACHMENT_WRITE_MS) return;
    const fresh = { ...attachment, lastMessageAt: now };
    ws.serializeAttachment(fresh);
    this.#attachments.set(ws, fresh);
  }

  /** Per-socket token bucket; a flood gets one error a second, not one per frame. */
  allow(ws: WebSocket, perSecond: number): boolean {
    const now = Date.now();
    if (this.#rule?.refillPerSecond !== perSecond) this.#rule = { capacity: perSecond * 2, refillPerSecond: perSecond };
    let bucket = this.#buckets.get(ws);
    if (bucket === undefined) this.#buckets.set(ws, (bucket = { tokens: this.#rule.capacity, updatedAt: now }));
    if (spend(bucket, this.#rule, now)) return true;
    const last = this.#lastRateError.get(ws) ?? 0;
    if (Date.now() - last > 1_000) {
      this.#lastRateError.set(ws, Date.now());
      this.sendError(ws, 'rate_limited', `Slow down: at most ${perSecond} messages a second`);
    }
    return false;
  }

  /** Tells each socket why (an ephemeral event), closes it with `code`, and forgets it. */
  dismiss(sockets: WebSocket[], body: Record<string, unknown>, code: number, reason: string) {
    for (const ws of sockets) {
      this.send(ws, body);
      try {
        ws.close(code, reason);
      } catch {
        // already closing
      }
      this.forget(ws);
    }
  }

  forget(ws: WebSocket) {
    this.#buckets.delete(ws);
    this.#lastRateError.delete(ws);
    this.#attachments.delete(ws);
    this.#lastLine.delete(ws);
    this.#seats.delete(ws);
  }

  private open(): { ws: WebSocket; attachment: Attachment }[] {
    return this.ctx.getWebSockets().flatMap((ws) => (ws.readyState === WebSocket.OPEN ? [{ ws, attachment: this.attachmentOf(ws) }] : []));
  }

  /** The viewer's position now (after every event logged so far). */
  position(viewer: Viewer): number {
    return this.#place(viewer).position;
  }

  #place(viewer: Viewer): Place {
    const key = viewerKey(viewer);
    let place = this.#positions.get(key);
    if (!place) {
      place = { viewer: { userId: viewer.userId, role: viewer.role }, position: this.positionOf(viewer) };
      this.#positions.set(key, place);
    }
    return place;
  }

  #seat(ws: WebSocket): Seat {
    let seat = this.#seats.get(ws);
    if (!seat) {
      const { actor } = this.attachmentOf(ws);
      seat = { actor, place: this.#place(actor) };
      this.#seats.set(ws, seat);
    }
    return seat;
  }

  /** The viewer's positions of the newest `events` (just logged, in order); null for those they may not see. */
  positionsOf(viewer: Viewer, events: SessionEvent[]): (number | null)[] {
    let position = this.position(viewer);
    const out: (number | null)[] = [];
    for (let i = events.length - 1; i >= 0; i--) out[i] = canSee(events[i]!, viewer) ? position-- : null;
    return out;
  }

  presence(): PresenceEntry[] {
    return presenceOf(this.open().map(({ ws, attachment }) => ({
      actor: attachment.actor,
      lastSeenMs: Math.max(attachment.lastMessageAt, this.#lastLine.get(ws) ?? 0, this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0),
    })), Date.now());
  }

  /**
   * Presence after joins and leaves, batched: one event per PRESENCE_BATCH_MS however many sockets came
   * and went (a table of 60 reconnecting after a blip hears one presence event, not 60 to each socket).
   */
  schedulePresence() {
    if (this.#presenceTimer !== null) return;
    this.#presenceTimer = setTimeout(() => {
      this.#presenceTimer = null;
      this.announcePresence(false);
    }, PRESENCE_BATCH_MS);
  }

  /** Tells the table who is here, when it changed (`force`: even if it looks the same). */
  announcePresence(force: boolean) {
    const entries = this.presence();
    const key = presenceKey(entries);
    if (!force && key === this.#lastPresence) return;
    this.#lastPresence = key;
    this.broadcastEphemeral({ type: 'presence', members: entries });
    this.hooks.presence?.(this.ctx.getWebSockets().length);
  }

  /**
   * A logged event (just appended) to everyone allowed to see it, as they may see it, numbered in their sequence.
   * @param body the event's JSON as logged (without `seq`): sent as is to whoever sees the whole event
   */
  broadcast(event: SessionEvent, body: string) {
    // Everyone already counted moves on by one if they may see it; the rest are counted from storage, which includes it.
    this.#positions.forEach(advance, event);
    // What `viewFor` shows depends on the role and on being the event's actor: each distinct view is serialized
    // once, each distinct seq spliced in once, and everyone who shares both gets the very same string. Nothing
    // is built per recipient (a per-recipient key string cost more than the send itself), and on the common path
    // nothing but the views: at a line a second the table's code runs cold, and its garbage sets how often the
    // isolate stops to collect (bench/fanout, FANOUT_ALLOC).
    // A view that redacts nothing is the event itself: one string for every role (most chat and rolls).
    const author = event.actor?.userId;
    const views: (View | null | undefined)[] = [];
    let whole: View | undefined;
    const sockets = this.ctx.getWebSockets();
    for (let i = 0; i < sockets.length; i++) {
      const ws = sockets[i]!;
      // No readyState check: a socket closing under us refuses the send, which sendText absorbs.
      const { actor, place } = this.#seat(ws);
      if (!canSee(event, actor)) continue;
      const slot = ROLE_SLOT[actor.role] + (actor.userId === author ? AUTHOR_SLOTS : 0);
      let view = views[slot];
      if (view === undefined) {
        const visible = viewFor(event, actor);
        view = visible === null ? null : visible === event ? (whole ??= newView(body)) : newView(unsequenced(visible));
        views[slot] = view;
      }
      if (view !== null) this.sendText(ws, frameAt(view, place.position));
    }
  }

  /** One ephemeral event to everyone (but `except`), serialized once and stamped with each viewer's position. */
  broadcastEphemeral(body: Record<string, unknown>, except?: WebSocket, only?: (actor: Actor) => boolean) {
    const view = newView(JSON.stringify({ v: PROTOCOL_VERSION, at: new Date().toISOString(), ...body }));
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except) continue;
      const { actor, place } = this.#seat(ws);
      if (only && !only(actor)) continue;
      this.sendText(ws, frameAt(view, place.position));
    }
  }

  /** An ephemeral event to one socket: stamped with its viewer's position, not logged. */
  send(ws: WebSocket, body: Record<string, unknown>) {
    this.sendText(ws, withSeq(this.position(this.attachmentOf(ws).actor), JSON.stringify({ v: PROTOCOL_VERSION, at: new Date().toISOString(), ...body })));
  }

  sendError(ws: WebSocket, code: ErrorCode, message: string, ref?: string, errors?: { path: string; message: string }[]) {
    this.hooks.error?.(code);
    this.send(ws, { type: 'error', code, message, ref: ref ?? null, ...(errors ? { errors } : {}) });
  }

  /** A replayed event as the viewer sees it, at their position. */
  sendAt(ws: WebSocket, position: number, view: SessionEvent) {
    const { seq: _room, ...unsequenced } = view;
    this.sendText(ws, withSeq(position, JSON.stringify(unsequenced)));
  }

  private sendText(ws: WebSocket, text: string) {
    try {
      ws.send(text);
    } catch {
      // The socket closed under us; its close handler cleans up.
    }
  }
}
