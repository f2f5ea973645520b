/**
 * A campaign file (services/campaign-export.ts) becomes a new campaign with
 * the caller as its GM, on this or any Lorekeeper instance. Every record gets
 * a new id and every reference to an old id — in records, revision snapshots
 * and table logs — follows it. Other members' accounts do not come along:
 * their characters become the GM's to reassign, and authors are unknown;
 * the report lists who played what. Live sessions arrive ended; rulebooks are
 * listed for re-upload (the PDFs are not in the file). Validated whole before
 * anything is written; written in batches, and removed again if any batch
 * fails, so an import is all or nothing.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { newId, nowIso } from '../db/client';
import {
  campaigns, characters, gameSessions, locations, macros, memberships, notes, npcRelationships, npcs, plotThreads, revisions, safetyLists, sessionEvents,
} from '../db/schema';
import { CharacterSheetSchema } from '../game/character-sheet';
import { LocationDataSchema, LocationGmOnlySchema, NOTE_CATEGORIES, NpcDataSchema, NpcGmOnlySchema, PlotThreadDataSchema, PlotThreadGmOnlySchema } from '../game/lore';
import { ProblemError, validationError } from '../lib/problem';
import { audit } from './audit';
import { CAMPAIGN_FILE_FORMAT, CAMPAIGN_FILE_SCHEMA, CAMPAIGN_FILE_VERSION } from './campaign-export';
import { callerOf, type Scope } from './scope';

const MAX_RECORDS = 10_000;
const MAX_EVENTS = 100_000;
/** Statements per D1 batch (each a one-row insert, well under 100 parameters). */
const BATCH = 50;

const str = (max: number) => z.string().max(max);
const when = z.string().max(40);
const ref = z.string().max(20).nullable();
const json = z.unknown();
const lore = z.object({ id: str(64), name: str(200).min(1), visibility: z.enum(['gm', 'party']), data: json, gmOnly: json, createdAt: when, updatedAt: when, deletedAt: when.nullable(), version: z.number().int().min(1) });

export const CampaignFileSchema = z.object({
  format: z.literal(CAMPAIGN_FILE_FORMAT),
  version: z.literal(CAMPAIGN_FILE_VERSION),
  schema: z.string().max(100).refine((s) => s <= CAMPAIGN_FILE_SCHEMA, { message: `The file comes from a newer Lorekeeper (schema newer than ${CAMPAIGN_FILE_SCHEMA}); update this instance first` }),
  campaign: z.object({ id: str(64), name: str(120).min(1), gameSystem: str(60), setting: str(200), description: str(5000), version: z.number().int().min(1).default(1) }),
  members: z.array(z.object({ ref: str(20), displayName: str(200), role: z.enum(['gm', 'player', 'spectator']) })).max(MAX_RECORDS),
  characters: z.array(z.object({ id: str(64), owner: ref, name: str(120).min(1), sheet: json, createdAt: when, updatedAt: when, deletedAt: when.nullable(), version: z.number().int().min(1) })).max(MAX_RECORDS),
  npcs: z.array(lore).max(MAX_RECORDS), locations: z.array(lore).max(MAX_RECORDS), plotThreads: z.array(lore).max(MAX_RECORDS),
  relationships: z.array(z.object({ id: str(64), npcId: str(64), characterId: str(64), score: z.number().int().min(-100).max(100), summary: str(5000), createdAt: when, updatedAt: when, deletedAt: when.nullable(), version: z.number().int().min(1) })).max(MAX_RECORDS),
  notes: z.array(z.object({ id: str(64), title: str(200).min(1), body: str(20_000), category: z.enum(NOTE_CATEGORIES), visibility: z.enum(['gm', 'party', 'player']), createdAt: when, updatedAt: when, deletedAt: when.nullable(), version: z.number().int().min(1) })).max(MAX_RECORDS),
  revisions: z.array(z.object({ id: str(64), entityType: str(40), entityId: str(64), version: z.number().int().min(1), action: z.enum(['create', 'update', 'delete', 'restore']), snapshot: json, createdAt: when, restoredFrom: str(64).nullable() })).max(MAX_RECORDS * 10),
  sessions: z.array(z.object({
    id: str(64), title: str(200).min(1), status: z.enum(['scheduled', 'live', 'ended']), scheduledFor: when.nullable(), startedAt: when.nullable(), endedAt: when.nullable(),
    recap: str(100_000), stats: json, createdAt: when,
    events: z.array(z.object({ seq: z.number().int().min(1), type: str(60), audience: z.enum(['all', 'gm', 'private']), recipients: json, payload: json, createdAt: when })).max(MAX_EVENTS),
  })).max(MAX_RECORDS),
  rulebooks: z.array(z.object({ title: str(200), filename: str(300), sha256: str(64) })).max(1000),
  macros: z.array(z.object({ id: str(64), owner: ref, characterId: str(64).nullable(), name: str(40).min(1), expression: str(300).min(1) })).max(MAX_RECORDS),
  safety: z.object({ lines: z.array(str(200)).max(200), veils: z.array(str(200)).max(200) }),
});
export type CampaignFile = z.infer<typeof CampaignFileSchema>;

