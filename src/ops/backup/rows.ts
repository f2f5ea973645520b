/**
 * One row as one JSON line. D1 gives text, numbers, null and (for BLOB columns)
 * an ArrayBuffer or byte array; bytes travel as `{"$bytes":"<base64>"}` so a
 * restore writes back exactly what was read.
 */
type Cell = string | number | null | ArrayBuffer | Uint8Array | number[];

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function encodeRow(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_key, value: unknown) => {
    if (value instanceof ArrayBuffer) return { $bytes: base64(new Uint8Array(value)) };
    if (value instanceof Uint8Array) return { $bytes: base64(value) };
    return value;
  });
}

/** A row's values in `columns` order, bytes decoded; anything but a flat object is refused. */
export function decodeRow(line: string, columns: string[]): Cell[] {
  const row = JSON.parse(line) as unknown;
  if (!row || typeof row !== 'object' || Array.isArray(row)) throw new Error('a row is not an object');
  return columns.map((column) => {
    const value = (row as Record<string, unknown>)[column];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' || typeof value === 'number') return value;
    if (typeof value === 'object' && typeof (value as { $bytes?: unknown }).$bytes === 'string') {
      return Uint8Array.from(atob((value as { $bytes: string }).$bytes), (c) => c.charCodeAt(0));
    }
    if (typeof value === 'boolean') return value ? 1 : 0;
    throw new Error(`column ${column} holds a value SQLite cannot store`);
  });
}
