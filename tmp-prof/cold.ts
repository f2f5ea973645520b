import { readFrame } from '../src/session/frame';
import { handle } from '../src/session/engine';
import { emptyRoomState } from '../src/session/room-state';
import { viewFor } from '../src/session/visibility';
const N = Number(process.env.N ?? 300);
const actor = { userId: '00000000-0000-4000-8000-000000000001', displayName: 'Bench player', role: 'player' } as const;
const state = emptyRoomState();
const ctx = { rng: Math.random, newId: () => 'abcd1234', now: () => new Date().toISOString() } as any;
const junk = new Float64Array(4 << 20);
const fns: Function[] = [];
for (let k = 0; k < 3000; k++) fns.push(new Function('a', `return a * ${k} + ${k % 7} - (a >> ${k % 5}) + '${k}'.length;`));
function thrash() { let s = 0; for (let i = 0; i < junk.length; i += 8) { junk[i] += 1; s += junk[i]; } for (const f of fns) s += f(s & 1023); return s; }
const t = { parse: 0, zod: 0, handle: 0, rest: 0, json: 0 };
let sink = 0;
for (let i = 0; i < N; i++) {
  if (process.env.COLD === '1') sink += thrash() & 1;
  const text = `{"type":"chat","text":"bench ${i % 8} ${i}"}`;
  const a = performance.now();
  JSON.parse(text);
  const b = performance.now();
  const f = readFrame(text) as any;
  const c = performance.now();
  const out = handle(state, actor as any, f.msg, ctx);
  const d = performance.now();
  const e = { ...out.events[0], v: 1, at: new Date().toISOString(), eventId: 'AAAAAAAAAAAAAAAA' };
  const body = JSON.stringify(e);
  const stored = { ...e, seq: i };
  const { seq: _s, ...uns } = stored;
  const vis = viewFor(uns as any, actor as any);
  sink += body.length + JSON.stringify(vis).length;
  const g = performance.now();
  if (i >= 20) { t.json += b - a; t.zod += c - b; t.handle += d - c; t.rest += g - d; }
}
const n = N - 20;
console.log(Object.entries(t).map(([k, v]) => `${k} ${(v * 1000 / n).toFixed(1)}µs`).join('  '), sink > 0);
