import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Database = ReturnType<typeof createDatabase>;

/** The drizzle handle over the `DB` binding; cheap, created per request. */
export function createDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}

export const newId = () => crypto.randomUUID();
export const nowIso = () => new Date().toISOString();
