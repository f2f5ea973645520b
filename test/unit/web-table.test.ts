/**
 * The web client's table logic without a browser: folding server events into
 * state (no duplicates, seq order, snapshots, streams), the roll card's dice,
 * snippets rendered as text, and the connection's resume and reconnect.
 */
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { roll as rollDice } from '../../src/game/dice/roll';
import type { RollEvent, ServerEvent } from '../../web/src/table/events';
import { dieViews, RollCard } from '../../web/src/table/roll-card';
import { applyEvent, initialTable, MAX_LOG, mergeLog, openRollRequests, type TableState } from '../../web/src/table/state';
import { snippetParts } from '../../web/src/ui/snippet';

const GM = { userId: 'gm-1', displayName: 'Demo GM' };
const ALICE = { userId: 'alice-1', displayName: 'Alice' };
const chat = (seq: number, text: string, eventId = `e${seq}`): ServerEvent => ({ v: 1, type: 'chat', seq, eventId, at: '2026-11-24T10:00:00Z', actor: GM, audience: 'all', text, mode: 'ooc' });
const fold = (events: ServerEvent[], from: TableState = initialTable()) => events.reduce(applyEvent, from);

describe('table state', () => {
  it('keeps each logged event once, in seq order, however often and in whatever order it arrives', () => {
    const state = fold([chat(1, 'one'), chat(3, 'three'), chat(2, 'two'), chat(3, 'three'), chat(1, 'one')]);
    expect(state.log.map((e) => e.text)).toEqual(['one', 'two', 'three']);
    expect(state.lastSeq).toBe(3);
  });

  it('takes who you are from welcome, and the table from a snapshot, merging its recent events with what is shown', () => {
    const shown = fold([{ v: 1, type: 'welcome', seq: 0, you: { ...ALICE, role: 'player' } }, chat(1, 'one'), chat(2, 'two')]);
    expect(shown.me?.role).toBe('player');
    const snap = applyEvent(shown, {
      v: 1, type: 'snapshot', seq: 4, reason: 'too_far_behind', scene: 'A dark cave', ready: null,
      encounter: { active: true, round: 2, currentId: 'c1', combatants: [] }, presence: [{ ...ALICE, role: 'player', status: 'online', connections: 1 }],
      recent: [chat(2, 'two'), chat(4, 'four')], history: { url: '/api/sessions/s/messages', before: 2 },
    });
    expect(snap.log.map((e) => e.seq)).toEqual([1, 2, 4]);
    expect(snap.lastSeq).toBe(4);
    expect(snap.scene).toBe('A dark cave');
    expect(snap.encounter.round).toBe(2);
    expect(snap.presence).toHaveLength(1);
    expect(snap.history?.before).toBe(2);
  });

  it('starts over when a role change renumbers the log', () => {
    const state = fold([chat(1, 'one'), chat(2, 'two')]);
    const snap = applyEvent(state, { v: 1, type: 'snapshot', seq: 5, reason: 'role_changed', recent: [chat(5, 'five', 'x5')], presence: [] });
    expect(snap.log.map((e) => e.text)).toEqual(['five']);
  });

  it('bounds the log it keeps in memory', () => {
    const many = Array.from({ length: MAX_LOG + 20 }, (_, i) => chat(i + 1, `line ${i + 1}`));
    const log = mergeLog([], many);
    expect(log).toHaveLength(MAX_LOG);
    expect(log.at(-1)?.text).toBe(`line ${MAX_LOG + 20}`);
  });

  it('streams a narration and replaces it with the logged one when it ends', () => {
    let state = fold([
      { v: 1, type: 'narration.start', seq: 0, narrationId: 'n1', kind: 'scene', label: 'Scripted narrator', provider: 'scripted' },
      { v: 1, type: 'narration.delta', seq: 0, narrationId: 'n1', text: 'The cave ' },
      { v: 1, type: 'narration.delta', seq: 0, narrationId: 'other', text: 'ignored ' },
      { v: 1, type: 'narration.delta', seq: 0, narrationId: 'n1', text: 'breathes.' },
    ]);
    expect(state.narration?.text).toBe('The cave breathes.');
    state = applyEvent(state, { v: 1, type: 'narration', seq: 1, eventId: 'n1e', narrationId: 'n1', status: 'cancelled', text: 'The cave breathes.', actor: GM, audience: 'all' });
    expect(state.narration).toBeNull();
    expect(state.log.map((e) => e.status)).toEqual(['cancelled']);
  });

  it('marks a message the GM removed, tracks typing, and lists roll requests still open for me', () => {
    let state = fold([chat(1, 'oops'), { v: 1, type: 'typing', seq: 1, actor: ALICE, typing: true }]);
    expect(state.typing).toEqual({ [ALICE.userId]: 'Alice' });
    state = fold([
      { v: 1, type: 'moderation', seq: 2, eventId: 'm2', action: 'removed', of: 'e1', actor: GM, audience: 'all' },
      { v: 1, type: 'chat', seq: 3, eventId: 'e3', actor: ALICE, text: 'hi', mode: 'ooc', audience: 'all' },
      { v: 1, type: 'roll.request', seq: 4, eventId: 'r4', actor: GM, audience: 'all', to: ALICE, character: { id: 'c', name: 'Tamsin' }, check: 'Dexterity save', dc: 14, mode: 'normal' },
      { v: 1, type: 'roll.request', seq: 5, eventId: 'r5', actor: GM, audience: 'all', to: ALICE, character: { id: 'c', name: 'Tamsin' }, check: 'Stealth', dc: null, mode: 'normal' },
      { v: 1, type: 'roll', seq: 6, eventId: 'x6', actor: ALICE, audience: 'all', requestId: 'r4', total: 15 },
    ], state);
    expect(state.log.find((e) => e.eventId === 'e1')?.removed).toBeTruthy();
    expect(state.typing).toEqual({});
    expect(openRollRequests(state, ALICE.userId).map((e) => e.check)).toEqual(['Stealth']);
    expect(openRollRequests(state, GM.userId)).toEqual([]);
  });

  it('says when the session ended or the player was removed, and keeps the last error', () => {
    const state = fold([
      { v: 1, type: 'error', seq: 0, code: 'invalid_roll', message: 'Roll at least one die' },
      { v: 1, type: 'ended', seq: 0, reason: 'The GM ended the session' },
    ]);
    expect(state.error?.message).toBe('Roll at least one die');
    expect(state.ended?.reason).toBe('The GM ended the session');
  });
});

