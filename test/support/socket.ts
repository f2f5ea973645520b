/** WebSocket clients for the table, through the real Worker (ticket → upgrade). */
import { exports } from 'cloudflare:workers';
import { call, nextIp, type TestUser } from './api';

export interface ServerEvent {
  type: string;
  seq: number;
  [key: string]: any;
}

export class TableClient {
  readonly events: ServerEvent[] = [];
  private waiters: { predicate: (e: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] = [];
  closed: { code: number; reason: string } | null = null;

  constructor(readonly ws: WebSocket, readonly name: string) {
    ws.addEventListener('message', (m) => {
      const event = JSON.parse(m.data as string) as ServerEvent;
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => (w.predicate(event) ? (w.resolve(event), false) : true));
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' || message instanceof ArrayBuffer ? message : JSON.stringify(message));
  }

  /** Resolves with the first event (already received or future) matching `predicate`. */
  waitFor(predicate: (e: ServerEvent) => boolean, timeoutMs = 5_000, label = 'event'): Promise<ServerEvent> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: timed out waiting for ${label}; got ${JSON.stringify(this.events.map((e) => e.type))}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  }

  /** Sends and waits for the ack (or error) carrying `id`. */
  async request(message: Record<string, unknown>): Promise<ServerEvent> {
    const id = `r${Math.random().toString(36).slice(2)}`;
    this.send({ ...message, id });
    return this.waitFor((e) => (e.type === 'ack' || e.type === 'error') && e.ref === id, 5_000, `reply to ${String(message.type)}`);
  }

  ofType(type: string) {
    return this.events.filter((e) => e.type === type);
  }

  close() {
    try {
      this.ws.close(1000, 'bye');
    } catch {
      // already closed
    }
  }
}

export async function upgrade(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`http://lorekeeper.test${path}`, { headers: { Upgrade: 'websocket', 'cf-connecting-ip': nextIp(), ...headers } }));
}

export async function connect(user: TestUser, sessionId: string, name: string, options: { lastSeq?: number } = {}): Promise<TableClient> {
  const ticket = await call('POST', `/api/sessions/${sessionId}/tickets`, { token: user.token });
  if (ticket.status !== 201) throw new Error(`ticket failed: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  const res = await upgrade(ticket.body.url + (options.lastSeq !== undefined ? `&lastSeq=${options.lastSeq}` : ''));
  if (!res.webSocket) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  res.webSocket.accept();
  const client = new TableClient(res.webSocket, name);
  await client.waitFor((e) => e.type === 'welcome', 5_000, 'welcome');
  return client;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
