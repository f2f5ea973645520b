/**
 * The whole campaign as one versioned file a GM can keep (and, next, import
 * on any Lorekeeper instance): the campaign, its members' display names and
 * roles (no emails or user ids: other people's accounts are not the GM's to
 * hand out), characters, NPCs, locations, plot threads, relationships,
 * notes, every revision, sessions with their recaps, statistics and table
 * logs, rulebook metadata (the PDFs stay in storage), macros, lines and veils.
 * Records keep their ids (an import maps them to new ones); user ids are
 * replaced by member references (`m1`, `m2`…). Deleted records are included
 * with `deletedAt`, so history stays restorable.
 */
import { asc, eq } from 'drizzle-orm';
import {
  campaigns, characters, gameSessions, locations, macros, memberships, notes, npcRelationships, npcs, plotThreads, revisions, rulebooks,
  safetyLists, sessionEvents, users,
} from '../db/schema';
import { ProblemError } from '../lib/problem';
import { gameSessionStub } from '../session/stub';
import { requireMember } from './policy';
import type { Scope } from './scope';

export const CAMPAIGN_FILE_FORMAT = 'lorekeeper.campaign' as const;
export const CAMPAIGN_FILE_VERSION = 1;
/** The newest migration whose tables the file describes: an importer refuses files from a newer schema. */
export const CAMPAIGN_FILE_SCHEMA = '0004_rules_index';
/** A file holds at most this many table events; a longer history is cut at the oldest sessions, and says so. */
const MAX_EVENTS = 100_000;
const EVENTS_PER_READ = 1000;

/** Replaces user ids anywhere in a value (snapshots and event payloads hold some) with member references. */
function replaceUsers(value: unknown, refs: Map<string, string>): unknown {
  if (typeof value === 'string') return refs.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceUsers(v, refs));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceUsers(v, refs)]));
  return value;
}

