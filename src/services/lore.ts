/**
 * World records: NPCs, locations and plot threads share one shape
 * (`{ name, visibility, data, gmOnly }`, a zod schema per kind in
 * src/game/lore.ts). The GM creates and edits them; players and spectators
 * read only the ones shared with the party, and never their GM-only part.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { newId } from '../db/client';
import { locations, npcs, plotThreads } from '../db/schema';
import {
  LocationDataSchema, LocationGmOnlySchema, NpcDataSchema, NpcGmOnlySchema, PlotThreadDataSchema, PlotThreadGmOnlySchema,
} from '../game/lore';
import type { Viewer } from '../game/roles';
import { notFound, parseOrThrow } from '../lib/problem';
import { canReadLore, loreReadableSql, redactLore, requireMember } from './policy';
import type { Scope } from './scope';
import { createEntity, deleteEntity, getEntity, updateEntity } from './versioned-store';

export type LoreType = 'npc' | 'location' | 'plot_thread';
type LoreRow = typeof npcs.$inferSelect;

export interface LoreKind {
  type: LoreType;
  /** URL segment and tag for the routes. */
  path: string;
  tag: string;
  label: string;
  table: typeof npcs | typeof locations | typeof plotThreads;
  data: z.ZodObject;
  gmOnly: z.ZodObject;
}

export const LORE_KINDS: LoreKind[] = [
  { type: 'npc', path: 'npcs', tag: 'NPCs', label: 'NPC', table: npcs, data: NpcDataSchema, gmOnly: NpcGmOnlySchema },
  { type: 'location', path: 'locations', tag: 'Locations', label: 'Location', table: locations, data: LocationDataSchema, gmOnly: LocationGmOnlySchema },
  { type: 'plot_thread', path: 'threads', tag: 'Plot threads', label: 'Plot thread', table: plotThreads, data: PlotThreadDataSchema, gmOnly: PlotThreadGmOnlySchema },
];

const kindOf = (type: LoreType) => LORE_KINDS.find((k) => k.type === type)!;

/** What a viewer receives: the GM-only part only for the GM. */
export function presentLore(row: LoreRow, viewer: Viewer) {
  return redactLore({
    id: row.id, campaignId: row.campaignId, name: row.name, visibility: row.visibility, data: row.data as Record<string, unknown>,
    gmOnly: row.gmOnly as Record<string, unknown>, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  }, viewer);
}

/** @param q  name contains (case-insensitive) */
export async function listLore(scope: Scope, type: LoreType, campaignId: string, input: { q?: string }) {
  const member = await requireMember(scope, campaignId);
  const t = kindOf(type).table;
  const rows = await scope.db.select().from(t)
    .where(and(eq(t.campaignId, member.campaign.id), isNull(t.deletedAt), loreReadableSql(member, t.visibility)))
    .orderBy(asc(t.name));
  const needle = input.q?.toLowerCase();
  return (needle ? rows.filter((r) => r.name.toLowerCase().includes(needle)) : rows).map((r) => presentLore(r, member));
}

export interface LoreFields {
  name: string;
  visibility: 'gm' | 'party';
  data: Record<string, unknown>;
  gmOnly: Record<string, unknown>;
}

export async function createLore(scope: Scope, type: LoreType, campaignId: string, input: LoreFields) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const kind = kindOf(type);
  const row = await createEntity(scope, type, gm.campaign.id, {
    id: newId(), campaignId: gm.campaign.id, name: input.name, visibility: input.visibility,
    data: parseOrThrow(kind.data, input.data, 'body.data'), gmOnly: parseOrThrow(kind.gmOnly, input.gmOnly, 'body.gmOnly'), createdBy: gm.userId, deletedAt: null,
  });
  return presentLore(row, gm);
}

async function readable(scope: Scope, viewer: Viewer, type: LoreType, campaignId: string, id: string) {
  const row = await getEntity(scope, type, campaignId, id);
  if (!canReadLore(viewer, row)) throw notFound(kindOf(type).label);
  return row;
}

export async function getLore(scope: Scope, type: LoreType, campaignId: string, id: string) {
  const member = await requireMember(scope, campaignId);
  return presentLore(await readable(scope, member, type, campaignId, id), member);
}

/** `data` and `gmOnly` replace the fields given; each result is validated as a whole. */
export async function updateLore(scope: Scope, type: LoreType, campaignId: string, id: string, input: Partial<LoreFields> & { version?: number }) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const kind = kindOf(type);
  const current = await getEntity(scope, type, campaignId, id);
  const { version, data, gmOnly, ...fields } = input;
  const changes: Partial<LoreRow> = { ...fields };
  if (data) changes.data = parseOrThrow(kind.data, { ...(current.data as object), ...data }, 'body.data');
  if (gmOnly) changes.gmOnly = parseOrThrow(kind.gmOnly, { ...(current.gmOnly as object), ...gmOnly }, 'body.gmOnly');
  const row = await updateEntity(scope, type, campaignId, current, changes, { expectedVersion: version });
  return presentLore(row, gm);
}

export async function deleteLore(scope: Scope, type: LoreType, campaignId: string, id: string) {
  await requireMember(scope, campaignId, 'gm', true);
  await deleteEntity(scope, type, campaignId, await getEntity(scope, type, campaignId, id));
}
