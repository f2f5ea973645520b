/**
 * History of campaign data: list revisions, read one, diff two, restore one.
 * GMs see the whole campaign's history; players see and restore the history
 * of what they may edit (their characters and notes). A restore is itself a
 * new revision, so restoring can always be undone.
 */
import { and, desc, eq } from 'drizzle-orm';
import { revisions } from '../db/schema';
import { jsonDiff } from '../lib/json-diff';
import { forbidden, notFound, ProblemError } from '../lib/problem';
import { audit } from './audit';
import { canWriteRecord, isGm, requireMember, restorableFields, type Member } from './policy';
import { callerOf, type Scope } from './scope';
import { ENTITY_LABELS, getEntity, updateEntity, type EntityRow, type EntityType } from './versioned-store';

type RevisionRow = typeof revisions.$inferSelect;
export const presentRevision = ({ snapshot: _s, campaignId: _c, ...r }: RevisionRow) => ({ ...r, entityType: r.entityType as EntityType });

/** The current record of a revision's entity, checked against the caller's write rights. */
async function authorisedEntity(scope: Scope, member: Member, type: EntityType, entityId: string): Promise<EntityRow<EntityType>> {
  const row = await getEntity(scope, type, member.campaign.id, entityId, true);
  // Players learn nothing about records they cannot edit.
  if (!canWriteRecord(member, type, row as Record<string, unknown>)) throw notFound(ENTITY_LABELS[type]);
  return row;
}

async function loadRevision(scope: Scope, member: Member, revisionId: string) {
  const revision = await scope.db.select().from(revisions)
    .where(and(eq(revisions.id, revisionId), eq(revisions.campaignId, member.campaign.id))).get();
  if (!revision) throw notFound('Revision');
  const type = revision.entityType as EntityType;
  const current = await authorisedEntity(scope, member, type, revision.entityId).catch((err) => {
    if (err instanceof ProblemError && err.status === 404) throw notFound('Revision');
    throw err;
  });
  return { revision, type, current };
}

export async function listRevisions(scope: Scope, campaignId: string, input: { entityType?: EntityType; entityId?: string; limit: number; offset: number }) {
  const member = await requireMember(scope, campaignId);
  if (!isGm(member)) {
    if (!input.entityType || !input.entityId) throw forbidden('Only the GM can browse the whole history; ask for one record with entityType and entityId');
    await authorisedEntity(scope, member, input.entityType, input.entityId);
  }
  const rows = await scope.db.select().from(revisions)
    .where(and(
      eq(revisions.campaignId, member.campaign.id),
      input.entityType ? eq(revisions.entityType, input.entityType) : undefined,
      input.entityId ? eq(revisions.entityId, input.entityId) : undefined,
    ))
    .orderBy(desc(revisions.createdAt), desc(revisions.version)).limit(input.limit).offset(input.offset);
  return rows.map(presentRevision);
}

export async function getRevision(scope: Scope, campaignId: string, revisionId: string) {
  const member = await requireMember(scope, campaignId);
  const { revision } = await loadRevision(scope, member, revisionId);
  return { ...presentRevision(revision), snapshot: revision.snapshot as Record<string, unknown> };
}

/** What a revision changed, against the previous version or `against` (another revision of the same record). */
export async function diffRevision(scope: Scope, campaignId: string, revisionId: string, against?: string) {
  const member = await requireMember(scope, campaignId);
  const { revision } = await loadRevision(scope, member, revisionId);
  const base = against
    ? await scope.db.select().from(revisions).where(and(eq(revisions.id, against), eq(revisions.campaignId, campaignId))).get()
    : await scope.db.select().from(revisions).where(and(
      eq(revisions.entityType, revision.entityType), eq(revisions.entityId, revision.entityId), eq(revisions.version, revision.version - 1),
    )).get();
  if (against && (!base || base.entityId !== revision.entityId || base.entityType !== revision.entityType)) {
    throw new ProblemError(400, '"against" must be a revision of the same record', { errors: [{ path: 'query.against', message: 'Not a revision of this record' }] });
  }
  return { from: base ? presentRevision(base) : null, to: presentRevision(revision), changes: jsonDiff(base?.snapshot ?? {}, revision.snapshot) };
}

/** Brings the record back to the revision; returns the new revision the restore made. */
export async function restoreRevision(scope: Scope, campaignId: string, revisionId: string) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const { revision, type, current } = await loadRevision(scope, member, revisionId);
  const fields = restorableFields(member, type, revision.snapshot as Record<string, unknown>);
  const restored = await updateEntity(scope, type, campaignId, current, fields as Partial<EntityRow<EntityType>>, { action: 'restore', restoredFrom: revision.id });
  const created = await scope.db.select().from(revisions)
    .where(and(eq(revisions.entityType, type), eq(revisions.entityId, revision.entityId), eq(revisions.version, restored.version))).get();
  await audit(scope, 'revision.restore', { campaignId, revisionId, entityType: type, entityId: revision.entityId, by: callerOf(scope).userId });
  return presentRevision(created!);
}
