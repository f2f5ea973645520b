/**
 * Fan-out benchmark: N clients at one table, each sending chat at a steady
 * rate; measures delivered messages per second and end-to-end latency
 * (send → every receiver), against Lorekeeper under `wrangler dev` and, in the
 * same run, a minimal raw `ws` broadcast server. Prints the ratios.
 *
 *   npm run bench:fanout            # N = 8, 32, 128, 10 s each
 *   FANOUT_SECONDS=5 FANOUT_SIZES=8,32 npm run bench:fanout
 */
import { once } from 'node:events';
import { WebSocket, WebSocketServer } from 'ws';
import { api, benchCampaign } from './lib/api';
import { fmt, percentile } from './lib/stats';
import { startWranglerDev } from './lib/wrangler-dev';

const SIZES = (process.env.FANOUT_SIZES ?? '8,32,128').split(',').map(Number);
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 10);
const RATE_PER_CLIENT = Number(process.env.FANOUT_RATE ?? 1); // chat lines per second per client
const PORT = 8799;
const BASELINE_PORT = 8798;

interface Result {
  sent: number;
  delivered: number;
  expected: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs the workload over already-open sockets. `encode` builds a chat frame; `decode` extracts the text of a chat event. */
async function workload(sockets: WebSocket[], encode: (text: string) => string, decode: (raw: string) => string | null): Promise<Result> {
  const latencies: number[] = [];
  let delivered = 0;
  const started = performance.now();
  for (const ws of sockets) {
    ws.on('message', (data) => {
      const text = decode(data.toString());
      if (!text?.startsWith('bench ')) return;
      delivered++;
      latencies.push(performance.now() - Number(text.split(' ')[2]));
    });
  }
  let sent = 0;
  const interval = 1000 / RATE_PER_CLIENT;
  const timers = sockets.map((ws, i) => {
    // Spread the clients' sends evenly over the interval.
    const start = setTimeout(() => {
      const tick = () => {
        if (performance.now() - started > SECONDS * 1000) return;
        ws.send(encode(`bench ${i} ${performance.now()}`));
        sent++;
      };
      tick();
      timers.push(setInterval(tick, interval) as unknown as NodeJS.Timeout);
    }, (interval * i) / sockets.length);
    return start;
  });
  await new Promise((r) => setTimeout(r, SECONDS * 1000 + 3000)); // let the tail arrive
  timers.forEach((t) => clearInterval(t));
  latencies.sort((a, b) => a - b);
  const expected = sent * sockets.length;
  return { sent, delivered, expected, perSecond: delivered / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function openAll(urls: string[]): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (const url of urls) {
    const ws = new WebSocket(url);
    await once(ws, 'open');
    sockets.push(ws);
  }
  return sockets;
}

async function closeAll(sockets: WebSocket[]) {
  await Promise.all(sockets.map((ws) => { ws.close(); return once(ws, 'close').catch(() => undefined); }));
}

async function lorekeeper(base: string, n: number, token: string, campaignId: string): Promise<Result> {
  const session = await api(base, 'POST', `/api/campaigns/${campaignId}/sessions`, { title: `bench ${n}` }, token);
  await api(base, 'POST', `/api/sessions/${session.id}/start`, undefined, token);
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const ticket = await api(base, 'POST', `/api/sessions/${session.id}/tickets`, undefined, token);
    urls.push(base.replace('http', 'ws') + ticket.url);
  }
  const sockets = await openAll(urls);
  const result = await workload(
    sockets,
    (text) => JSON.stringify({ type: 'chat', text }),
    (raw) => { const e = JSON.parse(raw); return e.type === 'chat' ? e.text : null; },
  );
  await closeAll(sockets);
  await api(base, 'POST', `/api/sessions/${session.id}/end`, undefined, token);
  return result;
}

async function baseline(n: number): Promise<Result> {
  const server = new WebSocketServer({ port: BASELINE_PORT, host: '127.0.0.1' });
  await once(server, 'listening');
  // The simplest correct broadcast: parse, stamp, send to everyone.
  server.on('connection', (ws) => ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    const out = JSON.stringify({ type: 'chat', text: msg.text });
    for (const client of server.clients) client.send(out);
  }));
  const sockets = await openAll(Array.from({ length: n }, () => `ws://127.0.0.1:${BASELINE_PORT}`));
  const result = await workload(sockets, (text) => JSON.stringify({ type: 'chat', text }), (raw) => JSON.parse(raw).text ?? null);
  await closeAll(sockets);
  await new Promise((r) => server.close(r));
  return result;
}

async function main() {
  const dev = await startWranglerDev(PORT, {
    MAX_SOCKETS_PER_TABLE: '256', SOCKET_MESSAGES_PER_SECOND: '100',
    RATE_LIMIT_IP_PER_MINUTE: '100000', RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_AUTH_PER_MINUTE: '1000',
  });
  try {
    const { token, campaignId } = await benchCampaign(dev.url, 'Benchmark');
    console.log(`fan-out: ${RATE_PER_CLIENT} chat/s per client, ${SECONDS} s per run; latency = send → delivery to each client`);
    console.log('clients | server      | delivered/s | delivered/expected | p50 ms | p99 ms');
    const rows: string[] = [];
    for (const n of SIZES) {
      const lk = await lorekeeper(dev.url, n, token, campaignId);
      const raw = await baseline(n);
      for (const [name, r] of [['lorekeeper', lk], ['raw ws', raw]] as const) {
        console.log(`${String(n).padStart(7)} | ${name.padEnd(11)} | ${fmt(r.perSecond).padStart(11)} | ${`${r.delivered}/${r.expected}`.padStart(18)} | ${fmt(r.p50).padStart(6)} | ${fmt(r.p99).padStart(6)}`);
      }
      rows.push(`N=${n}: throughput ratio ${fmt(lk.perSecond / raw.perSecond, 2)} (lorekeeper/raw), p50 ratio ${fmt(lk.p50 / raw.p50, 1)}×, p99 ratio ${fmt(lk.p99 / raw.p99, 1)}×`);
    }
    console.log('');
    for (const row of rows) console.log(row);
  } finally {
    dev.stop();
  }
}

await main();
