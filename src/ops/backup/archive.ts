/**
 * Sealing and opening backup objects: gzip (the runtime's CompressionStream),
 * then public-key authenticated encryption with WebCrypto alone (X25519,
 * HKDF-SHA-256, AES-256-GCM), in the same way in workerd and in Node. The
 * Worker holds only the recipient (a public key, `BACKUP_RECIPIENT`), so it
 * can write backups but never read them; the identity (private key) stays with
 * the operator and the restore script.
 *
 * Format `LKBKUP01` (all integers big-endian):
 *
 *   header   "LKBKUP01" (8 bytes) · ephemeral X25519 public key (32) · salt (16)
 *   key      HKDF-SHA-256(ikm = X25519(ephemeral, recipient), salt,
 *                         info = "lorekeeper-backup-v1" · ephemeral public · recipient public) → AES-256-GCM
 *   chunks   the compressed stream cut into 64 KiB pieces, each sealed with AES-256-GCM
 *            (16-byte tag) under nonce = 11-byte chunk counter · 1 byte last-chunk flag
 *
 * A fresh ephemeral key per object means every object has its own key. Every
 * chunk is authenticated with its position and whether it is the last, so an
 * altered, reordered or truncated object fails to open (a cut at a chunk
 * boundary leaves a last chunk sealed as "not last"), and the header is bound
 * into the key, so changing it changes nothing but the failure. This is the
 * STREAM construction that age uses, on the runtime's own primitives (age's
 * TypeScript port, tried first, pulled 50 KiB into the Worker and broke the
 * Vitest Workers pool: ARCHITECTURE.md, "Backups").
 */
import { concatBytes, fromBase64Url } from '../../lib/bytes';

const MAGIC = new TextEncoder().encode('LKBKUP01');
const HEADER_BYTES = MAGIC.length + 32 + 16;
const CHUNK = 64 * 1024;
const TAG = 16;
const INFO = new TextEncoder().encode('lorekeeper-backup-v1');
const RECIPIENT_PREFIX = 'lkbackup1';
const IDENTITY_PREFIX = 'LKBACKUP-SECRET-1';

type Bytes = Uint8Array<ArrayBuffer>;

/** A new key pair: the recipient goes to the Worker (`BACKUP_RECIPIENT`), the identity to the operator, alone. */
export async function generateKeyPair(): Promise<{ recipient: string; identity: string }> {
  const pair = await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey) as JsonWebKey;
  return { recipient: `${RECIPIENT_PREFIX}${jwk.x}`, identity: `${IDENTITY_PREFIX}${jwk.d}.${jwk.x}` };
}

function recipientBytes(recipient: string): Bytes {
  const bytes = recipient.startsWith(RECIPIENT_PREFIX) ? fromBase64Url(recipient.slice(RECIPIENT_PREFIX.length)) : new Uint8Array(0);
  if (bytes.length !== 32) throw new Error(`Not a backup recipient: it starts with ${RECIPIENT_PREFIX} and holds a 32-byte key (npm run backup:key makes one)`);
  return bytes;
}

/** Whether a string is a backup recipient (public key). */
export function isRecipient(value: string): boolean {
  try { recipientBytes(value); return true; } catch { return false; }
}

async function chunkKey(shared: ArrayBuffer, salt: Bytes, ephemeral: Bytes, recipient: Bytes, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: concatBytes([INFO, ephemeral, recipient]) }, ikm, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

/** The ECDH parameters; workers-types spells the member `$public`, the DOM types and the runtimes `public`. */
const x25519With = (peer: CryptoKey) => ({ name: 'X25519', public: peer }) as never;

function nonce(counter: number, last: boolean): Bytes {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setBigUint64(3, BigInt(counter));
  n[11] = last ? 1 : 0;
  return n;
}

/** Holds one piece back, so the stream's last piece is known when it is sealed or opened. */
function lastAware(size: number, each: (piece: Bytes, last: boolean, controller: TransformStreamDefaultController<Bytes>) => Promise<void>, onEmpty: (controller: TransformStreamDefaultController<Bytes>) => Promise<void>) {
  let buffer: Bytes = new Uint8Array(0);
  return new TransformStream<Uint8Array, Bytes>({
    async transform(chunk, controller) {
      buffer = concatBytes([buffer, chunk]);
      // Keep at least one full piece (or the remainder) back until more arrives or the stream ends.
      while (buffer.length > size) {
        await each(buffer.slice(0, size), false, controller);
        buffer = buffer.slice(size);
      }
    },
    async flush(controller) {
      if (buffer.length === 0) return onEmpty(controller);
      await each(buffer, true, controller);
    },
  });
}

