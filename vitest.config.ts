import { readdirSync, readFileSync } from 'node:fs';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { generateKeyPair } from './src/ops/backup/archive';
import { defineConfig } from 'vitest/config';

/** The PDFs of test/fixtures, base64-encoded, for tests running inside workerd (which has no file system). */
function fixturePdfs(): Record<string, string> {
  const dir = new URL('./test/fixtures/', import.meta.url);
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.pdf')).map((f) => [f, readFileSync(new URL(f, dir)).toString('base64')]));
}

/**
 * Three projects:
 *  - unit: pure modules (src/game, src/lib, token bucket…, the web client's state and roll cards) in plain Node, no Workers runtime;
 *  - browser: the web client end to end in Chromium against `wrangler dev` (test/browser; SKIP_BROWSER_TESTS=1 leaves it out);
 *  - workers: the real Worker in workerd through Miniflare, with local D1 (migrations applied), R2 and Durable Objects.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  // A fresh backup key pair per run: the Worker gets the public half, the restore tests the private one.
  const backupKeys = await generateKeyPair();
  return {
    test: {
      projects: [
        {
          // The web client's modules are .tsx with Preact's JSX runtime (as web/vite.config.ts builds them).
          oxc: { jsx: { runtime: 'automatic' as const, importSource: 'preact' } },
          test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' as const },
        },
        // The web client in Debian's Chromium against `wrangler dev` (scripts/ensure-chromium.sh installs it).
        ...(process.env.SKIP_BROWSER_TESTS ? [] : [{
          test: { name: 'browser', include: ['test/browser/**/*.test.ts'], environment: 'node' as const, testTimeout: 150_000, hookTimeout: 180_000 },
        }]),
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  TEST_PDFS: fixturePdfs(),
                  ENVIRONMENT: 'test',
                  JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
                  CORS_ORIGINS: 'https://table.example',
                  METRICS_TOKEN: 'test-metrics-token-0123456789',
                  BACKUP_RECIPIENT: backupKeys.recipient,
                  BACKUP_TEST_IDENTITY: backupKeys.identity,
                  // Small enough for the limit tests to reach quickly.
                  MAX_SOCKETS_PER_TABLE: '8',
                  SOCKET_MESSAGES_PER_SECOND: '50',
                  // The scripted narrator streams a word every 15 ms: slow enough to cancel and supersede mid-stream.
                  NARRATOR_SCRIPTED_DELAY_MS: '15',
                  // The hostile-input property test: requests per operation and seed (npm run fuzz:http raises the runs).
                  HOSTILE_RUNS: process.env.HOSTILE_RUNS ?? '6',
                  HOSTILE_SEED: process.env.HOSTILE_SEED ?? '20261123',
                  ...(process.env.HOSTILE_VERBOSE ? { HOSTILE_VERBOSE: '1' } : {}),
                  // A larger fuzz run sends more than the per-user bucket allows in a minute.
                  ...(process.env.HOSTILE_RUNS ? { RATE_LIMIT_USER_PER_MINUTE: '1000000', RATE_LIMIT_IP_PER_MINUTE: '1000000' } : {}),
                },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: ['test/integration/**/*.test.ts'],
            setupFiles: ['./test/support/apply-migrations.ts'],
            testTimeout: 30_000,
            // Request logs are printed only for failing tests.
            silent: 'passed-only',
          },
        },
      ],
    },
  };
});
