/**
 * Re-indexes rulebooks through the API (chunks, FTS5 rows, vocabulary and, in
 * production, vectors are rebuilt from the stored PDF) and waits until each is
 * searchable again. Authenticate with an API key (POST /api/me/api-keys).
 *
 *   npm run reindex -- --url http://localhost:8787 --key lk_… --campaign <id> [--rulebook <id>]
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { url: { type: 'string', default: 'http://localhost:8787' }, key: { type: 'string' }, campaign: { type: 'string' }, rulebook: { type: 'string' } },
});
if (!values.key || !values.campaign) {
  console.error('usage: npm run reindex -- --url <base> --key <api key> --campaign <campaign id> [--rulebook <rulebook id>]');
  process.exit(2);
}

async function api(method: string, path: string): Promise<any> {
  const res = await fetch(`${values.url}${path}`, { method, headers: { authorization: `Bearer ${values.key}` } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${body.detail ?? JSON.stringify(body)}`);
  return body;
}

const base = `/api/campaigns/${values.campaign}/rulebooks`;
const ids: string[] = values.rulebook ? [values.rulebook] : (await api('GET', base)).items.map((b: { id: string }) => b.id);
let failed = 0;
for (const id of ids) {
  const started = Date.now();
  const book = await api('POST', `${base}/${id}/reindex`);
  process.stdout.write(`${book.title}: re-indexing`);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await api('GET', `${base}/${id}`);
    if (now.status === 'ready') {
      console.log(` done: ${now.progress.pagesTotal} pages, ${now.progress.chunks} passages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      break;
    }
    if (now.status === 'failed') {
      console.log(` failed: ${now.error}`);
      failed++;
      break;
    }
  }
}
process.exit(failed ? 1 : 0);
