/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`,
 * server scenarios) against a fresh `wrangler dev`. The suite sends no
 * credentials, so a local proxy adds a new user's API key to every request
 * (and leaves Host and Origin as the suite sent them, for the DNS-rebinding
 * scenario).
 *
 *   npm run mcp:conformance                       the scenarios that apply to any server
 *   SCENARIOS=tools-list,ping npm run mcp:conformance
 *
 * Scenarios such as tools-call-error, resources-templates-read or
 * json-schema-2020-12 call the suite's own fixture tools (`test_error_handling`,
 * `test://template/…`) that only its reference server has; they are listed by
 * `npx conformance list` and are not run by default.
 */
import { execFile } from 'node:child_process';
import { createServer, request } from 'node:http';
import { promisify } from 'node:util';
import { api, benchCampaign } from './lib/api';
import { startWranglerDev } from './lib/wrangler-dev';

const run = promisify(execFile);
const DEV_PORT = 8798;
const PROXY_PORT = 8799;
const SCENARIOS = (process.env.SCENARIOS ?? 'server-initialize,ping,tools-list,prompts-list,resources-list,dns-rebinding-protection').split(',');

const dev = await startWranglerDev(DEV_PORT, {});
let failed = 0;
try {
  const { token } = await benchCampaign(dev.url, 'MCP conformance');
  const { key } = await api(dev.url, 'POST', '/api/me/api-keys', { name: 'conformance' }, token);
  const proxy = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: DEV_PORT, path: req.url, method: req.method, headers: { ...req.headers, authorization: `Bearer ${key}` } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }).listen(PROXY_PORT);
  for (const scenario of SCENARIOS) {
    try {
      const { stdout } = await run('npx', ['conformance', 'server', '--url', `http://127.0.0.1:${PROXY_PORT}/mcp`, '--scenario', scenario], { encoding: 'utf8', timeout: 120_000 });
      console.log(`${scenario}: ${stdout.match(/Passed: .*/)?.[0] ?? 'passed'}`);
    } catch (err) {
      failed++;
      const e = err as { stdout?: string; code?: number };
      console.log(`${scenario}: FAILED (exit ${e.code})\n${(e.stdout ?? '').split('\n').filter((l) => /FAIL|Passed|Error/.test(l)).join('\n')}`);
    }
  }
  proxy.close();
} finally {
  dev.stop();
}
process.exitCode = failed ? 1 : 0;
