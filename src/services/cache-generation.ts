/**
 * The platform's cache generation: part of every cache key (the content
 * check's Cache API entries), so an operator clears every cache everywhere
 * by bumping it — the Cache API is per data centre and has no "delete all".
 * Old entries simply stop being read and expire on their own.
 */
import { eq, sql } from 'drizzle-orm';
import { platformSettings } from '../db/schema';
import { audit } from './audit';
import { requireOperator } from './policy';
import type { Scope } from './scope';

const KEY = 'cache_generation';

export async function cacheGeneration(scope: Scope): Promise<string> {
  const row = await scope.db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, KEY)).get();
  return row?.value ?? '0';
}

/** Operators: every cached result is recomputed from the next request on. */
export async function clearCaches(scope: Scope) {
  await requireOperator(scope);
  const [row] = await scope.db.insert(platformSettings).values({ key: KEY, value: '1' })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value: sql`CAST(${platformSettings.value} AS INTEGER) + 1`, updatedAt: new Date().toISOString() } })
    .returning();
  await audit(scope, 'cache.clear', { generation: row!.value });
  return { generation: Number(row!.value), clearedAt: row!.updatedAt };
}
