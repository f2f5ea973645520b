/**
 * Who may change (and therefore see the history of, and restore) each kind
 * of campaign record. The same rules the record's own routes enforce.
 */
import { isGm, type Viewer } from './access';
import type { EntityRow, EntityType } from './versioned-store';

export function canWriteEntity(viewer: Viewer, type: EntityType, row: EntityRow<EntityType>): boolean {
  if (isGm(viewer)) return true;
  if (viewer.role !== 'player') return false;
  if (type === 'character') return (row as EntityRow<'character'>).ownerUserId === viewer.userId;
  if (type === 'note') return (row as EntityRow<'note'>).authorId === viewer.userId;
  return false;
}

/** Columns a restore never takes from a snapshot: identity, bookkeeping, and (for players) ownership. */
export function restorableFields(viewer: Viewer, type: EntityType, snapshot: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, campaignId: _c, version: _v, createdAt: _ca, updatedAt: _u, ...fields } = snapshot;
  if (!isGm(viewer) && type === 'character') delete fields.ownerUserId;
  if (!isGm(viewer) && type === 'note') delete fields.authorId;
  return fields;
}
