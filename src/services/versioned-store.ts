/**
 * Versioned writes of campaign content. Every create, update, delete and
 * restore writes the record and its revision (a full snapshot) in one D1
 * batch, which is atomic: there is never a change without its history, nor
 * history without its change. Deletes are tombstones (`deletedAt`), so any
 * revision can be brought back.
 *
 * Concurrency: an update is conditional on the version it read. Two writers
 * racing for the same version collide on the unique (entity, version) index
 * of `revisions`, the loser's batch rolls back and it gets a 409.
 */
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { newId, nowIso } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { campaigns, characters, locations, notes, npcRelationships, npcs, plotThreads, revisions } from '../db/schema';
import { conflict, notFound } from '../lib/problem';
import { callerOf, type Scope } from './scope';

export const ENTITY_TABLES = {
  campaign: campaigns,
  character: characters,
  npc: npcs,
  location: locations,
  plot_thread: plotThreads,
  relationship: npcRelationships,
  note: notes,
} as const;

export type EntityType = keyof typeof ENTITY_TABLES;
export const ENTITY_TYPES = Object.keys(ENTITY_TABLES) as EntityType[];
export type EntityRow<T extends EntityType> = (typeof ENTITY_TABLES)[T]['$inferSelect'];

export const ENTITY_LABELS: Record<EntityType, string> = {
  campaign: 'Campaign', character: 'Character', npc: 'NPC', location: 'Location',
  plot_thread: 'Plot thread', relationship: 'Relationship', note: 'Note',
};

/** The columns every versioned table has, seen without its concrete type. */
interface VersionedColumns {
  id: SQLiteColumn;
  version: SQLiteColumn;
  deletedAt?: SQLiteColumn;
  campaignId?: SQLiteColumn;
}
const tableOf = (type: EntityType) => ENTITY_TABLES[type] as unknown as SQLiteTable & VersionedColumns;

interface BaseRow {
  id: string;
  version: number;
  [column: string]: unknown;
}

/** Finds a record of `type` in the campaign; tombstoned ones only when asked. */
export async function findEntity<T extends EntityType>(scope: Scope, type: T, campaignId: string, id: string, includeDeleted = false): Promise<EntityRow<T> | undefined> {
  const table = tableOf(type);
  const conditions: SQL[] = [eq(table.id, id)];
  if (table.campaignId) conditions.push(eq(table.campaignId, campaignId));
  if (table.deletedAt && !includeDeleted) conditions.push(isNull(table.deletedAt));
  const row = await scope.db.select().from(table).where(and(...conditions)).get();
  return row as EntityRow<T> | undefined;
}

export async function getEntity<T extends EntityType>(scope: Scope, type: T, campaignId: string, id: string, includeDeleted = false): Promise<EntityRow<T>> {
  const row = await findEntity(scope, type, campaignId, id, includeDeleted);
  if (!row) throw notFound(ENTITY_LABELS[type]);
  return row;
}

function revisionRow(scope: Scope, type: EntityType, campaignId: string, snapshot: BaseRow, action: 'create' | 'update' | 'delete' | 'restore', restoredFrom?: string) {
  return {
    id: newId(),
    campaignId,
    entityType: type,
    entityId: snapshot.id,
    version: snapshot.version,
    action,
    snapshot,
    authorId: callerOf(scope).userId,
    createdAt: nowIso(),
    restoredFrom: restoredFrom ?? null,
  };
}

async function runAtomically(scope: Scope, statements: unknown[]) {
  try {
    await scope.db.batch(statements as unknown as Parameters<Scope['db']['batch']>[0]);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('Someone else changed this at the same time; reload and try again');
    throw err;
  }
}

/**
 * Inserts a new record (version 1) with its `create` revision.
 * @param alsoRun  statements that must commit with it (e.g. the creator's GM membership)
 */
export async function createEntity<T extends EntityType>(scope: Scope, type: T, campaignId: string, values: Omit<EntityRow<T>, 'version' | 'createdAt' | 'updatedAt'> & Partial<EntityRow<T>>, alsoRun: unknown[] = []): Promise<EntityRow<T>> {
  const now = nowIso();
  const row = { deletedAt: null, ...values, version: 1, createdAt: now, updatedAt: now } as unknown as EntityRow<T> & BaseRow;
  const db = scope.db;
  await runAtomically(scope, [
    db.insert(tableOf(type)).values(row as never),
    ...alsoRun,
    db.insert(revisions).values(revisionRow(scope, type, campaignId, row, 'create')),
  ]);
  return row;
}

/**
 * Applies `changes` to `current` as version n+1 with its revision.
 * @param expectedVersion  when the client says which version it edited, a different current version is a 409
 */
export async function updateEntity<T extends EntityType>(
  scope: Scope,
  type: T,
  campaignId: string,
  current: EntityRow<T>,
  changes: Partial<EntityRow<T>>,
  options: { action?: 'update' | 'delete' | 'restore'; restoredFrom?: string; expectedVersion?: number } = {},
): Promise<EntityRow<T>> {
  const base = current as unknown as BaseRow;
  if (options.expectedVersion !== undefined && options.expectedVersion !== base.version) {
    throw conflict(`You edited version ${options.expectedVersion} but the current version is ${base.version}; reload and try again`);
  }
  const next = { ...base, ...changes, id: base.id, version: base.version + 1, updatedAt: nowIso() } as BaseRow;
  const table = tableOf(type);
  const { id: _id, ...columns } = next;
  const db = scope.db;
  await runAtomically(scope, [
    db.update(table).set(columns as never).where(and(eq(table.id, base.id), eq(table.version, base.version))),
    db.insert(revisions).values(revisionRow(scope, type, campaignId, next, options.action ?? 'update', options.restoredFrom)),
  ]);
  return next as unknown as EntityRow<T>;
}

export function deleteEntity<T extends EntityType>(scope: Scope, type: T, campaignId: string, current: EntityRow<T>) {
  return updateEntity(scope, type, campaignId, current, { deletedAt: nowIso() } as unknown as Partial<EntityRow<T>>, { action: 'delete' });
}
