import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AWAY_AFTER_MS } from '../../src/session/presence';
import type { Actor } from '../../src/session/protocol';
import { TableSockets } from '../../src/session/table-sockets';

/** A hibernatable socket as the room sees it: an attachment that survives a wake-up only as last serialized. */
class FakeSocket {
  readonly readyState = 1;
  stored: unknown;
  writes = 0;
  serializeAttachment(value: unknown) {
    this.writes++;
    this.stored = structuredClone(value);
  }
  deserializeAttachment() {
    return structuredClone(this.stored);
  }
  send() {}
}

const room = (sockets: FakeSocket[]) => ({
  acceptWebSocket: (ws: FakeSocket) => sockets.push(ws),
  getWebSockets: () => sockets,
  getWebSocketAutoResponseTimestamp: () => null,
}) as unknown as DurableObjectState;

const player: Actor = { userId: '00000000-0000-4000-8000-000000000001', displayName: 'Ayla', role: 'player' };

describe('TableSockets#touch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    vi.stubGlobal('WebSocket', { OPEN: 1 });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('keeps activity fresh in memory and writes the attachment through at most once a minute', () => {
    const sockets: FakeSocket[] = [];
    const table = new TableSockets(room(sockets), () => 0);
    const ws = new FakeSocket();
    table.accept(ws as unknown as WebSocket, player);
    expect(ws.writes).toBe(1);

    // A line a second for most of a minute: presence follows every line, the attachment is not rewritten.
    for (let t = 1_000; t <= 59_000; t += 1_000) {
      vi.setSystemTime(t);
      table.touch(ws as unknown as WebSocket);
    }
    expect(ws.writes).toBe(1);
    vi.setSystemTime(59_000 + AWAY_AFTER_MS - 1);
    expect(table.presence()[0]!.status).toBe('online');

    // Past the minute, the next line is written through, so a room woken from hibernation knows it.
    vi.setSystemTime(61_000);
    table.touch(ws as unknown as WebSocket);
    expect(ws.writes).toBe(2);
    expect((ws.deserializeAttachment() as { lastMessageAt: number }).lastMessageAt).toBe(61_000);
    const woken = new TableSockets(room(sockets), () => 0);
    vi.setSystemTime(61_000 + AWAY_AFTER_MS - 1);
    expect(woken.presence()[0]!.status).toBe('online');
  });
});
