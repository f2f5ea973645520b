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

  it('streams a body of known length into one put, byte for byte', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const { stream, bytes } = pdfLikeStream(size);
    const stored = await storePdf(env.FILES, 'test/single.pdf', stream, size, 200 * 1024 * 1024);
    expect(stored).toEqual({ size, sha256: await sha256(bytes) });
    expect(new Uint8Array(await (await env.FILES.get('test/single.pdf'))!.arrayBuffer())).toEqual(bytes);
  });

  it('refuses a body shorter or longer than its declared length, and stores nothing', async () => {
    const short = pdfLikeStream(1000);
    // A huge declared length no longer reserves memory up front; the short body is refused when it ends.
    await expect(storePdf(env.FILES, 'test/short.pdf', short.stream, 40 * 1024 * 1024, 200 * 1024 * 1024)).rejects.toMatchObject({ status: 400 });
    expect(await env.FILES.head('test/short.pdf')).toBeNull();
    const long = pdfLikeStream(2000);
    await expect(storePdf(env.FILES, 'test/long.pdf', long.stream, 1000, 200 * 1024 * 1024)).rejects.toMatchObject({ status: 400 });
    expect(await env.FILES.head('test/long.pdf')).toBeNull();
  });

  it('reports a client that hangs up mid-upload as 499, not as a server error', async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(new TextEncoder().encode('%PDF-1.7 and then the line drops'));
        else controller.error(new Error('connection reset'));
      },
    });
    await expect(storePdf(env.FILES, 'test/aborted.pdf', stream, null, 200 * 1024 * 1024)).rejects.toMatchObject({ status: 499 });
    expect(await env.FILES.head('test/aborted.pdf')).toBeNull();
  });

  it('refuses a body that is not a PDF before anything is stored', async () => {
    const stream = new Blob(['<html>not a pdf</html>']).stream();
    await expect(storePdf(env.FILES, 'test/html.pdf', stream, 22, 200 * 1024 * 1024)).rejects.toMatchObject({ status: 415 });
    expect(await env.FILES.head('test/html.pdf')).toBeNull();
  });
});
