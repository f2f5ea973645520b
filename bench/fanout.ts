/**
 * Fan-out benchmark: N clients at one table, each sending chat at a steady
 * rate; measures delivery, end-to-end latency (send → every receiver) and the
 * dev server's CPU per message. In the same `wrangler dev` (same runtime,
 * proxy and machine) it runs the same workload against the runtime's own
 * floor: a bare Durable Object broadcast room, and the same room with one
 * SQLite insert per message (bench/floor/worker.ts). A raw `ws` server in this
 * process is the physical floor. Prints every row and the ratios.
 *
 *   npm run bench:fanout                         # N = 8, 32, 64, 128; 10 s each; compression not offered
 *   FANOUT_SECONDS=5 FANOUT_SIZES=8,32 npm run bench:fanout
 *   FANOUT_DEFLATE=on npm run bench:fanout       # clients offer permessage-deflate, as browsers do
 *   FANOUT_REPEAT=3 npm run bench:fanout         # three interleaved runs per size; ratios of the medians
 */
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { api, benchCampaign } from './lib/api';
import { groupCpuMs } from './lib/cpu';
import { selfTimes, startAllocationSampler, startProfiler, totalTimes } from './lib/profile';
import { fmt, median, percentile } from './lib/stats';
import { startWranglerDev, type DevServer } from './lib/wrangler-dev';

const SIZES = (process.env.FANOUT_SIZES ?? '8,32,64,128').split(',').map(Number);
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 10);
const RATE_PER_CLIENT = Number(process.env.FANOUT_RATE ?? 1); // chat lines per second per client
const DEFLATE = process.env.FANOUT_DEFLATE === 'on';
/** Runs of each size (servers interleaved); the ratios use the median over runs, since one stall sets a p99. */
const REPEAT = Number(process.env.FANOUT_REPEAT ?? 1);
/** FANOUT_DEBUG=1 prints when the slowest deliveries happened. */
const DEBUG = process.env.FANOUT_DEBUG === '1';
/** FANOUT_SERVERS=lorekeeper,floor+sql runs only those; `floor+sql-wide` (not run by default) is floor+sql sending frames shaped and sized like the table's. */
/** FANOUT_PROFILE=1 samples the Worker's isolate during each run (inspector, 100 µs) and prints where its time went; profiles land in $TMPDIR (diagnostic: sampling slows the runs). */
const PROFILE = process.env.FANOUT_PROFILE === '1';
/**
 * Every run starts from a collected heap (a full collection before it, for every server: bench/floor's
 * `POST /bench/gc`, workerd started with V8's --expose-gc):
 * the Worker's rooms share one isolate, so without it a run pays for garbage left by the run before it, or by the
 * table's own setup (accounts, session, tickets: HTTP through the whole app), and which run a full collection
 * lands in is luck. FANOUT_SETTLE=0 leaves the heap as it is.
 */
const SETTLE = process.env.FANOUT_SETTLE !== '0';
/** FANOUT_ALLOC=1 samples what the isolate allocates during each run and prints bytes per message by function (diagnostic). */
const ALLOC = process.env.FANOUT_ALLOC === '1';
const SERVERS = (process.env.FANOUT_SERVERS ?? 'lorekeeper,floor+sql,floor,raw ws').split(',');
const PORT = 8799;
const BASELINE_PORT = 8798;
const FLOOR_CONFIG = 'wrangler.bench-floor.toml';

interface Result {
  sent: number;
  delivered: number;
  expected: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Dev server CPU per message sent (ms), when measured. */
  cpuPerMessage: number | null;
  extensions: string;
  /** Every delivery's latency (ms), sorted: runs are pooled for the summary's percentiles. */
  latencies: number[];
}

