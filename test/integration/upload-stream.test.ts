/** The streaming upload path on its own: multipart for large or unknown-length bodies, hashing, and caps mid-stream. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PART_BYTES, storePdf, UploadError } from '../../src/rules/upload';

/** A stream of `size` bytes starting with %PDF-, delivered in uneven chunks, length unknown to the reader. */
function pdfLikeStream(size: number): { stream: ReadableStream<Uint8Array>; bytes: Uint8Array } {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  for (let i = 9; i < size; i++) bytes[i] = (i * 31) & 0xff;
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= size) return controller.close();
      const n = Math.min(size - offset, 700_001);
      controller.enqueue(bytes.slice(offset, offset + n));
      offset += n;
    },
  });
  return { stream, bytes };
}

async function sha256(bytes: Uint8Array) {
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('streaming upload', () => {
  it('stores a body of unknown length as an R2 multipart upload, byte for byte, with its SHA-256', async () => {
    const size = PART_BYTES * 2 + 1234;
    const { stream, bytes } = pdfLikeStream(size);
    const stored = await storePdf(env.FILES, 'test/multipart.pdf', stream, null, 200 * 1024 * 1024);
    expect(stored).toEqual({ size, sha256: await sha256(bytes) });
    const object = await env.FILES.get('test/multipart.pdf');
    expect(object!.size).toBe(size);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
  });

  it('stops at the cap mid-stream and leaves nothing behind', async () => {
    const { stream } = pdfLikeStream(3 * 1024 * 1024);
    await expect(storePdf(env.FILES, 'test/too-big.pdf', stream, null, 1024 * 1024)).rejects.toMatchObject({ status: 413 });
    expect(await env.FILES.head('test/too-big.pdf')).toBeNull();
    const declared = pdfLikeStream(10);
    await expect(storePdf(env.FILES, 'test/declared.pdf', declared.stream, 5 * 1024 * 1024, 1024 * 1024)).rejects.toBeInstanceOf(UploadError);
  });
});
