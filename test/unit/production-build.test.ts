/**
 * The production configuration of both Workers builds (`wrangler deploy
 * --dry-run --env production`: bundling, bindings, minification), and each
 * stays within its size budget, gzipped: a broken production config or a
 * heavy new dependency fails CI instead of the deploy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Budgets in KiB, gzipped (measured 2026-11-24: API 1,075 KiB with pdf.js, the MCP SDK, the English word list and Sentry; ingest 589 KiB). */
const BUDGETS = [
  { worker: 'API (lorekeeper)', config: 'wrangler.toml', kib: 1200 },
  { worker: 'ingest (lorekeeper-ingest)', config: 'workers/ingest/wrangler.toml', kib: 700 },
];

describe('production build', () => {
  for (const { worker, config, kib } of BUDGETS) {
    it(`${worker} builds and stays under ${kib} KiB gzipped`, () => {
      const out = mkdtempSync(join(tmpdir(), 'lorekeeper-build-'));
      try {
        const log = execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--env', 'production', '-c', config, '--outdir', out], {
          encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }, stdio: ['ignore', 'pipe', 'pipe'],
        });
        const gzip = Number(/gzip: ([\d.]+) KiB/.exec(log)?.[1]);
        expect(gzip).toBeGreaterThan(0);
        expect(gzip).toBeLessThanOrEqual(kib);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