/** Compresses and encrypts a stream to `recipient`. */
export async function seal(plain: ReadableStream<Uint8Array>, recipient: string): Promise<ReadableStream<Uint8Array>> {
  const recipientKey = recipientBytes(recipient);
  const ephemeral = await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']) as CryptoKeyPair;
  const ephemeralPublic = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey) as ArrayBuffer);
  const peer = await crypto.subtle.importKey('raw', recipientKey, { name: 'X25519' }, false, []);
  const shared = await crypto.subtle.deriveBits(x25519With(peer), ephemeral.privateKey, 256);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await chunkKey(shared, salt, ephemeralPublic, recipientKey, 'encrypt');
  let counter = 0;
  let headerSent = false;
  const send = (controller: TransformStreamDefaultController<Bytes>, sealed: ArrayBuffer) => {
    if (!headerSent) { controller.enqueue(concatBytes([MAGIC, ephemeralPublic, salt])); headerSent = true; }
    controller.enqueue(new Uint8Array(sealed));
  };
  const chunker = lastAware(
    CHUNK,
    async (piece, last, controller) => send(controller, await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(counter++, last) }, key, piece)),
    async (controller) => send(controller, await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce(counter++, true) }, key, new Uint8Array(0))),
  );
  return plain.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>).pipeThrough(chunker);
}

export async function sealBytes(plain: Uint8Array, recipient: string): Promise<Uint8Array> {
  return new Uint8Array(await new Response(await seal(new Response(plain as Bytes).body!, recipient)).arrayBuffer());
}

/** Decrypts and decompresses; a wrong identity or a damaged object throws (before or while reading). */
export async function open(sealed: ReadableStream<Uint8Array>, identity: string): Promise<ReadableStream<Uint8Array>> {
  const [d, x] = identity.startsWith(IDENTITY_PREFIX) ? identity.slice(IDENTITY_PREFIX.length).split('.') : [];
  if (!d || !x) throw new Error(`Not a backup identity: it starts with ${IDENTITY_PREFIX} (npm run backup:key makes one)`);
  const privateKey = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'X25519', d, x }, { name: 'X25519' }, false, ['deriveBits']);
  const recipientKey = fromBase64Url(x);
  let key: CryptoKey | null = null;
  let header: Bytes = new Uint8Array(0);
  let counter = 0;
  const decrypt = async (piece: Bytes, last: boolean, controller: TransformStreamDefaultController<Bytes>) => {
    try {
      controller.enqueue(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce(counter++, last) }, key!, piece)));
    } catch {
      throw new Error(counter === 1 ? 'the key does not open this object (another key, or an altered header)' : `chunk ${counter - 1} does not open: the object was altered, reordered or cut short`);
    }
  };
  const records = lastAware(CHUNK + TAG, decrypt, async () => { throw new Error('the object holds no data: it was cut short'); });
  const readHeader = new TransformStream<Uint8Array, Bytes>({
    async transform(chunk, controller) {
      if (key) return controller.enqueue(chunk as Bytes);
      header = concatBytes([header, chunk]);
      if (header.length < HEADER_BYTES) return;
      if (!MAGIC.every((b, i) => header[i] === b)) throw new Error('not a Lorekeeper backup object (no LKBKUP01 header)');
      const ephemeral = header.slice(MAGIC.length, MAGIC.length + 32);
      const salt = header.slice(MAGIC.length + 32, HEADER_BYTES);
      const peer = await crypto.subtle.importKey('raw', ephemeral, { name: 'X25519' }, false, []);
      const shared = await crypto.subtle.deriveBits(x25519With(peer), privateKey, 256);
      key = await chunkKey(shared, salt, ephemeral, recipientKey, 'decrypt');
      if (header.length > HEADER_BYTES) controller.enqueue(header.slice(HEADER_BYTES));
    },
    flush() {
      if (!key) throw new Error('the object is shorter than its header: it was cut short');
    },
  });
  return sealed.pipeThrough(readHeader).pipeThrough(records).pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
}

export async function openBytes(sealed: Uint8Array, identity: string): Promise<Uint8Array> {
  return new Uint8Array(await new Response(await open(new Response(sealed as Bytes).body!, identity)).arrayBuffer());
}
