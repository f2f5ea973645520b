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
 * Routes: `/bench/floor/{bare|sql}/{room}` (WebSocket upgrade); everything
 * else goes to the Lorekeeper app.
 */
import { DurableObject } from 'cloudflare:workers';
import lorekeeper from '../../src/index';

export { GameSession, RateLimiter } from '../../src/index';

interface FloorEnv extends Env {
  FLOOR_ROOM: DurableObjectNamespace;
  FLOOR_ROOM_SQL: DurableObjectNamespace;
}

export class FloorRoom extends DurableObject {
  protected persist(_text: string): void {}

  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(_ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const msg = JSON.parse(String(data)) as { text?: unknown };
    this.persist(String(msg.text));
    const out = JSON.stringify({ type: 'chat', text: msg.text });
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
    const match = /^\/bench\/floor\/(bare|sql)\/([\w-]{1,64})$/.exec(new URL(request.url).pathname);
    if (!match) return lorekeeper.fetch!(request, env, ctx);
    const namespace = match[1] === 'sql' ? env.FLOOR_ROOM_SQL : env.FLOOR_ROOM;
    return namespace.get(namespace.idFromName(match[2]!)).fetch(request);
  },
  queue: lorekeeper.queue,
} satisfies ExportedHandler<FloorEnv>;
