import { ClientMessageSchema } from '../src/session/protocol';
import { z } from 'zod';
const N = 300;
const junk = new Float64Array(4 << 20);
const fns: Function[] = [];
for (let k = 0; k < 3000; k++) fns.push(new Function('a', `return a * ${k} + ${k % 7} - (a >> ${k % 5}) + '${k}'.length;`));
function thrash() { let s = 0; for (let i = 0; i < junk.length; i += 8) { junk[i] += 1; s += junk[i]; } for (const f of fns) s += f(s & 1023); return s; }
const byType = new Map(ClientMessageSchema.options.map((o) => [o.shape.type.value as string, o]));
const chat = byType.get('chat')!;
const hand = (raw: any) => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  let n = 0;
  for (const k in raw) { n++; if (k !== 'type' && k !== 'text' && k !== 'mode' && k !== 'id' && k !== 'characterId') return null; }
  if (typeof raw.text !== 'string') return null;
  const text = raw.text.trim();
  if (text.length < 1 || text.length > 2000) return null;
  return { type: 'chat', text, mode: raw.mode ?? 'ooc' };
};
const t = { union: 0, option: 0, hand: 0 };
let sink = 0;
for (let i = 0; i < N; i++) {
  if (process.env.COLD === '1') sink += thrash() & 1;
  const raw = JSON.parse(`{"type":"chat","text":"bench ${i % 8} ${i}"}`);
  const a = performance.now();
  const r1 = ClientMessageSchema.safeParse(raw);
  const b = performance.now();
  if (process.env.COLD === '1') sink += thrash() & 1;
  const c = performance.now();
  const r2 = byType.get(raw.type)!.safeParse(raw);
  const d = performance.now();
  if (process.env.COLD === '1') sink += thrash() & 1;
  const e = performance.now();
  const r3 = hand(raw);
  const f = performance.now();
  sink += (r1.success ? 1 : 0) + (r2.success ? 1 : 0) + (r3 ? 1 : 0);
  if (i >= 20) { t.union += b - a; t.option += d - c; t.hand += f - e; }
}
console.log(Object.entries(t).map(([k, v]) => `${k} ${(v * 1000 / (N - 20)).toFixed(1)}µs`).join('  '), sink);
