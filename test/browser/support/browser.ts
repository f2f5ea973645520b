/**
 * The browser tests' parts: Debian's Chromium driven by playwright-core (no
 * downloaded browser; `playwright install` is never run), the real Worker
 * under `wrangler dev` with the demo data seeded, axe for accessibility, and
 * screenshots kept as artifacts in test-results/browser/.
 */
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ARTIFACTS = join(process.cwd(), 'test-results', 'browser');

export function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** No serious or critical accessibility violations on the page as it is now (axe-core, WCAG 2.x A/AA rules). */
export async function expectAccessible(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(report, `${screen}: accessibility`).toEqual([]);
}

/** Every uncaught page error and console error, for the test to assert there were none. */
export function collectErrors(page: Page, into: string[]) {
  page.on('pageerror', (e) => into.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // A refused WebSocket or a 4xx answer the screen shows is logged by the browser itself; the test checks the screen.
    if (m.type() === 'error' && !/Failed to load resource|WebSocket/.test(m.text())) into.push(`${page.url()}: ${m.text()}`);
  });
}
