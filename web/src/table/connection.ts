/**
 * One table's WebSocket: gets a ticket, connects, resumes from the last event
 * it holds, keeps the line alive, and reconnects by itself (backoff with
 * jitter; at once when the browser says it is back online). It hands every
 * server event to `onEvent` and its state to `onStatus`; it never queues
 * frames while disconnected (a chat line sent twice is worse than one the
 * player can see was not sent).
 */
import { api, ApiError } from '../api/client';
import type { ClientMessage, ServerEvent } from './events';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed';

export interface ConnectionOptions {
  sessionId: string;
  /** Where to resume from (the highest seq held); read at each connect. */
  lastSeq: () => number;
  onEvent: (event: ServerEvent) => void;
  onStatus: (status: ConnectionStatus, detail?: string) => void;
}

/** Keep-alive: the exact text the runtime answers without waking the room. */
const PING = '{"type":"ping"}';
const PING_EVERY_MS = 25_000;
/** No frame at all for this long (pings included) and the line is taken for dead. */
const SILENT_MS = 60_000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
/** Close codes after which reconnecting cannot help: removed from the table/campaign, session over. */
const FINAL_CODES = new Set([1000, 4001, 4003]);

export class TableConnection {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ping: ReturnType<typeof setInterval> | null = null;
  #lastFrame = 0;
  #stopped = false;
  #status: ConnectionStatus = 'connecting';
  readonly #options: ConnectionOptions;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    addEventListener('online', this.#online);
    addEventListener('offline', this.#offline);
    void this.#connect();
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Sends a frame; false when the line is down (the caller keeps what the player typed). */
  send(message: ClientMessage): boolean {
    if (this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(message));
    return true;
  }

  close() {
    this.#stopped = true;
    removeEventListener('online', this.#online);
    removeEventListener('offline', this.#offline);
    this.#clear();
    this.#ws?.close(1000, 'left the table');
    this.#ws = null;
    this.#set('closed');
  }

  #set(status: ConnectionStatus, detail?: string) {
    this.#status = status;
    this.#options.onStatus(status, detail);
  }

  #clear() {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ping) clearInterval(this.#ping);
    this.#timer = this.#ping = null;
  }

  async #connect() {
    if (this.#stopped) return;
    if (!navigator.onLine) return this.#set('offline');
    this.#set(this.#attempt ? 'reconnecting' : 'connecting');
    let url: string;
    try {
      const ticket = await api<{ ticket: string; url: string }>(`/sessions/${this.#options.sessionId}/tickets`, { method: 'POST' });
      url = ticket.url;
    } catch (error) {
      // Not live any more, or no longer a member: nothing to reconnect to.
      if (error instanceof ApiError && [401, 403, 404, 409, 410].includes(error.status)) return this.#set('closed', error.message);
      return this.#retry();
    }
    if (this.#stopped) return;
    const lastSeq = this.#options.lastSeq();
    const target = new URL(url, location.href);
    target.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    if (lastSeq > 0) target.searchParams.set('lastSeq', String(lastSeq));
    const ws = new WebSocket(target);
    this.#ws = ws;
    ws.onopen = () => {
      this.#attempt = 0;
      this.#lastFrame = Date.now();
      this.#set('open');
      this.#ping = setInterval(() => {
        if (Date.now() - this.#lastFrame > SILENT_MS) return ws.close(4000, 'no answer');
        ws.send(PING);
      }, PING_EVERY_MS);
    };
    ws.onmessage = (message) => {
      this.#lastFrame = Date.now();
      if (typeof message.data !== 'string') return;
      try {
        this.#options.onEvent(JSON.parse(message.data) as ServerEvent);
      } catch {
        // a frame we cannot read is skipped, the connection stays
      }
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#clear();
      this.#ws = null;
      if (this.#stopped) return;
      if (FINAL_CODES.has(event.code)) return this.#set('closed', event.reason);
      this.#retry();
    };
  }

  #retry() {
    if (this.#stopped) return;
    if (!navigator.onLine) return this.#set('offline');
    const base = BACKOFF_MS[Math.min(this.#attempt, BACKOFF_MS.length - 1)]!;
    this.#attempt++;
    this.#set('reconnecting');
    this.#timer = setTimeout(() => void this.#connect(), base / 2 + Math.random() * base);
  }

  readonly #online = () => {
    if (this.#stopped || this.#ws) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#attempt = 0;
    void this.#connect();
  };

  /** The browser lost its network: drop the socket now rather than wait for it to time out; resume when back. */
  readonly #offline = () => {
    if (this.#stopped) return;
    const ws = this.#ws;
    this.#ws = null;
    this.#clear();
    ws?.close(4000, 'offline');
    this.#set('offline');
  };
}
