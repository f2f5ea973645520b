/** The full SRD, uploaded through the API and ingested by the real pipeline. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { api } from './api';

export const SRD_PATH = process.env.SRD_PDF ?? fileURLToPath(new URL('../../../shared/data/SRD_CC_v5.1.pdf', import.meta.url));

export function srdBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(SRD_PATH)) as Uint8Array<ArrayBuffer>;
}

/** Uploads the SRD and waits until it is searchable; returns the book and the wall time from upload to ready. */
export async function ingestSrd(base: string, token: string, campaignId: string): Promise<{ id: string; pages: number; chunks: number; seconds: number }> {
  const started = performance.now();
  const res = await fetch(`${base}/api/campaigns/${campaignId}/rulebooks?title=SRD%205.1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
    body: srdBytes(),
  });
  const book = await res.json() as any;
  if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${JSON.stringify(book)}`);
  for (;;) {
    const now = await api(base, 'GET', `/api/campaigns/${campaignId}/rulebooks/${book.id}`, undefined, token);
    if (now.status === 'ready') return { id: book.id, pages: now.progress.pagesTotal, chunks: now.progress.chunks, seconds: (performance.now() - started) / 1000 };
    if (now.status === 'failed') throw new Error(`ingestion failed: ${now.error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
