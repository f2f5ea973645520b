/**
 * The runtime's own floor for the fan-out benchmark: the Lorekeeper Worker,
 * unchanged, plus two bare broadcast rooms served by the same `wrangler dev`
 * (same runtime, same proxy, same machine). Never deployed: only
 * `bench/fanout.ts` runs it, with a config generated from wrangler.toml.
 *
 * - `FloorRoom`: Hibernation API, parse → re-serialize → send to all; no
 *   validation, no persistence.
 * - `FloorRoomSql`: the same plus one SQLite insert per message, before the
 *   broadcast (the least a durable table must do).
 *
 * Routes: `/bench/floor/{bare|sql}/{room}` (WebSocket upgrade); `POST /bench/gc`,
 * a full collection of the isolate's heap, which the rooms and the app share
 * (when workerd runs with V8's `--expose-gc`; 501 otherwise); everything else
 * goes to the Lorekeeper app.
 */
import { DurableObject } from 'cloudflare:workers';
import lorekeeper from '../../src/index';

export { GameSession, RateLimiter } from '../../src/index';

interface FloorEnv extends Env {
  FLOOR_ROOM: DurableObjectNamespace;
  FLOOR_ROOM_SQL: DurableObjectNamespace;
}

export class FloorRoom extends DurableObject {
  /** `?wide=1` (a diagnostic, FANOUT_SERVERS=floor+sql-wide): frames shaped and sized like the table's chat events. */
  #wide = false;
  #seq = 0;

  protected persist(_text: string): void {}

  override async fetch(request: Request): Promise<Response> {
    this.#wide ||= new URL(request.url).searchParams.get('wide') === '1';
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(_ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const msg = JSON.parse(String(data)) as { text?: unknown };
    const out = this.#wide
      ? JSON.stringify({ seq: ++this.#seq, type: 'chat', actor: { userId: '00000000-0000-4000-8000-000000000000', displayName: 'Bench player' }, audience: 'all', text: msg.text, mode: 'ooc', v: 1, at: new Date().toISOString(), eventId: 'AAAAAAAAAAAAAAAA' })
      : JSON.stringify({ type: 'chat', text: msg.text });
    this.persist(this.#wide ? out : String(msg.text));
    for (const socket of this.ctx.getWebSockets()) socket.send(out);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, 'bye');
  }
}

export class FloorRoomSql extends FloorRoom {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)');
  }

  protected override persist(text: string): void {
    this.ctx.storage.sql.exec('INSERT INTO events (body) VALUES (?)', text);
  }
}

export default {
  fetch(request, env, ctx) {
    if (request.method === 'POST' && new URL(request.url).pathname === '/bench/gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) return new Response('start workerd with --expose-gc', { status: 501 });
      gc();
      return new Response(null, { status: 204 });
    }
    const match = /^\/bench\/floor\/(bare|sql)\/([\w-]{1,64})$/.exec(new URL(request.url).pathname);
    if (!match) return lorekeeper.fetch!(request, env, ctx);
    const namespace = match[1] === 'sql' ? env.FLOOR_ROOM_SQL : env.FLOOR_ROOM;
    return namespace.get(namespace.idFromName(match[2]!)).fetch(request);
  },
  queue: lorekeeper.queue,
} satisfies ExportedHandler<FloorEnv>;