export async function exportCampaign(scope: Scope, campaignId: string) {
  const gm = await requireMember(scope, campaignId, 'gm');
  const id = gm.campaign.id;
  const { db } = scope;

  const people = await db.select({ userId: memberships.userId, role: memberships.role, joinedAt: memberships.joinedAt, displayName: users.displayName })
    .from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.campaignId, id)).orderBy(asc(memberships.joinedAt));
  const refs = new Map(people.map((p, i) => [p.userId, `m${i + 1}`]));
  // Users no longer members still appear as authors of old records.
  const ref = (userId: string | null) => {
    if (userId === null) return null;
    if (!refs.has(userId)) refs.set(userId, `m${refs.size + 1}`);
    return refs.get(userId)!;
  };
  const anon = <T>(value: T) => replaceUsers(value, refs) as T;

  // Live tables hold their newest events: flush them so the log is complete.
  const sessions = await db.select().from(gameSessions).where(eq(gameSessions.campaignId, id)).orderBy(asc(gameSessions.createdAt));
  await Promise.all(sessions.filter((s) => s.status === 'live').map((s) => gameSessionStub(scope.env, s.id).flush()));

  const [campaign, pcs, npcRows, locationRows, threadRows, relationRows, noteRows, revisionRows, books, macroRows, safety] = await Promise.all([
    db.select().from(campaigns).where(eq(campaigns.id, id)).get(),
    db.select().from(characters).where(eq(characters.campaignId, id)).orderBy(asc(characters.createdAt)),
    db.select().from(npcs).where(eq(npcs.campaignId, id)).orderBy(asc(npcs.createdAt)),
    db.select().from(locations).where(eq(locations.campaignId, id)).orderBy(asc(locations.createdAt)),
    db.select().from(plotThreads).where(eq(plotThreads.campaignId, id)).orderBy(asc(plotThreads.createdAt)),
    db.select().from(npcRelationships).where(eq(npcRelationships.campaignId, id)).orderBy(asc(npcRelationships.createdAt)),
    db.select().from(notes).where(eq(notes.campaignId, id)).orderBy(asc(notes.createdAt)),
    db.select().from(revisions).where(eq(revisions.campaignId, id)).orderBy(asc(revisions.createdAt), asc(revisions.version)),
    db.select().from(rulebooks).where(eq(rulebooks.campaignId, id)).orderBy(asc(rulebooks.createdAt)),
    db.select().from(macros).where(eq(macros.campaignId, id)).orderBy(asc(macros.createdAt)),
    db.select().from(safetyLists).where(eq(safetyLists.campaignId, id)).get(),
  ]);
  if (!campaign) throw new ProblemError(404, 'Campaign not found');
  // Every user a record names gets a reference before any document is rewritten, so one user is one reference throughout.
  for (const userId of [
    ...pcs.map((c) => c.ownerUserId), ...[...npcRows, ...locationRows, ...threadRows].map((r) => r.createdBy), ...noteRows.flatMap((n) => [n.authorId, n.recipientUserId]),
    ...revisionRows.map((r) => r.authorId), ...sessions.map((s) => s.createdBy), ...books.map((b) => b.uploadedBy), ...macroRows.map((m) => m.userId),
  ]) ref(userId);

  // Table logs, newest sessions first so a cut drops the oldest history, read in pages.
  let events = 0;
  let truncated = false;
  const logs = new Map<string, unknown[]>();
  for (const session of [...sessions].reverse()) {
    const log: unknown[] = [];
    for (let after = -1; !truncated;) {
      const page = await db.select().from(sessionEvents).where(eq(sessionEvents.sessionId, session.id))
        .orderBy(asc(sessionEvents.seq)).limit(EVENTS_PER_READ).offset(after + 1);
      for (const e of page) log.push({ seq: e.seq, type: e.type, actor: ref(e.actorUserId), audience: e.audience, recipients: anon(e.recipients), payload: anon(e.payload), createdAt: e.createdAt });
      events += page.length;
      if (events >= MAX_EVENTS) truncated = true;
      if (page.length < EVENTS_PER_READ) break;
      after += page.length;
    }
    logs.set(session.id, log);
  }

  const lore = (rows: typeof npcRows) => rows.map((r) => ({ id: r.id, name: r.name, visibility: r.visibility, data: anon(r.data), gmOnly: anon(r.gmOnly), createdBy: ref(r.createdBy), createdAt: r.createdAt, updatedAt: r.updatedAt, deletedAt: r.deletedAt, version: r.version }));
  return {
    format: CAMPAIGN_FILE_FORMAT, version: CAMPAIGN_FILE_VERSION, schema: CAMPAIGN_FILE_SCHEMA, exportedAt: new Date().toISOString(),
    campaign: { id: campaign.id, name: campaign.name, gameSystem: campaign.gameSystem, setting: campaign.setting, description: campaign.description, status: campaign.status, createdAt: campaign.createdAt, version: campaign.version },
    members: people.map((p) => ({ ref: refs.get(p.userId)!, displayName: p.displayName, role: p.role, joinedAt: p.joinedAt })),
    characters: pcs.map((c) => ({ id: c.id, owner: ref(c.ownerUserId), name: c.name, sheet: c.sheet, createdAt: c.createdAt, updatedAt: c.updatedAt, deletedAt: c.deletedAt, version: c.version })),
    npcs: lore(npcRows), locations: lore(locationRows), plotThreads: lore(threadRows),
    relationships: relationRows.map((r) => ({ id: r.id, npcId: r.npcId, characterId: r.characterId, score: r.score, summary: r.summary, createdAt: r.createdAt, updatedAt: r.updatedAt, deletedAt: r.deletedAt, version: r.version })),
    notes: noteRows.map((n) => ({ id: n.id, author: ref(n.authorId), title: n.title, body: n.body, category: n.category, visibility: n.visibility, recipient: ref(n.recipientUserId), createdAt: n.createdAt, updatedAt: n.updatedAt, deletedAt: n.deletedAt, version: n.version })),
    revisions: revisionRows.map((r) => ({ id: r.id, entityType: r.entityType, entityId: r.entityId, version: r.version, action: r.action, snapshot: anon(r.snapshot), author: ref(r.authorId), createdAt: r.createdAt, restoredFrom: r.restoredFrom })),
    sessions: sessions.map((s) => ({ id: s.id, title: s.title, status: s.status, scheduledFor: s.scheduledFor, startedAt: s.startedAt, endedAt: s.endedAt, recap: s.recap, stats: anon(s.stats), createdBy: ref(s.createdBy), createdAt: s.createdAt, events: logs.get(s.id) ?? [] })),
    rulebooks: books.map((b) => ({ id: b.id, title: b.title, filename: b.filename, sourceType: b.sourceType, attribution: b.attribution, sha256: b.sha256, sizeBytes: b.sizeBytes, status: b.status, pages: b.pagesTotal, uploadedBy: ref(b.uploadedBy), createdAt: b.createdAt })),
    macros: macroRows.map((m) => ({ id: m.id, owner: ref(m.userId), characterId: m.characterId || null, name: m.name, expression: m.expression })),
    safety: { lines: safety?.lines ?? [], veils: safety?.veils ?? [] },
    truncated: truncated ? `The table logs were cut at ${MAX_EVENTS} events (the oldest sessions' logs are missing)` : null,
  };
}
