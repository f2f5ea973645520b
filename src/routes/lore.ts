/**
 * NPCs, locations and plot threads: one route module for three kinds of
 * world documents. The GM creates and edits them; players and spectators
 * read only the ones shared with the party, and never their GM-only part.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { isGm, requireMember, type Viewer } from '../campaigns/access';
import { createEntity, deleteEntity, getEntity, updateEntity } from '../campaigns/versioned-store';
import { newId } from '../db/client';
import { locations, npcs, plotThreads } from '../db/schema';
import {
  LocationDataSchema, LocationGmOnlySchema, NpcDataSchema, NpcGmOnlySchema, PlotThreadDataSchema, PlotThreadGmOnlySchema,
} from '../game/lore';
import { notFound, parseOrThrow } from '../http/problem';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';

type LoreType = 'npc' | 'location' | 'plot_thread';
type LoreRow = typeof npcs.$inferSelect;

interface LoreKind {
  type: LoreType;
  path: string;
  tag: string;
  label: string;
  table: typeof npcs | typeof locations | typeof plotThreads;
  data: z.ZodObject;
  gmOnly: z.ZodObject;
}

const KINDS: LoreKind[] = [
  { type: 'npc', path: 'npcs', tag: 'NPCs', label: 'NPC', table: npcs, data: NpcDataSchema, gmOnly: NpcGmOnlySchema },
  { type: 'location', path: 'locations', tag: 'Locations', label: 'Location', table: locations, data: LocationDataSchema, gmOnly: LocationGmOnlySchema },
  { type: 'plot_thread', path: 'threads', tag: 'Plot threads', label: 'Plot thread', table: plotThreads, data: PlotThreadDataSchema, gmOnly: PlotThreadGmOnlySchema },
];

/** Players see party-visible records only. */
export const canReadLore = (viewer: Viewer, row: Pick<LoreRow, 'visibility'>) => isGm(viewer) || row.visibility === 'party';

/** What a viewer receives: the GM-only part is left out for everyone but the GM. */
export function presentLore(row: LoreRow, viewer: Viewer) {
  const base = {
    id: row.id, campaignId: row.campaignId, name: row.name, visibility: row.visibility, data: row.data as Record<string, unknown>,
    version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
  return isGm(viewer) ? { ...base, gmOnly: row.gmOnly as Record<string, unknown> } : base;
}

function registerKind(kind: LoreKind) {
  const Item = z.object({
    id: z.string(), campaignId: z.string(), name: z.string(), visibility: z.enum(['gm', 'party']),
    data: kind.data, gmOnly: kind.gmOnly.optional().describe('GM only; absent for players'),
    version: z.number().int(), createdAt: z.string(), updatedAt: z.string(),
  }).openapi(kind.label.replace(/\s/g, ''));
  const Create = z.object({
    name: z.string().trim().min(1).max(200),
    visibility: z.enum(['gm', 'party']).default('party').describe('gm: hidden from players until revealed'),
    data: kind.data.default(kind.data.parse({})),
    gmOnly: kind.gmOnly.default(kind.gmOnly.parse({})),
  });
  const Update = z.object({
    name: z.string().trim().min(1).max(200).optional(),
    visibility: z.enum(['gm', 'party']).optional(),
    data: z.record(z.string(), z.unknown()).optional().describe('Fields of `data` to replace; the result is validated as a whole'),
    gmOnly: z.record(z.string(), z.unknown()).optional().describe('Fields of `gmOnly` to replace; the result is validated as a whole'),
    version: z.number().int().min(1).optional(),
  });
  const base = `/campaigns/{campaignId}/${kind.path}`;
  const tags = [kind.tag];

  loreRoutes.openapi(
    createRoute({
      method: 'get', path: base, tags, summary: `List ${kind.tag}`, security: bearerSecurity,
      request: { params: CampaignParams, query: z.object({ q: z.string().trim().max(200).optional().describe('Name contains') }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(Item) }), kind.tag), ...commonErrors },
    }),
    async (c) => {
      const viewer = await requireMember(c, c.req.valid('param').campaignId);
      const { q } = c.req.valid('query');
      const t = kind.table;
      const rows = await c.get('db').select().from(t)
        .where(and(eq(t.campaignId, viewer.campaign.id), isNull(t.deletedAt), isGm(viewer) ? undefined : eq(t.visibility, 'party')))
        .orderBy(asc(t.name));
      const needle = q?.toLowerCase();
      const visible = needle ? rows.filter((r) => r.name.toLowerCase().includes(needle)) : rows;
      return c.json({ items: visible.map((r) => presentLore(r, viewer)) } as never, 200);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'post', path: base, tags, summary: `Create a ${kind.label} (GM)`, security: bearerSecurity,
      request: { params: CampaignParams, body: jsonBody(Create) },
      responses: { 201: jsonResponse(Item, 'Created'), ...commonErrors },
    }),
    async (c) => {
      const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm', true);
      const body = c.req.valid('json');
      const row = await createEntity(c, kind.type, viewer.campaign.id, {
        id: newId(), campaignId: viewer.campaign.id, name: body.name, visibility: body.visibility,
        data: body.data, gmOnly: body.gmOnly, createdBy: viewer.userId, deletedAt: null,
      });
      return c.json(presentLore(row, viewer) as never, 201);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'get', path: `${base}/{id}`, tags, summary: `One ${kind.label}`, security: bearerSecurity,
      request: { params: CampaignItemParams },
      responses: { 200: jsonResponse(Item, kind.label), ...commonErrors },
    }),
    async (c) => {
      const { campaignId, id } = c.req.valid('param');
      const viewer = await requireMember(c, campaignId);
      const row = await getEntity(c, kind.type, campaignId, id);
      if (!canReadLore(viewer, row)) throw notFound(kind.label);
      return c.json(presentLore(row, viewer) as never, 200);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'patch', path: `${base}/{id}`, tags, summary: `Edit a ${kind.label} (GM)`, security: bearerSecurity,
      request: { params: CampaignItemParams, body: jsonBody(Update) },
      responses: { 200: jsonResponse(Item, 'Updated'), ...commonErrors },
    }),
    async (c) => {
      const { campaignId, id } = c.req.valid('param');
      const viewer = await requireMember(c, campaignId, 'gm', true);
      const current = await getEntity(c, kind.type, campaignId, id);
      const { version, data, gmOnly, ...fields } = c.req.valid('json');
      const changes: Partial<LoreRow> = { ...fields };
      if (data) changes.data = parseOrThrow(kind.data, { ...(current.data as object), ...data }, 'body.data');
      if (gmOnly) changes.gmOnly = parseOrThrow(kind.gmOnly, { ...(current.gmOnly as object), ...gmOnly }, 'body.gmOnly');
      const row = await updateEntity(c, kind.type, campaignId, current, changes, { expectedVersion: version });
      return c.json(presentLore(row, viewer) as never, 200);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'delete', path: `${base}/{id}`, tags, summary: `Delete a ${kind.label} (GM; kept in history)`, security: bearerSecurity,
      request: { params: CampaignItemParams },
      responses: { 204: { description: 'Deleted' }, ...commonErrors },
    }),
    async (c) => {
      const { campaignId, id } = c.req.valid('param');
      await requireMember(c, campaignId, 'gm', true);
      await deleteEntity(c, kind.type, campaignId, await getEntity(c, kind.type, campaignId, id));
      return c.body(null, 204);
    },
  );
}

export const loreRoutes = createRouter();
for (const kind of KINDS) registerKind(kind);