/** Runs the workload over already-open sockets. `encode` builds a chat frame; `decode` extracts the text of a chat event. */
async function workload(sockets: WebSocket[], encode: (text: string) => string, decode: (raw: string) => string | null, dev?: DevServer, seconds = SECONDS, label = 'run'): Promise<Result> {
  const latencies: number[] = [];
  const slow: [number, number][] = [];
  let delivered = 0;
  if (SETTLE && dev) await settle(dev);
  // The dev server's idle CPU (wrangler, its proxy, timers) over a quiet stretch with the sockets open, subtracted below.
  const idleMs = dev ? await idleCpuMsPerSecond(dev) : 0;
  const cpuBefore = dev ? groupCpuMs(dev.pgid) : 0;
  const profiler = PROFILE && dev ? await startProfiler() : null;
  const allocations = ALLOC && dev ? await startAllocationSampler() : null;
  const started = performance.now();
  for (const ws of sockets) {
    ws.on('message', (data) => {
      const text = decode(data.toString());
      if (!text?.startsWith('bench ')) return;
      delivered++;
      const sentAt = Number(text.split(' ')[2]);
      latencies.push(performance.now() - sentAt);
      if (DEBUG) slow.push([performance.now() - sentAt, sentAt - started]);
    });
  }
  let sent = 0;
  const interval = 1000 / RATE_PER_CLIENT;
  const timers = sockets.map((ws, i) => {
    // Spread the clients' sends evenly over the interval.
    const start = setTimeout(() => {
      const tick = () => {
        if (performance.now() - started > seconds * 1000) return;
        ws.send(encode(`bench ${i} ${performance.now()}`));
        sent++;
      };
      tick();
      timers.push(setInterval(tick, interval) as unknown as NodeJS.Timeout);
    }, (interval * i) / sockets.length);
    return start;
  });
  await new Promise((r) => setTimeout(r, seconds * 1000 + 3000)); // let the tail arrive
  timers.forEach((t) => clearInterval(t));
  const cpuMs = dev ? groupCpuMs(dev.pgid) - cpuBefore - idleMs * ((performance.now() - started) / 1000) : null;
  if (profiler) {
    const profile = await profiler.stop();
    const file = join(tmpdir(), `fanout-${label}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const perMessage = (ms: number) => `${fmt((ms * 1000) / Math.max(1, sent), 0)} µs/msg`;
    console.log(`  profile ${label} (${file}), self:`, selfTimes(profile).slice(0, 25).map(([k, ms]) => `\n    ${perMessage(ms).padStart(12)}  ${k}`).join(''));
    console.log(`  total:`, totalTimes(profile).slice(0, 40).map(([k, ms]) => `\n    ${perMessage(ms).padStart(12)}  ${k}`).join(''));
  }
  if (allocations) {
    const bytes = await allocations.stop();
    const total = bytes.reduce((sum, [, b]) => sum + b, 0);
    const perMessage = (b: number) => `${fmt(b / Math.max(1, sent), 0)} B/msg`;
    console.log(`  allocated ${label}: ${perMessage(total)}`, bytes.slice(0, 25).map(([k, b]) => `\n    ${perMessage(b).padStart(12)}  ${k}`).join(''));
  }
  latencies.sort((a, b) => a - b);
  if (DEBUG) {
    // A line's slowest delivery, per line: one slow line is N slow deliveries.
    const lines = new Map<number, number>();
    for (const [latency, at] of slow) lines.set(at, Math.max(latency, lines.get(at) ?? 0));
    const slowest = [...lines].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log('  slowest lines (latency ms @ ms into the run):', slowest.map(([at, l]) => `${fmt(l)}@${fmt(at, 0)}`).join(' '), `(run started at ${Math.round(performance.timeOrigin + started)} ms since the epoch)`);
  }
  const expected = sent * sockets.length;
  return {
    sent, delivered, expected, perSecond: delivered / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    cpuPerMessage: cpuMs === null ? null : cpuMs / Math.max(1, sent), extensions: sockets[0]?.extensions || 'none', latencies,
  };
}

/** A full collection of the Worker isolate's heap (see SETTLE). */
async function settle(dev: DevServer) {
  const res = await fetch(`${dev.url}/bench/gc`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`the heap could not be collected: ${res.status} ${await res.text()}`);
}

/** Idle is sampled as one-second slices: their median, so a burst of wrangler's own work (a watcher, a timer)
 * that happens to land in one slice does not count as the idle rate for the whole run. */
const IDLE_SLICES = 6;

async function idleCpuMsPerSecond(dev: DevServer): Promise<number> {
  const slices: number[] = [];
  for (let i = 0; i < IDLE_SLICES; i++) {
    const before = groupCpuMs(dev.pgid);
    const at = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    slices.push(((groupCpuMs(dev.pgid) - before) * 1000) / (performance.now() - at));
  }
  return percentile(slices.sort((a, b) => a - b), 50);
}

async function openAll(urls: string[]): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (const url of urls) {
    const ws = new WebSocket(url, { perMessageDeflate: DEFLATE });
    await once(ws, 'open');
    sockets.push(ws);
  }
  return sockets;
}

async function closeAll(sockets: WebSocket[]) {
  await Promise.all(sockets.map((ws) => { ws.close(); return once(ws, 'close').catch(() => undefined); }));
}

const chatFrame = (text: string) => JSON.stringify({ type: 'chat', text });
const chatText = (raw: string) => {
  const e = JSON.parse(raw);
  return e.type === 'chat' ? e.text : null;
};

/** A GM and `n` players, each their own account (the table numbers events per viewer). */
async function table(base: string, n: number) {
  const gm = await benchCampaign(base, 'Benchmark');
  const players: string[] = [];
  // Registration hashes a password (PBKDF2): a few at a time, each batch with its own invite.
  for (let i = 0; i < n; i += 8) {
    const invite = await api(base, 'POST', `/api/campaigns/${gm.campaignId}/invites`, { maxUses: 8, role: 'player' }, gm.token);
    players.push(...await Promise.all(Array.from({ length: Math.min(8, n - i) }, async () => {
      const { token } = await benchCampaign(base, 'unused');
      await api(base, 'POST', '/api/invites/join', { code: invite.code }, token);
      return token;
    })));
  }
  return { ...gm, players };
}

async function lorekeeper(dev: DevServer, n: number, t: Awaited<ReturnType<typeof table>>, seconds = SECONDS): Promise<Result> {
  const session = await api(dev.url, 'POST', `/api/campaigns/${t.campaignId}/sessions`, { title: `bench ${n}` }, t.token);
  await api(dev.url, 'POST', `/api/sessions/${session.id}/start`, undefined, t.token);
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const ticket = await api(dev.url, 'POST', `/api/sessions/${session.id}/tickets`, undefined, t.players[i]);
    urls.push(dev.url.replace('http', 'ws') + ticket.url);
  }
  const sockets = await openAll(urls);
  const result = await workload(sockets, chatFrame, chatText, dev, seconds, `lorekeeper-${n}`);
  await closeAll(sockets);
  await api(dev.url, 'POST', `/api/sessions/${session.id}/end`, undefined, t.token);
  return result;
}

async function floor(dev: DevServer, n: number, kind: 'bare' | 'sql', seconds = SECONDS, wide = false): Promise<Result> {
  const room = `${kind}-${n}-${Date.now()}`;
  const sockets = await openAll(Array.from({ length: n }, () => `${dev.url.replace('http', 'ws')}/bench/floor/${kind}/${room}${wide ? '?wide=1' : ''}`));
  const result = await workload(sockets, chatFrame, chatText, dev, seconds, `floor-${kind}${wide ? '-wide' : ''}-${n}`);
  await closeAll(sockets);
  return result;
}

async function rawWs(n: number): Promise<Result> {
  const server = new WebSocketServer({ port: BASELINE_PORT, host: '127.0.0.1', perMessageDeflate: DEFLATE });
  await once(server, 'listening');
  // The simplest correct broadcast: parse, stamp, send to everyone.
  server.on('connection', (ws) => ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    const out = JSON.stringify({ type: 'chat', text: msg.text });
    for (const client of server.clients) client.send(out);
  }));
  const sockets = await openAll(Array.from({ length: n }, () => `ws://127.0.0.1:${BASELINE_PORT}`));
  const result = await workload(sockets, chatFrame, chatText);
  await closeAll(sockets);
  await new Promise((r) => server.close(r));
  return result;
}

/** wrangler.toml with the floor rooms added and the Worker entry swapped for bench/floor/worker.ts (never deployed). */
function writeFloorConfig() {
  const base = readFileSync('wrangler.toml', 'utf8').split(/^\[env\.production\]$/m)[0]!
    .replace('main = "src/index.ts"', 'main = "bench/floor/worker.ts"')
    // The floor rooms' paths go to the Worker, not to the web client's single-page fallback.
    .replace(/^run_worker_first = \[/m, 'run_worker_first = ["/bench/*", ');
  writeFileSync(FLOOR_CONFIG, `${base}
[[durable_objects.bindings]]
name = "FLOOR_ROOM"
class_name = "FloorRoom"

[[durable_objects.bindings]]
name = "FLOOR_ROOM_SQL"
class_name = "FloorRoomSql"

[[migrations]]
tag = "bench-floor"
new_sqlite_classes = ["FloorRoom", "FloorRoomSql"]
`);
}

/**
 * The issue's targets against floor+sql, in the same run: p99 within 1.25× at 8, 32 and 64 clients and 1.5× at 128
 * (compression off, nothing lost); CPU per message within 1.25× (read from 32 clients: at 8 the idle noise is as
 * large as the work). The p99 is taken over every run's deliveries pooled, the steadier estimate: a single
 * 30-second run at 8 clients has ~19 deliveries in its slowest 1%, two or three lines.
 */
function targets(n: number, p99: number, cpu: number, lost: number): string[] {
  const check = (label: string, value: number, target: number, unit = '×') => `${value <= target ? 'met   ' : 'MISSED'} N=${String(n).padEnd(4)} ${label.padEnd(22)} ${fmt(value, 2)}${unit} (target ≤ ${target}${unit})`;
  const out = [check('p99', p99, n >= 128 ? 1.5 : 1.25)];
  if (n >= 32) out.push(check('CPU per message', cpu, 1.25));
  if (n >= 128 && !DEFLATE) out.push(check('deliveries lost', lost, 0, ''));
  return out;
}

async function main() {
  writeFloorConfig();
  const dev = await startWranglerDev(PORT, {
    MAX_SOCKETS_PER_TABLE: '256', MAX_SOCKETS_PER_USER: '256', SOCKET_MESSAGES_PER_SECOND: '100',
    RATE_LIMIT_IP_PER_MINUTE: '100000', RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_AUTH_PER_MINUTE: '100000', RATE_LIMIT_SOCKET_UPGRADES_PER_MINUTE: '100000',
  }, { config: FLOOR_CONFIG, env: { X_LOCAL_OBSERVABILITY: 'false', ...(SETTLE ? { MINIFLARE_WORKERD_V8_FLAGS: `${process.env.MINIFLARE_WORKERD_V8_FLAGS ?? ''} --expose-gc`.trim() } : {}) } });
  try {
    const t = await table(dev.url, Math.max(...SIZES));
    console.log(`fan-out: ${RATE_PER_CLIENT} chat/s per client, ${SECONDS} s per run, compression ${DEFLATE ? 'offered by clients' : 'not offered'}, ${SETTLE ? 'heap collected before each run' : 'heap not settled'}; latency = send → delivery to each client; CPU = wrangler dev's process group per message sent, idle CPU subtracted`);
    console.log('clients | server      | delivered/expected | p50 ms | p99 ms | CPU ms/msg | extensions');
    // One unrecorded round first: the first table, room and connections of a fresh dev server pay for compiling
    // and first-time setup (a 270 ms p99 was measured on a cold first run), which is not what is compared here.
    await lorekeeper(dev, 8, t, 2);
    await floor(dev, 8, 'sql', 2);
    await floor(dev, 8, 'bare', 2);
    const ratios: string[] = [];
    const verdicts: string[] = [];
    for (const n of SIZES) {
      const runs: Record<string, Result[]> = { lorekeeper: [], 'floor+sql': [], 'floor+sql-wide': [], floor: [], 'raw ws': [] };
      for (let run = 0; run < REPEAT; run++) {
        const runners: [string, () => Promise<Result>][] = [
          ['lorekeeper', () => lorekeeper(dev, n, t)], ['floor+sql', () => floor(dev, n, 'sql')], ['floor+sql-wide', () => floor(dev, n, 'sql', SECONDS, true)], ['floor', () => floor(dev, n, 'bare')], ['raw ws', () => rawWs(n)],
        ];
        const rows: [string, Result][] = [];
        for (const [name, run] of runners) if (SERVERS.includes(name)) rows.push([name, await run()]);
        for (const [name, r] of rows) {
          runs[name]!.push(r);
          console.log(`${String(n).padStart(7)} | ${name.padEnd(11)} | ${`${r.delivered}/${r.expected}`.padStart(18)} | ${fmt(r.p50).padStart(6)} | ${fmt(r.p99).padStart(6)} | ${(r.cpuPerMessage === null ? '—' : fmt(r.cpuPerMessage, 2)).padStart(10)} | ${r.extensions}`);
        }
      }
      const m = (name: string, key: 'p50' | 'p99' | 'cpuPerMessage') => median(runs[name]!.map((r) => r[key] ?? Number.NaN));
      // Every delivery of every run together: a p99 over REPEAT times the samples, so one run's stall weighs as
      // what it is (1% of a 30-second run at 8 clients is ~19 deliveries, i.e. two or three messages).
      const pooled = (name: string, p: number) => percentile(runs[name]!.flatMap((r) => r.latencies).sort((a, b) => a - b), p);
      const lost = runs.lorekeeper!.reduce((sum, r) => sum + r.expected - r.delivered, 0);
      ratios.push(`N=${n} (median of ${REPEAT}): lorekeeper / floor+sql: p50 ${fmt(m('lorekeeper', 'p50') / m('floor+sql', 'p50'), 2)}×, p99 ${fmt(m('lorekeeper', 'p99') / m('floor+sql', 'p99'), 2)}×, CPU/msg ${fmt(m('lorekeeper', 'cpuPerMessage') / m('floor+sql', 'cpuPerMessage'), 2)}×`
        + ` | lorekeeper / floor: p99 ${fmt(m('lorekeeper', 'p99') / m('floor', 'p99'), 2)}× | lorekeeper / raw ws: p99 ${fmt(m('lorekeeper', 'p99') / m('raw ws', 'p99'), 1)}×`
        + ` | lost: ${lost}`);
      if (SERVERS.includes('lorekeeper') && SERVERS.includes('floor+sql')) verdicts.push(...targets(n, pooled('lorekeeper', 99) / pooled('floor+sql', 99), m('lorekeeper', 'cpuPerMessage') / m('floor+sql', 'cpuPerMessage'), lost));
      if (REPEAT > 1 && SERVERS.includes('floor+sql')) {
        ratios.push(`N=${n} (all ${REPEAT} runs' deliveries pooled): lorekeeper p50 ${fmt(pooled('lorekeeper', 50))} / p99 ${fmt(pooled('lorekeeper', 99))} ms, floor+sql ${fmt(pooled('floor+sql', 50))} / ${fmt(pooled('floor+sql', 99))} ms: p50 ${fmt(pooled('lorekeeper', 50) / pooled('floor+sql', 50), 2)}×, p99 ${fmt(pooled('lorekeeper', 99) / pooled('floor+sql', 99), 2)}×`
          + (runs['floor+sql-wide']!.length ? `; floor+sql-wide ${fmt(pooled('floor+sql-wide', 50))} / ${fmt(pooled('floor+sql-wide', 99))} ms` : ''));
      }
    }
    console.log('');
    for (const row of ratios) console.log(row);
    if (verdicts.length) console.log(`\ntargets (lorekeeper / floor+sql, this run; p99 over every run's deliveries pooled${REPEAT > 1 ? '' : ': a single run, read with care'}):\n${verdicts.join('\n')}`);
  } finally {
    dev.stop();
    rmSync(FLOOR_CONFIG, { force: true });
  }
}

await main();
