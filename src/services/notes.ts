/**
 * Journal notes with visibility: `gm` (the GMs and the author), `party`
 * (every member) or `player` (one recipient, the author and the GMs).
 * Players and GMs write notes; authors and GMs edit them.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { newId } from '../db/client';
import { notes } from '../db/schema';
import type { NOTE_CATEGORIES } from '../game/lore';
import type { Viewer } from '../game/roles';
import { forbidden, notFound, ProblemError } from '../lib/problem';
import { canEditNote, canReadNote, findMembership, noteReadableSql, requireMember } from './policy';
import type { Scope } from './scope';
import { createEntity, deleteEntity, getEntity, updateEntity } from './versioned-store';

type NoteRow = typeof notes.$inferSelect;
type Category = (typeof NOTE_CATEGORIES)[number];
type Visibility = NoteRow['visibility'];

export const presentNote = (n: NoteRow, v: Viewer) => ({
  id: n.id, campaignId: n.campaignId, authorId: n.authorId, title: n.title, body: n.body, category: n.category as Category,
  visibility: n.visibility, recipientUserId: n.recipientUserId, version: n.version, createdAt: n.createdAt, updatedAt: n.updatedAt, canEdit: canEditNote(v, n),
});

/** A `player` note needs a recipient who is a member; other visibilities have none. */
async function checkRecipient(scope: Scope, campaignId: string, visibility: Visibility, recipientUserId: string | null | undefined): Promise<string | null> {
  if (visibility !== 'player') return null;
  if (!recipientUserId) {
    throw new ProblemError(400, 'A note for one player needs recipientUserId', { errors: [{ path: 'body.recipientUserId', message: 'Required when visibility is "player"' }] });
  }
  if (!(await findMembership(scope, campaignId, recipientUserId))) {
    throw new ProblemError(400, 'The recipient is not a member of this campaign', { errors: [{ path: 'body.recipientUserId', message: 'Not a member' }] });
  }
  return recipientUserId;
}

async function readableNote(scope: Scope, viewer: Viewer, campaignId: string, id: string) {
  const note = await getEntity(scope, 'note', campaignId, id);
  if (!canReadNote(viewer, note)) throw notFound('Note');
  return note;
}

export async function listNotes(scope: Scope, campaignId: string, input: { category?: Category; limit: number; offset: number }) {
  const member = await requireMember(scope, campaignId);
  const rows = await scope.db.select().from(notes)
    .where(and(eq(notes.campaignId, member.campaign.id), isNull(notes.deletedAt), input.category ? eq(notes.category, input.category) : undefined, noteReadableSql(member)))
    .orderBy(desc(notes.updatedAt)).limit(input.limit).offset(input.offset);
  return rows.map((n) => presentNote(n, member));
}

export interface NoteFields {
  title: string;
  body: string;
  category: Category;
  visibility: Visibility;
  recipientUserId?: string | null;
}

export async function createNote(scope: Scope, campaignId: string, input: NoteFields) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const recipientUserId = await checkRecipient(scope, member.campaign.id, input.visibility, input.recipientUserId);
  const row = await createEntity(scope, 'note', member.campaign.id, {
    id: newId(), campaignId: member.campaign.id, authorId: member.userId, title: input.title, body: input.body,
    category: input.category, visibility: input.visibility, recipientUserId, deletedAt: null,
  });
  return presentNote(row, member);
}

export async function getNote(scope: Scope, campaignId: string, id: string) {
  const member = await requireMember(scope, campaignId);
  return presentNote(await readableNote(scope, member, campaignId, id), member);
}

export async function updateNote(scope: Scope, campaignId: string, id: string, input: Partial<NoteFields> & { version?: number }) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const current = await readableNote(scope, member, campaignId, id);
  if (!canEditNote(member, current)) throw forbidden('Only the author or a GM can edit this note');
  const { version, recipientUserId, ...fields } = input;
  const visibility = fields.visibility ?? current.visibility;
  const recipient = await checkRecipient(scope, campaignId, visibility, recipientUserId === undefined ? current.recipientUserId : recipientUserId);
  const row = await updateEntity(scope, 'note', campaignId, current, { ...fields, recipientUserId: recipient }, { expectedVersion: version });
  return presentNote(row, member);
}

export async function deleteNote(scope: Scope, campaignId: string, id: string) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const current = await readableNote(scope, member, campaignId, id);
  if (!canEditNote(member, current)) throw forbidden('Only the author or a GM can delete this note');
  await deleteEntity(scope, 'note', campaignId, current);
}
