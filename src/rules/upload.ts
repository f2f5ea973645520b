/**
 * Streams an uploaded PDF into R2 while hashing it, without holding it in
 * memory: small files in one put, large ones as an R2 multipart upload.
 * The first bytes are sniffed for `%PDF-` before anything is stored.
 */
import { concatBytes, toHex } from '../lib/bytes';

/** Multipart part size: R2's minimum (5 MiB), so an upload holds at most one part in memory. */
export const PART_BYTES = 5 * 1024 * 1024;
/** Above this, the upload goes to R2 in parts. */
export const MULTIPART_THRESHOLD = 50 * 1024 * 1024;

export class UploadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'UploadError';
  }
}

/** The client went away mid-upload: not our error, logged as a 499 (client closed request). */
export const CLIENT_CLOSED = 499;

export interface StoredUpload {
  sha256: string;
  size: number;
}

const PDF_MAGIC = '%PDF-';
const tooLarge = (maxBytes: number) => new UploadError(413, `The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
const notPdf = () => new UploadError(415, 'That is not a PDF (it does not start with %PDF-)');

/**
 * The body's chunks as they arrive, checked on the way: the first bytes must be `%PDF-`
 * (nothing is yielded before that is known), the running size may not pass `maxBytes`
 * nor the declared length, every byte is hashed, and a broken read (the client hung up)
 * becomes a 499. Nothing is allocated ahead of the data.
 */
async function* checkedChunks(body: ReadableStream<Uint8Array>, maxBytes: number, declared: number | null, hash: WritableStreamDefaultWriter<Uint8Array>) {
  const reader = body.getReader();
  let head: Uint8Array[] | null = [];
  let headBytes = 0;
  let total = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        throw new UploadError(CLIENT_CLOSED, 'The connection closed before the upload finished');
      }
      if (next.done) break;
      const chunk = next.value;
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      if (declared !== null && total > declared) throw new UploadError(400, `The body is longer than its Content-Length (${declared} bytes)`);
      await hash.write(chunk);
      if (head) {
        // Hold the first bytes back until the PDF signature can be checked.
        head.push(chunk);
        headBytes += chunk.byteLength;
        if (headBytes < PDF_MAGIC.length) continue;
        const first = concatBytes(head);
        if (new TextDecoder().decode(first.subarray(0, PDF_MAGIC.length)) !== PDF_MAGIC) throw notPdf();
        head = null;
        yield first;
        continue;
      }
      yield chunk;
    }
    if (total === 0) throw new UploadError(400, 'The file is empty');
    if (head) throw notPdf();
    if (declared !== null && total !== declared) throw new UploadError(400, `The upload ended after ${total} of the ${declared} bytes its Content-Length announced`);
  } catch (err) {
    // Refused mid-stream: stop reading the rest of the body.
    await reader.cancel().catch(() => undefined);
    throw err;
  } finally {
    reader.releaseLock();
  }
}

/** Regroups chunks into parts of exactly `partBytes` (R2 wants equal parts but the last), allocating each part only once it is full. */
async function* exactParts(chunks: AsyncIterable<Uint8Array>, partBytes: number) {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (let chunk of chunks) {
    while (pendingBytes + chunk.byteLength >= partBytes) {
      const take = partBytes - pendingBytes;
      pending.push(chunk.subarray(0, take));
      yield concatBytes(pending);
      chunk = chunk.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (chunk.byteLength) {
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
    }
  }
  if (pendingBytes > 0) yield concatBytes(pending);
}

/**
 * Stores the body under `key` and returns its SHA-256 and size. A body of known length up to
 * MULTIPART_THRESHOLD streams straight into one `put` through a FixedLengthStream (R2 needs the
 * length up front); a larger or unknown-length body goes up as a multipart upload. A refused
 * upload leaves nothing behind.
 */
export async function storePdf(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, declaredLength: number | null, maxBytes: number): Promise<StoredUpload> {
  if (declaredLength !== null && declaredLength > maxBytes) throw tooLarge(maxBytes);
  if (declaredLength === 0) throw new UploadError(400, 'The file is empty');
  const digest = new crypto.DigestStream('SHA-256');
  // If the upload is refused, the digest rejects; that is expected, not an unhandled error.
  const digested = digest.digest;
  digested.catch(() => undefined);
  const hash = digest.getWriter();
  const chunks = checkedChunks(body, maxBytes, declaredLength, hash);
  const multipart = declaredLength === null || declaredLength > MULTIPART_THRESHOLD;
  const upload = multipart ? await bucket.createMultipartUpload(key, { httpMetadata: { contentType: 'application/pdf' } }) : null;
  let size = 0;
  try {
    if (upload) {
      const parts: R2UploadedPart[] = [];
      for await (const part of exactParts(chunks, PART_BYTES)) {
        size += part.byteLength;
        parts.push(await upload.uploadPart(parts.length + 1, part));
      }
      await upload.complete(parts);
    } else {
      const { readable, writable } = new FixedLengthStream(declaredLength!);
      const stored = bucket.put(key, readable, { httpMetadata: { contentType: 'application/pdf' } });
      stored.catch(() => undefined);
      const writer = writable.getWriter();
      try {
        for await (const chunk of chunks) {
          size += chunk.byteLength;
          await writer.write(chunk);
        }
        await writer.close();
      } catch (err) {
        await writer.abort(err).catch(() => undefined);
        throw err;
      }
      await stored;
    }
    await hash.close();
    const bytes = new Uint8Array(await digested);
    return { sha256: toHex(bytes), size };
  } catch (err) {
    await upload?.abort().catch(() => undefined);
    if (!upload) await bucket.delete(key).catch(() => undefined);
    await hash.abort().catch(() => undefined);
    throw err;
  }
}

/** A display-safe file name: no directories, no control characters, at most 200 characters. */
export function safeFilename(name: string | null | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return clean || 'rulebook.pdf';
}
