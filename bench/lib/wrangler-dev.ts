/**
 * Starts `wrangler dev` for a benchmark (or the browser tests) in its own process group with a fresh
 * local state directory (migrated), and stops the whole group afterwards.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DevServer {
  url: string;
  /** The process group id of wrangler and its workerd processes (for CPU accounting). */
  pgid: number;
  stop(): void;
}

export interface DevOptions {
  /** Another wrangler config (default: wrangler.toml). */
  config?: string;
  /** Extra environment for wrangler (e.g. X_LOCAL_OBSERVABILITY=false). */
  env?: Record<string, string>;
  /** Where to run wrangler (another checkout, e.g. a reference commit's worktree). */
  cwd?: string;
  /** Seed the demo campaign and accounts (scripts/seed.ts) into the fresh state, as `npm run dev` does. */
  seed?: boolean;
}

export async function startWranglerDev(port: number, vars: Record<string, string>, options: DevOptions = {}): Promise<DevServer> {
  const state = mkdtempSync(join(tmpdir(), 'lorekeeper-bench-'));
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...options.env };
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { env, stdio: 'ignore', cwd: options.cwd });
  if (options.seed) execFileSync('npx', ['tsx', 'scripts/seed.ts', '--local', '--persist-to', state, '--quiet'], { env, stdio: 'ignore', cwd: options.cwd });
  const config = options.config ? ['--config', options.config] : [];
  const args = ['wrangler', 'dev', ...config, '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])];
  // detached: a new process group (setsid), so stop() can end wrangler and workerd together.
  const child: ChildProcess = spawn('npx', args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  let log = '';
  // WRANGLER_DEV_LOG=<file>: the dev server's output, each chunk stamped with the wall clock (e.g. with
  // MINIFLARE_WORKERD_V8_FLAGS=--trace-gc, to line collections up with FANOUT_DEBUG's slow lines).
  const keep = (d: Buffer) => {
    log += d;
    if (process.env.WRANGLER_DEV_LOG) appendFileSync(process.env.WRANGLER_DEV_LOG, `${Date.now()} ${d}`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health/live`);
      if (res.ok) return { url, pgid: child.pid!, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`wrangler dev did not start:\n${log.slice(-2000)}`);
}