/** User fields in snapshots and payloads: their members are not on this instance, so they are emptied. */
const USER_KEYS = new Set(['ownerUserId', 'createdBy', 'authorId', 'recipientUserId', 'uploadedBy', 'userId', 'actorUserId']);

/** Replaces old ids with new ones wherever they appear, and empties user fields. */
function remap(value: unknown, ids: Map<string, string>, key = ''): unknown {
  if (USER_KEYS.has(key)) return null;
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remap(v, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, ids, k)]));
  return value;
}

export async function importCampaign(scope: Scope, input: unknown) {
  const { userId } = callerOf(scope);
  const parsed = CampaignFileSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues, 'body', 'This is not a Lorekeeper campaign file this instance can read');
  const file = parsed.data;
  // Documents are checked as the API would check them, before anything is written.
  const check = <T extends z.ZodType>(schema: T, value: unknown, path: string) => {
    const r = schema.safeParse(value);
    if (!r.success) throw validationError(r.error.issues, path, `The file's ${path} is not valid`);
    return r.data as z.infer<T>;
  };
  const sheets = file.characters.map((c, i) => check(CharacterSheetSchema, c.sheet, `characters.${i}.sheet`));
  const kinds = [
    { rows: file.npcs, table: npcs, data: NpcDataSchema, gmOnly: NpcGmOnlySchema, name: 'npcs' },
    { rows: file.locations, table: locations, data: LocationDataSchema, gmOnly: LocationGmOnlySchema, name: 'locations' },
    { rows: file.plotThreads, table: plotThreads, data: PlotThreadDataSchema, gmOnly: PlotThreadGmOnlySchema, name: 'plotThreads' },
  ];
  const loreDocs = kinds.map((k) => k.rows.map((r, i) => ({ data: check(k.data, r.data, `${k.name}.${i}.data`), gmOnly: check(k.gmOnly, r.gmOnly, `${k.name}.${i}.gmOnly`) })));

  // New ids for everything that had one.
  const ids = new Map<string, string>();
  const campaignId = newId();
  ids.set(file.campaign.id, campaignId);
  for (const r of [...file.characters, ...file.npcs, ...file.locations, ...file.plotThreads, ...file.relationships, ...file.notes, ...file.revisions, ...file.sessions, ...file.macros]) {
    if (ids.has(r.id)) throw new ProblemError(400, `The file uses the id ${r.id} twice`, { errors: [{ path: 'body', message: `Duplicate id ${r.id}`, code: 'duplicate' }] });
    ids.set(r.id, newId());
  }
  const id = (old: string) => ids.get(old) ?? old;
  const known = (old: string, what: string) => {
    const mapped = ids.get(old);
    if (!mapped) throw new ProblemError(400, `A ${what} refers to ${old}, which is not in the file`, { errors: [{ path: 'body', message: `Unknown reference ${old}`, code: 'reference' }] });
    return mapped;
  };

  const db = scope.db;
  const now = nowIso();
  const statements: { run(): Promise<unknown> }[] = [];
  const add = (s: unknown) => statements.push(s as { run(): Promise<unknown> });
  file.characters.forEach((c, i) => add(db.insert(characters).values({ id: id(c.id), campaignId, ownerUserId: null, name: c.name, sheet: sheets[i], createdAt: c.createdAt, updatedAt: c.updatedAt, deletedAt: c.deletedAt, version: c.version })));
  kinds.forEach((k, n) => k.rows.forEach((r, i) => add(db.insert(k.table).values({ id: id(r.id), campaignId, name: r.name, visibility: r.visibility, data: loreDocs[n]![i]!.data, gmOnly: loreDocs[n]![i]!.gmOnly, createdBy: null, createdAt: r.createdAt, updatedAt: r.updatedAt, deletedAt: r.deletedAt, version: r.version }))));
  for (const r of file.relationships) add(db.insert(npcRelationships).values({ id: id(r.id), campaignId, npcId: known(r.npcId, 'relationship'), characterId: known(r.characterId, 'relationship'), score: r.score, summary: r.summary, createdAt: r.createdAt, updatedAt: r.updatedAt, deletedAt: r.deletedAt, version: r.version }));
  // Notes addressed to one player lose their reader: they become the GM's.
  for (const n of file.notes) add(db.insert(notes).values({ id: id(n.id), campaignId, authorId: null, title: n.title, body: n.body, category: n.category, visibility: n.visibility === 'player' ? 'gm' : n.visibility, recipientUserId: null, createdAt: n.createdAt, updatedAt: n.updatedAt, deletedAt: n.deletedAt, version: n.version }));
  for (const r of file.revisions) add(db.insert(revisions).values({ id: id(r.id), campaignId, entityType: r.entityType, entityId: id(r.entityId), version: r.version, action: r.action, snapshot: remap(r.snapshot, ids), authorId: null, createdAt: r.createdAt, restoredFrom: r.restoredFrom ? id(r.restoredFrom) : null }));
  for (const s of file.sessions) {
    const sessionId = id(s.id);
    add(db.insert(gameSessions).values({ id: sessionId, campaignId, title: s.title, status: s.status === 'live' ? 'ended' : s.status, scheduledFor: s.scheduledFor, startedAt: s.startedAt, endedAt: s.status === 'live' ? now : s.endedAt, recap: s.recap, stats: remap(s.stats, ids) as Record<string, unknown> | null, createdBy: null, createdAt: s.createdAt, updatedAt: now }));
    for (const e of s.events) add(db.insert(sessionEvents).values({ sessionId, seq: e.seq, campaignId, type: e.type, actorUserId: null, audience: e.audience, recipients: remap(e.recipients, ids), payload: remap(e.payload, ids), createdAt: e.createdAt }));
  }
  // Macros belonged to players who are not here; the GM's own come along as the importer's.
  const gmRefs = new Set(file.members.filter((m) => m.role === 'gm').map((m) => m.ref));
  const seenMacro = new Set<string>();
  for (const m of file.macros) {
    if (!m.owner || !gmRefs.has(m.owner)) continue;
    const key = `${m.characterId ? id(m.characterId) : ''}:${m.name}`;
    if (seenMacro.has(key)) continue;
    seenMacro.add(key);
    add(db.insert(macros).values({ id: id(m.id), campaignId, userId, characterId: m.characterId ? id(m.characterId) : '', name: m.name, expression: m.expression }));
  }
  add(db.insert(safetyLists).values({ campaignId, lines: file.safety.lines, veils: file.safety.veils }));

  // The campaign and its GM first (one batch), then the rest; on failure the campaign goes, and with it all that was written.
  await db.batch([
    db.insert(campaigns).values({ id: campaignId, name: file.campaign.name, gameSystem: file.campaign.gameSystem || 'dnd5e', setting: file.campaign.setting, description: file.campaign.description, status: 'active', createdBy: userId, version: file.campaign.version }),
    db.insert(memberships).values({ campaignId, userId, role: 'gm' }),
  ]);
  try {
    for (let i = 0; i < statements.length; i += BATCH) await db.batch(statements.slice(i, i + BATCH) as never);
  } catch (err) {
    await db.delete(campaigns).where(eq(campaigns.id, campaignId));
    throw err;
  }
  await audit(scope, 'campaign.import', { campaignId, records: statements.length });
  return {
    campaignId,
    imported: {
      characters: file.characters.length, npcs: file.npcs.length, locations: file.locations.length, plotThreads: file.plotThreads.length, relationships: file.relationships.length,
      notes: file.notes.length, revisions: file.revisions.length, sessions: file.sessions.length, events: file.sessions.reduce((n, s) => n + s.events.length, 0),
    },
    report: {
      members: file.members.map((m) => ({ displayName: m.displayName, role: m.role, characters: file.characters.filter((c) => c.owner === m.ref).map((c) => ({ oldId: c.id, id: id(c.id), name: c.name })) })),
      rulebooksToUpload: file.rulebooks.map((b) => ({ title: b.title, filename: b.filename, sha256: b.sha256 })),
      notes: [
        'Characters are the GM\'s until reassigned (PATCH ownerUserId); authors of past records are unknown here.',
        ...(file.sessions.some((s) => s.status === 'live') ? ['Live sessions were imported as ended.'] : []),
        ...(file.notes.some((n) => n.visibility === 'player') ? ['Notes addressed to one player are now visible to the GM only.'] : []),
      ],
    },
  };
}