describe('roll cards', () => {
  /** Dice that land on the given faces, in order. */
  const seq = (values: number[]) => {
    let i = 0;
    return { die: (sides: number) => Math.min(sides, values[i++ % values.length]!) };
  };

  it('marks every die: kept, dropped, exploded; a natural 20 and 1 on a d20', () => {
    const keep = rollDice('4d6kh3', seq([6, 2, 5, 3]));
    expect(dieViews(keep.groups[0]!).map((d) => `${d.value}:${d.classes.join('+')}`)).toEqual(['6:kept', '2:dropped', '5:kept', '3:kept']);
    expect(dieViews(keep.groups[0]!)[1]!.label).toBe('2 (dropped)');
    const boom = rollDice('2d6!', seq([6, 3, 2]));
    expect(dieViews(boom.groups[0]!).filter((d) => d.classes.includes('exploded'))).toHaveLength(1);
    expect(dieViews({ sides: 20, dice: [{ value: 20, kept: true }, { value: 1, kept: false, dropped: true }] }).map((d) => d.classes)).toEqual([['kept', 'crit'], ['dropped']]);
  });

  it('renders the dice, the total and who may see it', () => {
    const result = rollDice('4d6kh3', seq([6, 2, 5, 3]));
    const roll: RollEvent = { v: 1, type: 'roll', seq: 1, eventId: 'r1', actor: ALICE, audience: 'gm', visibility: 'gm', expression: '4d6kh3', ...result };
    const html = renderToString(h(RollCard, { roll }));
    expect(html).toContain('<span role="listitem" class="die dropped" title="2 (dropped)">2</span>');
    expect(html.match(/class="die kept"/g)).toHaveLength(3);
    expect(html).toContain(`<output>${result.total}</output>`);
    expect(html).toContain('Hidden: GM only');
    expect(html).toContain(`aria-label="Alice rolled 4d6kh3: ${result.total}"`);
  });

  it('shows a blind roll to its roller without the result, and a check with its breakdown and DC', () => {
    const blind: RollEvent = { v: 1, type: 'roll', seq: 1, actor: ALICE, visibility: 'blind', expression: '1d20', total: null as never, groups: [], text: 'Blind roll: only the GM sees the result' };
    const html = renderToString(h(RollCard, { roll: blind }));
    expect(html).toContain('Blind roll: only the GM sees the result');
    expect(html).not.toContain('<output>');
    const check: RollEvent = {
      v: 1, type: 'roll', seq: 2, actor: ALICE, character: { id: 'c', name: 'Tamsin' }, total: 17, groups: [{ notation: '1d20', sides: 20, dice: [{ value: 15, kept: true }], value: 15 }],
      check: { kind: 'save', label: 'Dexterity save', parts: [{ label: 'Dex', value: 2 }], mode: 'advantage', reasons: ['Dodge'] }, dc: 14, success: true,
    };
    const out = renderToString(h(RollCard, { roll: check }));
    expect(out).toContain('Dexterity save');
    expect(out).toContain('Dex +2');
    expect(out).toContain('advantage (Dodge)');
    expect(out).toContain('DC 14: success');
  });
});

