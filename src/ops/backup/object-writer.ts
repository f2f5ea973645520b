/**
 * Writes a stream of unknown length to R2: R2's `put()` needs the length up
 * front, so a stream that ends within the first part goes up in one `put`,
 * and a longer one as a multipart upload of 5 MiB parts (R2's minimum; the
 * last may be smaller). Memory holds at most one part. A failure aborts the
 * upload, leaving nothing behind.
 */
import { concatBytes } from '../../lib/bytes';

export const PART_BYTES = 5 * 1024 * 1024;

export async function writeObject(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, contentType = 'application/octet-stream'): Promise<number> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let upload: R2MultipartUpload | null = null;
  const parts: R2UploadedPart[] = [];
  let size = 0;
  const take = () => {
    const part = concatBytes(pending);
    pending = [];
    pendingBytes = 0;
    return part;
  };
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      size += chunk.byteLength;
      if (pendingBytes >= PART_BYTES) {
        upload ??= await bucket.createMultipartUpload(key, { httpMetadata: { contentType } });
        parts.push(await upload.uploadPart(parts.length + 1, take()));
      }
    }
    if (!upload) {
      await bucket.put(key, take(), { httpMetadata: { contentType } });
      return size;
    }
    if (pendingBytes > 0) parts.push(await upload.uploadPart(parts.length + 1, take()));
    await upload.complete(parts);
    return size;
  } catch (err) {
    await upload?.abort().catch(() => undefined);
    throw err;
  }
}
