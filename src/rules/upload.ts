/**
 * Streams an uploaded PDF into R2 while hashing it, without holding it in
 * memory: small files in one put, large ones as an R2 multipart upload.
 * The first bytes are sniffed for `%PDF-` before anything is stored.
 */
export const PART_BYTES = 10 * 1024 * 1024;
/** Above this, the upload goes to R2 in parts. */
export const MULTIPART_THRESHOLD = 50 * 1024 * 1024;

export class UploadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface StoredUpload {
  sha256: string;
  size: number;
}

/** Reads the stream into parts of `partBytes`, calling `onPart` for each; enforces `maxBytes`. */
async function forEachPart(body: ReadableStream<Uint8Array>, partBytes: number, maxBytes: number, onPart: (part: Uint8Array, index: number) => Promise<void>) {
  const reader = body.getReader();
  let buffer = new Uint8Array(partBytes);
  let filled = 0;
  let total = 0;
  let index = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new UploadError(413, `The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
    }
    let offset = 0;
    while (offset < value.byteLength) {
      const take = Math.min(partBytes - filled, value.byteLength - offset);
      buffer.set(value.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === partBytes) {
        await onPart(buffer, index++);
        buffer = new Uint8Array(partBytes);
        filled = 0;
      }
    }
  }
  if (filled > 0 || index === 0) await onPart(buffer.subarray(0, filled), index);
  return total;
}

export async function storePdf(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, declaredLength: number | null, maxBytes: number): Promise<StoredUpload> {
  if (declaredLength !== null && declaredLength > maxBytes) throw new UploadError(413, `The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit`);
  const digest = new crypto.DigestStream('SHA-256');
  // If the upload is refused, the digest rejects; that is expected, not an unhandled error.
  const digested = digest.digest;
  digested.catch(() => undefined);
  const writer = digest.getWriter();
  const multipart = declaredLength === null || declaredLength > MULTIPART_THRESHOLD;
  const upload = multipart ? await bucket.createMultipartUpload(key, { httpMetadata: { contentType: 'application/pdf' } }) : null;
  const parts: R2UploadedPart[] = [];
  const single: Uint8Array[] = [];
  try {
    const size = await forEachPart(body, multipart ? PART_BYTES : Math.max(1, declaredLength ?? 1), maxBytes, async (part, index) => {
      if (index === 0 && (part.byteLength < 5 || new TextDecoder().decode(part.subarray(0, 5)) !== '%PDF-')) {
        throw new UploadError(part.byteLength === 0 ? 400 : 415, part.byteLength === 0 ? 'The file is empty' : 'That is not a PDF (it does not start with %PDF-)');
      }
      await writer.write(part);
      if (upload) parts.push(await upload.uploadPart(index + 1, part));
      else single.push(part);
    });
    await writer.close();
    if (upload) await upload.complete(parts);
    else await bucket.put(key, single.length === 1 ? single[0]! : new Blob(single), { httpMetadata: { contentType: 'application/pdf' } });
    const hash = new Uint8Array(await digested);
    return { sha256: Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join(''), size };
  } catch (err) {
    await upload?.abort().catch(() => undefined);
    await writer.abort().catch(() => undefined);
    throw err;
  }
}

/** A display-safe file name: no directories, no control characters, at most 200 characters. */
export function safeFilename(name: string | null | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return clean || 'rulebook.pdf';
}
