/**
 * Per-user API keys for programmatic and MCP access: `lk_<43 chars>`, shown
 * once at creation, stored only as a SHA-256 hash (the key has 256 bits of
 * entropy, so a fast hash is enough; no password-style stretching needed).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { newId } from '../db/client';
import { apiKeys } from '../db/schema';
import { randomToken, sha256Hex } from './encoding';

export const API_KEY_PREFIX = 'lk_';

export async function createApiKey(db: Database, userId: string, name: string, expiresAt: string | null) {
  const key = randomToken(API_KEY_PREFIX);
  const row = {
    id: newId(),
    userId,
    name,
    prefix: key.slice(0, 10),
    keyHash: await sha256Hex(key),
    expiresAt,
  };
  await db.insert(apiKeys).values(row);
  return { key, id: row.id, prefix: row.prefix };
}

/** The owner of a valid key, or null for unknown, revoked or expired keys. */
export async function resolveApiKey(db: Database, key: string): Promise<{ id: string; userId: string } | null> {
  const row = await db
    .select({ id: apiKeys.id, userId: apiKeys.userId, expiresAt: apiKeys.expiresAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) return null;
  if (row.expiresAt && row.expiresAt <= new Date().toISOString()) return null;
  return { id: row.id, userId: row.userId };
}
