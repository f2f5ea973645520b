/** Uploading fixture PDFs and waiting for ingestion, through the real Worker. */
import { env, exports } from 'cloudflare:workers';
import { call, type ApiResponse, type TestUser } from './api';

export function fixture(name: string): Uint8Array {
  const b64 = env.TEST_PDFS[name];
  if (!b64) throw new Error(`no fixture ${name}`);
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

export async function uploadPdf(user: TestUser, campaignId: string, bytes: Uint8Array, query = ''): Promise<ApiResponse> {
  const res = await exports.default.fetch(new Request(`http://lorekeeper.test/api/campaigns/${campaignId}/rulebooks${query}`, {
    method: 'POST',
    headers: { ...(user.token ? { authorization: `Bearer ${user.token}` } : {}), 'content-type': 'application/pdf', 'cf-connecting-ip': '198.51.100.9' },
    body: bytes,
  }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** Polls the rulebook until ingestion is over (ready or failed). */
export async function waitForIngestion(user: TestUser, campaignId: string, id: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/api/campaigns/${campaignId}/rulebooks/${id}`, { token: user.token });
    if (res.body.status === 'ready' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`ingestion still ${res.body.status} (${JSON.stringify(res.body.progress)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
