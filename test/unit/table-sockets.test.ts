import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AWAY_AFTER_MS } from '../../src/session/presence';
import type { Actor, SessionEvent } from '../../src/session/protocol';
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
  sent: string[] = [];
  send(frame: string) {
    this.sent.push(frame);
  }
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

describe('TableSockets#broadcast', () => {
  const gm: Actor = { userId: '00000000-0000-4000-8000-00000000000a', displayName: 'Gamemaster', role: 'gm' };
  const other: Actor = { userId: '00000000-0000-4000-8000-000000000002', displayName: 'Bram', role: 'player' };
  const watcher: Actor = { userId: '00000000-0000-4000-8000-000000000003', displayName: 'Cleo', role: 'spectator' };
  let seq = 0;
  /** An event as the room logs it: `body` is its JSON without `seq`, as stored. */
  const logged = (fields: Record<string, unknown>) => {
    const unsequenced = { v: 1, type: 'chat', at: '2026-11-25T00:00:00.000Z', actor: { userId: player.userId, displayName: player.displayName }, audience: 'all', eventId: `e${seq + 1}`, ...fields };
    return { event: { ...unsequenced, seq: ++seq } as SessionEvent, body: JSON.stringify(unsequenced) };
  };

  beforeEach(() => {
    vi.stubGlobal('WebSocket', { OPEN: 1 });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('numbers each viewer in their own sequence, redacts per role and author, and never sends the room seq', () => {
    seq = 0;
    const sockets: FakeSocket[] = [];
    const table = new TableSockets(room(sockets), () => 0);
    const at = (actor: Actor) => {
      const ws = new FakeSocket();
      table.accept(ws as unknown as WebSocket, actor);
      return ws;
    };
    // The author on two sockets, the GM, another player, a spectator.
    const [mine, mineToo, theGm, theirs, watching] = [at(player), at(player), at(gm), at(other), at(watcher)];
    // Everyone is counted before the first event (an empty log): from here on, broadcasts keep the count.
    for (const actor of [player, gm, other, watcher]) expect(table.position(actor)).toBe(0);
    const received = (ws: FakeSocket) => ws.sent.map((f) => JSON.parse(f) as Record<string, unknown>);

    const chat = logged({ text: 'Hello' });
    table.broadcast(chat.event, chat.body);
    const hidden = logged({ type: 'roll', actor: { userId: gm.userId, displayName: gm.displayName }, audience: 'gm', visibility: 'gm', total: 17 });
    table.broadcast(hidden.event, hidden.body);
    const blind = logged({ type: 'roll', visibility: 'blind', total: 12, groups: [{ dice: [12] }] });
    table.broadcast(blind.event, blind.body);
    const after = logged({ text: 'Next' });
    table.broadcast(after.event, after.body);

    // The GM saw all four; everyone else three, numbered 1–3 with no gap where the hidden roll was.
    expect(received(theGm).map((e) => [e.seq, e.eventId])).toEqual([[1, 'e1'], [2, 'e2'], [3, 'e3'], [4, 'e4']]);
    for (const ws of [mine, mineToo, theirs, watching]) expect(received(ws).map((e) => [e.seq, e.eventId])).toEqual([[1, 'e1'], [2, 'e3'], [3, 'e4']]);
    // A view that redacts nothing is the logged JSON with the viewer's seq spliced in.
    expect(theirs.sent[0]).toBe(`{"seq":1,${chat.body.slice(1)}`);
    // The blind roll: the GM sees the result; the roller and the others do not.
    expect(received(theGm)[2]).toMatchObject({ total: 12, visibility: 'blind' });
    for (const ws of [mine, theirs, watching]) expect(received(ws)[1]).toMatchObject({ total: null, groups: [], visibility: 'blind' });
    // Viewers who share a view and a position get the very same string.
    expect(mine.sent[1]).toBe(mineToo.sent[1]);
    expect(mine.sent[1]).toBe(theirs.sent[1]);
  });

  it('gives viewers at different positions their own frames of one view', () => {
    seq = 0;
    const sockets: FakeSocket[] = [];
    // Viewers first seen at a broadcast are counted from storage, which holds the new event: here the GM has
    // seen one event more than the players (a hidden roll before this room woke up).
    const table = new TableSockets(room(sockets), (viewer) => (viewer.role === 'gm' ? 4 : 3));
    const seat = (actor: Actor) => {
      const ws = new FakeSocket();
      table.accept(ws as unknown as WebSocket, actor);
      return ws;
    };
    const [a, b, g] = [seat(player), seat(other), seat(gm)];
    const chat = logged({ text: 'Hi' });
    table.broadcast(chat.event, chat.body);
    expect([a, b, g].map((ws) => JSON.parse(ws.sent[0]!).seq)).toEqual([3, 3, 4]);
    expect(g.sent[0]).toBe(`{"seq":4,${chat.body.slice(1)}`);
    expect(a.sent[0]).toBe(b.sent[0]);
  });
});