describe('search snippets', () => {
  it('are text with marked words, never HTML', () => {
    expect(snippetParts('A <mark>grapple</mark> &amp; a <mark>shove</mark> &lt;script&gt;')).toEqual([
      { text: 'A ', marked: false }, { text: 'grapple', marked: true }, { text: ' & a ', marked: false }, { text: 'shove', marked: true }, { text: ' <script>', marked: false },
    ]);
  });
});

describe('the table connection', () => {
  class FakeSocket {
    static all: FakeSocket[] = [];
    static OPEN = 1;
    readyState = 0;
    sent: string[] = [];
    onopen?: () => void;
    onmessage?: (m: { data: string }) => void;
    onclose?: (e: { code: number; reason: string }) => void;
    constructor(readonly url: URL) {
      FakeSocket.all.push(this);
    }
    send(data: string) {
      this.sent.push(data);
    }
    close(code = 1000, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
    open() {
      this.readyState = 1;
      this.onopen?.();
    }
  }
  const listeners: Record<string, (() => void)[]> = {};
  let online = true;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    online = true;
    const store = new Map<string, string>([['lorekeeper.session', JSON.stringify({ refreshToken: 'r', user: ALICE })]]);
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v), removeItem: (k: string) => store.delete(k) });
    vi.stubGlobal('location', new URL('http://table.test/tables/s1'));
    vi.stubGlobal('navigator', { get onLine() { return online; } });
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('addEventListener', (type: string, fn: () => void) => (listeners[type] ??= []).push(fn));
    vi.stubGlobal('removeEventListener', (type: string, fn: () => void) => (listeners[type] = (listeners[type] ?? []).filter((f) => f !== fn)));
    let n = 0;
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      if (url === '/api/auth/refresh') return Response.json({ accessToken: 'a', refreshToken: 'r2' });
      return Response.json({ ticket: `wst_${++n}`, url: `/api/sessions/s1/ws?ticket=wst_${n}` });
    }));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('connects with a ticket, resumes from the last seq after a drop, and goes quiet when offline', async () => {
    const { TableConnection } = await import('../../web/src/table/connection');
    let lastSeq = 0;
    const statuses: string[] = [];
    const events: ServerEvent[] = [];
    const conn = new TableConnection({ sessionId: 's1', lastSeq: () => lastSeq, onEvent: (e) => events.push(e), onStatus: (s) => statuses.push(s) });
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    const first = FakeSocket.all[0]!;
    expect(first.url.protocol).toBe('ws:');
    expect(first.url.searchParams.get('ticket')).toBe('wst_1');
    expect(first.url.searchParams.has('lastSeq')).toBe(false);
    first.open();
    first.onmessage?.({ data: JSON.stringify(chat(7, 'hi')) });
    first.onmessage?.({ data: 'not json' });
    expect(events.map((e) => e.seq)).toEqual([7]);
    expect(conn.send({ type: 'chat', text: 'hello' })).toBe(true);
    expect(JSON.parse(first.sent[0]!)).toEqual({ type: 'chat', text: 'hello' });

    // The line drops: a new ticket, and the socket resumes after what the client holds.
    lastSeq = 7;
    first.close(1006, 'gone');
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(conn.send({ type: 'chat', text: 'lost?' })).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    expect(FakeSocket.all[1]!.url.searchParams.get('lastSeq')).toBe('7');
    FakeSocket.all[1]!.open();
    expect(statuses.at(-1)).toBe('open');

    // The browser goes offline: the socket is dropped at once and nothing retries until it is back.
    online = false;
    listeners.offline?.forEach((f) => f());
    expect(statuses.at(-1)).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    online = true;
    listeners.online?.forEach((f) => f());
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(3));

    // Removed from the table: no reconnecting.
    FakeSocket.all[2]!.open();
    FakeSocket.all[2]!.close(4001, 'removed by the GM');
    expect(statuses.at(-1)).toBe('closed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(3);
    conn.close();
  });
});
