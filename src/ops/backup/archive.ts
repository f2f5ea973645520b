/**
 * Sealing and opening backup objects: gzip (the runtime's CompressionStream),
 * then age encryption (`age-encryption`, the reference TypeScript port of
 * age-encryption.org/v1). The Worker holds only the recipient (a public key,
 * `BACKUP_RECIPIENT`), so it can write backups but never read them; the
 * identity (private key) stays with the operator and the restore script. An
 * operator can also open any object with the `age` command-line tool:
 * `age -d -i key.txt part.jsonl.gz.age | gunzip`.
 */
import { Decrypter, Encrypter } from 'age-encryption';

export function seal(plain: ReadableStream<Uint8Array>, recipient: string): Promise<ReadableStream<Uint8Array>> {
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return encrypter.encrypt(plain.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>));
}

export async function sealBytes(plain: Uint8Array, recipient: string): Promise<Uint8Array> {
  return new Uint8Array(await new Response(await seal(new Response(plain as Uint8Array<ArrayBuffer>).body!, recipient)).arrayBuffer());
}

/** Decrypts and decompresses; a wrong identity or a damaged object throws (before or while reading). */
export async function open(sealed: ReadableStream<Uint8Array>, identity: string): Promise<ReadableStream<Uint8Array>> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const plain = await decrypter.decrypt(sealed);
  return plain.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
}

export async function openBytes(sealed: Uint8Array, identity: string): Promise<Uint8Array> {
  return new Uint8Array(await new Response(await open(new Response(sealed as Uint8Array<ArrayBuffer>).body!, identity)).arrayBuffer());
}

/** Whether a recipient string is an age public key this library can encrypt to. */
export function isRecipient(value: string): boolean {
  try {
    new Encrypter().addRecipient(value);
    return true;
  } catch {
    return false;
  }
}
