/**
 * The sockets of one table: who is on each (the hibernation attachment),
 * per-socket rate limits, presence, and delivery of events to exactly the
 * people allowed to see them.
 */
import { take, type BucketState } from '../ops/rate-limit/token-bucket';
import { presenceKey, presenceOf, type PresenceEntry } from './presence';
import { PROTOCOL_VERSION, type Actor, type ErrorCode, type SessionEvent } from './protocol';
import { viewFor } from './visibility';

export interface Attachment {
  actor: Actor;
  connectedAt: number;
  lastMessageAt: number;
}

export class TableSockets {
  private readonly buckets = new Map<WebSocket, BucketState>();
  private readonly lastRateError = new Map<WebSocket, number>();
  /** Attachments read once per socket per wake-up (deserializing on every broadcast costs a structured clone each). */
  private readonly attachmentCache = new Map<WebSocket, Attachment>();
  private lastPresence = '';

  /** @param lastSeq the newest logged seq, stamped on ephemeral events */
  constructor(private readonly ctx: DurableObjectState, private readonly lastSeq: () => number) {}

  accept(server: WebSocket, actor: Actor) {
    this.ctx.acceptWebSocket(server, [actor.userId]);
    const now = Date.now();
    const attachment: Attachment = { actor, connectedAt: now, lastMessageAt: now };
    server.serializeAttachment(attachment);
    this.attachmentCache.set(server, attachment);
  }

  count(): number {
    return this.ctx.getWebSockets().length;
  }

  attachmentOf(ws: WebSocket): Attachment {
    let attachment = this.attachmentCache.get(ws);
    if (!attachment) {
      attachment = ws.deserializeAttachment() as Attachment;
      this.attachmentCache.set(ws, attachment);
    }
    return attachment;
  }

  /** Records activity for presence; written through to the attachment at most every 5 s. */
  touch(ws: WebSocket) {
    const attachment = this.attachmentOf(ws);
    const now = Date.now();
    if (now - attachment.lastMessageAt <= 5_000) return;
    const fresh = { ...attachment, lastMessageAt: now };
    ws.serializeAttachment(fresh);
    this.attachmentCache.set(ws, fresh);
  }

  /** Per-socket token bucket; a flood gets one error a second, not one per frame. */
  allow(ws: WebSocket, perSecond: number): boolean {
    const { state, result } = take(this.buckets.get(ws), { capacity: perSecond * 2, refillPerSecond: perSecond }, Date.now());
    this.buckets.set(ws, state);
    if (result.allowed) return true;
    const last = this.lastRateError.get(ws) ?? 0;
    if (Date.now() - last > 1_000) {
      this.lastRateError.set(ws, Date.now());
      this.sendError(ws, 'rate_limited', `Slow down: at most ${perSecond} messages a second`);
    }
    return false;
  }

  forget(ws: WebSocket) {
    this.buckets.delete(ws);
    this.lastRateError.delete(ws);
    this.attachmentCache.delete(ws);
  }

  private open(): { ws: WebSocket; attachment: Attachment }[] {
    return this.ctx.getWebSockets().flatMap((ws) => (ws.readyState === WebSocket.OPEN ? [{ ws, attachment: this.attachmentOf(ws) }] : []));
  }

  presence(): PresenceEntry[] {
    return presenceOf(this.open().map(({ ws, attachment }) => ({
      actor: attachment.actor,
      lastSeenMs: Math.max(attachment.lastMessageAt, this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0),
    })), Date.now());
  }

  /** Tells the table who is here; unless forced, only when something changed. */
  announcePresence(force: boolean) {
    const entries = this.presence();
    const key = presenceKey(entries);
    if (!force && key === this.lastPresence) return;
    this.lastPresence = key;
    this.broadcastEphemeral({ type: 'presence', members: entries });
  }

  /** A logged event to everyone allowed to see it, as they may see it. */
  broadcast(event: SessionEvent) {
    // Most events look the same to everyone who may see them: serialize each distinct view once.
    const serialized = new Map<SessionEvent, string>();
    for (const { ws, attachment } of this.open()) {
      const view = viewFor(event, attachment.actor);
      if (!view) continue;
      let text = serialized.get(view);
      if (text === undefined) {
        text = JSON.stringify(view);
        serialized.set(view, text);
      }
      this.sendText(ws, text);
    }
  }

  /** One ephemeral event to everyone (but `except`): stamped and serialized once, not once per socket. */
  broadcastEphemeral(body: Record<string, unknown>, except?: WebSocket) {
    const text = JSON.stringify(this.stamp(body));
    for (const { ws } of this.open()) if (ws !== except) this.sendText(ws, text);
  }

  /** An ephemeral event: stamped with the latest seq, not logged. */
  send(ws: WebSocket, body: Record<string, unknown>) {
    this.sendRaw(ws, this.stamp(body));
  }

  private stamp(body: Record<string, unknown>) {
    return { v: PROTOCOL_VERSION, seq: this.lastSeq(), at: new Date().toISOString(), ...body };
  }

  sendError(ws: WebSocket, code: ErrorCode, message: string, ref?: string, errors?: { path: string; message: string }[]) {
    this.send(ws, { type: 'error', code, message, ref: ref ?? null, ...(errors ? { errors } : {}) });
  }

  sendRaw(ws: WebSocket, body: unknown) {
    this.sendText(ws, JSON.stringify(body));
  }

  private sendText(ws: WebSocket, text: string) {
    try {
      ws.send(text);
    } catch {
      // The socket closed under us; its close handler cleans up.
    }
  }
}
