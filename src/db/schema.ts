/**
 * Relational state in D1, described for drizzle-orm.
 *
 * Conventions: ids are random UUIDs (text), timestamps are ISO-8601 UTC text
 * (sortable, readable in `wrangler d1 execute`), JSON columns hold documents
 * that are validated by zod before they are written. Campaign content tables
 * carry a `version` (bumped on every change, mirrored by a row in `revisions`)
 * and a `deleted_at` tombstone so nothing is ever destroyed by an edit.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  createdAt: text('created_at').notNull().default(now),
  disabledAt: text('disabled_at'),
  /** A platform operator (admin): set by `npm run operator`, never through the API. */
  isOperator: integer('is_operator', { mode: 'boolean' }).notNull().default(false),
}, (t) => [uniqueIndex('users_email_unique').on(t.email)]);

/** Password credentials, separate from the profile so reads of users never carry hashes. */
export const credentials = sqliteTable('credentials', {
  userId: text('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  passwordHash: text('password_hash').notNull(),
  updatedAt: text('updated_at').notNull().default(now),
});

/** One sign-in: the family every rotated refresh token of that sign-in belongs to (SQL name kept from before the rename). */
export const signIns = sqliteTable('auth_sessions', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull().default(now),
  expiresAt: text('expires_at').notNull(),
  revokedAt: text('revoked_at'),
  revokedReason: text('revoked_reason'),
  userAgent: text('user_agent'),
}, (t) => [index('auth_sessions_user_idx').on(t.userId)]);

export const refreshTokens = sqliteTable('refresh_tokens', {
  id: text('id').primaryKey(),
  /** The sign-in this token belongs to. */
  signInId: text('session_id').notNull().references(() => signIns.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  createdAt: text('created_at').notNull().default(now),
  expiresAt: text('expires_at').notNull(),
  /** Set when this token was exchanged; presenting it again is reuse and revokes the family. */
  rotatedAt: text('rotated_at'),
}, (t) => [uniqueIndex('refresh_tokens_hash_unique').on(t.tokenHash), index('refresh_tokens_session_idx').on(t.signInId)]);

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** First characters of the key, shown in listings so users can tell keys apart. */
  prefix: text('prefix').notNull(),
  keyHash: text('key_hash').notNull(),
  createdAt: text('created_at').notNull().default(now),
  expiresAt: text('expires_at'),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
}, (t) => [uniqueIndex('api_keys_hash_unique').on(t.keyHash), index('api_keys_user_idx').on(t.userId)]);

export const campaigns = sqliteTable('campaigns', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  gameSystem: text('game_system').notNull().default('dnd5e'),
  setting: text('setting').notNull().default(''),
  description: text('description').notNull().default(''),
  status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
  createdBy: text('created_by').notNull().references(() => users.id),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
  version: integer('version').notNull().default(1),
});

export const memberships = sqliteTable('memberships', {
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ['gm', 'player', 'spectator'] }).notNull(),
  joinedAt: text('joined_at').notNull().default(now),
  /** The player reset what the narrator keeps about them (services/player-profiles.ts): only later actions count. */
  profileResetAt: text('profile_reset_at'),
}, (t) => [primaryKey({ columns: [t.campaignId, t.userId] }), index('memberships_user_idx').on(t.userId)]);

export const invites = sqliteTable('invites', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  code: text('code').notNull(),
  role: text('role', { enum: ['player', 'spectator'] }).notNull().default('player'),
  maxUses: integer('max_uses').notNull().default(1),
  uses: integer('uses').notNull().default(0),
  expiresAt: text('expires_at').notNull(),
  createdBy: text('created_by').notNull().references(() => users.id),
  createdAt: text('created_at').notNull().default(now),
  revokedAt: text('revoked_at'),
}, (t) => [uniqueIndex('invites_code_unique').on(t.code), index('invites_campaign_idx').on(t.campaignId)]);

export const characters = sqliteTable('characters', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  ownerUserId: text('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
  name: text('name').notNull(),
  /** The character sheet document (src/game/character-sheet.ts). */
  sheet: text('sheet', { mode: 'json' }).notNull(),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
  deletedAt: text('deleted_at'),
  version: integer('version').notNull().default(1),
}, (t) => [index('characters_campaign_idx').on(t.campaignId)]);

/**
 * NPCs, locations and plot threads share one shape: a name, who may see it,
 * a document the party may read and a GM-only document players never receive.
 */
const loreColumns = () => ({
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  visibility: text('visibility', { enum: ['gm', 'party'] }).notNull().default('party'),
  data: text('data', { mode: 'json' }).notNull(),
  gmOnly: text('gm_only', { mode: 'json' }).notNull(),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
  deletedAt: text('deleted_at'),
  version: integer('version').notNull().default(1),
});

export const npcs = sqliteTable('npcs', loreColumns(), (t) => [index('npcs_campaign_idx').on(t.campaignId)]);
export const locations = sqliteTable('locations', loreColumns(), (t) => [index('locations_campaign_idx').on(t.campaignId)]);
export const plotThreads = sqliteTable('plot_threads', loreColumns(), (t) => [index('plot_threads_campaign_idx').on(t.campaignId)]);

/** How an NPC feels about one character, -100 (hostile) to 100 (devoted). */
export const npcRelationships = sqliteTable('npc_relationships', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  npcId: text('npc_id').notNull().references(() => npcs.id, { onDelete: 'cascade' }),
  characterId: text('character_id').notNull().references(() => characters.id, { onDelete: 'cascade' }),
  score: integer('score').notNull().default(0),
  summary: text('summary').notNull().default(''),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
  deletedAt: text('deleted_at'),
  version: integer('version').notNull().default(1),
}, (t) => [uniqueIndex('npc_relationships_pair_unique').on(t.npcId, t.characterId), index('npc_relationships_campaign_idx').on(t.campaignId)]);

/** Journal entries: visible to the GM only, to the whole party, or to one player. */
export const notes = sqliteTable('notes', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  category: text('category').notNull().default('general'),
  visibility: text('visibility', { enum: ['gm', 'party', 'player'] }).notNull().default('party'),
  recipientUserId: text('recipient_user_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
  deletedAt: text('deleted_at'),
  version: integer('version').notNull().default(1),
}, (t) => [index('notes_campaign_idx').on(t.campaignId)]);

/** Every change to campaign data: a full snapshot of the record after the change. */
export const revisions = sqliteTable('revisions', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  version: integer('version').notNull(),
  action: text('action', { enum: ['create', 'update', 'delete', 'restore'] }).notNull(),
  snapshot: text('snapshot', { mode: 'json' }).notNull(),
  authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull().default(now),
  /** For restores: the revision that was brought back. */
  restoredFrom: text('restored_from'),
}, (t) => [
  uniqueIndex('revisions_entity_version_unique').on(t.entityType, t.entityId, t.version),
  index('revisions_campaign_idx').on(t.campaignId, t.createdAt),
]);

/** Security-relevant events: sign-ins, failures, token reuse, role changes, key creation. */
export const auditEvents = sqliteTable('audit_events', {
  id: text('id').primaryKey(),
  at: text('at').notNull().default(now),
  type: text('type').notNull(),
  actorUserId: text('actor_user_id'),
  campaignId: text('campaign_id'),
  ip: text('ip'),
  requestId: text('request_id'),
  detail: text('detail', { mode: 'json' }),
}, (t) => [index('audit_events_at_idx').on(t.at), index('audit_events_actor_idx').on(t.actorUserId)]);

/** A game night: scheduled, live (a GameSession Durable Object holds the table), then ended with a recap. */
export const gameSessions = sqliteTable('game_sessions', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  status: text('status', { enum: ['scheduled', 'live', 'ended'] }).notNull().default('scheduled'),
  scheduledFor: text('scheduled_for'),
  startedAt: text('started_at'),
  endedAt: text('ended_at'),
  /** The player-safe recap (everyone reads it); `gmRecap` is the GM's, from the whole log. Both editable by the GM. */
  recap: text('recap').notNull().default(''),
  gmRecap: text('gm_recap').notNull().default(''),
  /** none → pending (the session ended, recaps being written) → ready | failed. */
  recapStatus: text('recap_status', { enum: ['none', 'pending', 'ready', 'failed'] }).notNull().default('none'),
  /** Who wrote the recaps: a model's label, or the automatic summary's. */
  recapLabel: text('recap_label'),
  /** The table's statistics per player, written when the session ends (session/room-state.ts#PlayerStats). */
  stats: text('stats', { mode: 'json' }).$type<Record<string, unknown>>(),
  /** Open sockets at the live table, as its room last reported (for /metrics). */
  connections: integer('connections').notNull().default(0),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
}, (t) => [index('game_sessions_campaign_idx').on(t.campaignId, t.createdAt), index('game_sessions_status_idx').on(t.status)]);

/**
 * Everything said and done at a live table, flushed in batches from the
 * session's Durable Object. (session_id, seq) is the key, so a flush that is
 * retried inserts nothing twice.
 */
export const sessionEvents = sqliteTable('session_events', {
  sessionId: text('session_id').notNull().references(() => gameSessions.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  campaignId: text('campaign_id').notNull(),
  type: text('type').notNull(),
  actorUserId: text('actor_user_id'),
  /** all: everyone at the table; gm: GMs and the actor; private: the listed recipients. */
  audience: text('audience', { enum: ['all', 'gm', 'private'] }).notNull(),
  recipients: text('recipients', { mode: 'json' }),
  payload: text('payload', { mode: 'json' }).notNull(),
  createdAt: text('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.sessionId, t.seq] }), index('session_events_campaign_idx').on(t.campaignId)]);

/** An uploaded rulebook PDF. Status moves uploaded → processing → ready | failed; only `ready` books are searched. */
export const rulebooks = sqliteTable('rulebooks', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  filename: text('filename').notNull(),
  sourceType: text('source_type', { enum: ['rules', 'lore'] }).notNull().default('rules'),
  /** The licence statement shown wherever the book's text is (e.g. the SRD's CC-BY-4.0 attribution). */
  attribution: text('attribution').notNull().default(''),
  r2Key: text('r2_key').notNull(),
  sha256: text('sha256').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  status: text('status', { enum: ['uploaded', 'processing', 'ready', 'failed'] }).notNull().default('uploaded'),
  stage: text('stage').notNull().default('queued'),
  pagesTotal: integer('pages_total'),
  pagesDone: integer('pages_done').notNull().default(0),
  chunkCount: integer('chunk_count').notNull().default(0),
  error: text('error'),
  /** Increments on every (re)index so a stale ingestion step can tell it was superseded. */
  generation: integer('generation').notNull().default(1),
  /** Where ingestion resumes: body text size and the heading path carried across pages. */
  ingestState: text('ingest_state', { mode: 'json' }),
  uploadedBy: text('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
}, (t) => [uniqueIndex('rulebooks_campaign_hash_unique').on(t.campaignId, t.sha256), index('rulebooks_campaign_idx').on(t.campaignId)]);

/** A passage of a rulebook: one page, under a heading path, with its detected content type. */
export const rulebookChunks = sqliteTable('rulebook_chunks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  rulebookId: text('rulebook_id').notNull().references(() => rulebooks.id, { onDelete: 'cascade' }),
  campaignId: text('campaign_id').notNull(),
  generation: integer('generation').notNull(),
  page: integer('page').notNull(),
  ordinal: integer('ordinal').notNull(),
  headingPath: text('heading_path').notNull(),
  heading: text('heading').notNull(),
  contentType: text('content_type').notNull(),
  text: text('text').notNull(),
  /** Leading characters of `text` printed on the page before `page` (a section's start held back from the page's foot). */
  previousPageChars: integer('previous_page_chars').notNull().default(0),
}, (t) => [index('rulebook_chunks_book_idx').on(t.rulebookId, t.page), index('rulebook_chunks_campaign_idx').on(t.campaignId)]);

/** What people searched for, for the GM's analytics (popular and zero-result queries). */
export const searchQueries = sqliteTable('search_queries', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  userId: text('user_id'),
  query: text('query').notNull(),
  normalized: text('normalized').notNull(),
  resultCount: integer('result_count').notNull(),
  /** Time to answer (search and snippets), for /metrics; null for searches logged before migration 0007. */
  durationMs: integer('duration_ms'),
  at: text('at').notNull().default(now),
}, (t) => [index('search_queries_campaign_idx').on(t.campaignId, t.at)]);

/** Words of a rulebook with their frequency: the vocabulary for "did you mean" (FTS5's own is stemmed). */
export const rulebookTerms = sqliteTable('rulebook_terms', {
  rulebookId: text('rulebook_id').notNull().references(() => rulebooks.id, { onDelete: 'cascade' }),
  term: text('term').notNull(),
  freq: integer('freq').notNull(),
}, (t) => [primaryKey({ columns: [t.rulebookId, t.term] }), index('rulebook_terms_term_idx').on(t.term)]);

/**
 * Saved roll macros (`!sneak` → `1d20+@stealth # Sneak attack`): a player's own, for all their characters
 * (`character_id` empty) or for one of them. `@` names are filled from the sheet when the macro runs.
 */
export const macros = sqliteTable('macros', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** Empty for a macro of the player; a character id for one of that character. */
  characterId: text('character_id').notNull().default(''),
  name: text('name').notNull(),
  expression: text('expression').notNull(),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
}, (t) => [uniqueIndex('macros_owner_name_unique').on(t.campaignId, t.userId, t.characterId, t.name)]);

/**
 * A campaign's lines (content that never appears) and veils (content that happens off-screen), readable by
 * everyone at the table. Items carry no author: players may add them anonymously.
 */
export const safetyLists = sqliteTable('campaign_safety', {
  campaignId: text('campaign_id').primaryKey().references(() => campaigns.id, { onDelete: 'cascade' }),
  lines: text('lines', { mode: 'json' }).$type<string[]>().notNull(),
  veils: text('veils', { mode: 'json' }).$type<string[]>().notNull(),
  updatedAt: text('updated_at').notNull().default(now),
});

/**
 * One backup run (services/backups.ts): its state while the queue steps run, then its result. Not itself
 * backed up: it describes the backup store (R2), whose manifests are the record of what a backup holds.
 */
export const backupRuns = sqliteTable('backup_runs', {
  id: text('id').primaryKey(),
  status: text('status', { enum: ['running', 'done', 'failed'] }).notNull().default('running'),
  trigger: text('trigger', { enum: ['cron', 'operator'] }).notNull(),
  requestedBy: text('requested_by'),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  /** The newest migration the dump describes. */
  schema: text('schema').notNull(),
  /** D1's bookmark at the start (the point a Time Travel restore would return to); null where D1 has none (local). */
  bookmark: text('bookmark'),
  /** The tables in restore order with their parts so far (ops/backup/manifest.ts#TablePlan). */
  progress: text('progress', { mode: 'json' }).notNull(),
  sizeBytes: integer('size_bytes').notNull().default(0),
  rows: integer('rows').notNull().default(0),
  error: text('error'),
}, (t) => [index('backup_runs_started_idx').on(t.startedAt)]);

/** Platform-wide settings an operator changes at run time (e.g. `cache_generation`, bumped to clear caches). */
export const platformSettings = sqliteTable('platform_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull().default(now),
});

/** Every model call (narrations, recaps): who, which model, tokens, time, outcome; read for budgets and the GM's usage view. */
export const aiUsage = sqliteTable('ai_usage', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  userId: text('user_id'),
  kind: text('kind', { enum: ['narration', 'recap', 'answer', 'generation', 'speech', 'judgement'] }).notNull(),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  status: text('status').notNull(),
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  /** Estimated from AI_USD_PER_MILLION_INPUT/OUTPUT; 0 for the scripted narrator. */
  costMicroUsd: integer('cost_micro_usd').notNull().default(0),
  durationMs: integer('duration_ms').notNull().default(0),
  at: text('at').notNull().default(now),
}, (t) => [index('ai_usage_campaign_idx').on(t.campaignId, t.at), index('ai_usage_user_idx').on(t.userId, t.at)]);

/** The narrator's settings per campaign: the model (`default` follows the platform) and the voice (a preset, or derived from the GM's sample). */
export const campaignNarrator = sqliteTable('campaign_narrator', {
  campaignId: text('campaign_id').primaryKey().references(() => campaigns.id, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['default', 'scripted', 'workers-ai', 'endpoint'] }).notNull().default('default'),
  stylePreset: text('style_preset'),
  styleSample: text('style_sample').notNull().default(''),
  /** The instructions the prompt carries (from the preset or the sample), kept so they stay stable. */
  style: text('style').notNull().default(''),
  /** Voices are opt-in per campaign: narrations (and NPC lines, each NPC its own speaker) are spoken when on. */
  voiceEnabled: integer('voice_enabled', { mode: 'boolean' }).notNull().default(false),
  /** The narrator's speaker; empty means the speech model's first. */
  narratorVoice: text('narrator_voice').notNull().default(''),
  updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: text('updated_at').notNull().default(now),
});

/** What the campaign remembers: who died, what was promised, what was found. Extracted when a session ends, or written by the GM; the GM corrects or retracts. */
export const campaignFacts = sqliteTable('campaign_facts', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
  sessionId: text('session_id').references(() => gameSessions.id, { onDelete: 'set null' }),
  kind: text('kind', { enum: ['death', 'promise', 'discovery', 'other'] }).notNull(),
  text: text('text').notNull(),
  /** party: players know it; gm: only the GM (and GM-audience narrations). */
  visibility: text('visibility', { enum: ['party', 'gm'] }).notNull().default('party'),
  source: text('source', { enum: ['extracted', 'gm'] }).notNull(),
  status: text('status', { enum: ['active', 'retracted'] }).notNull().default('active'),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
}, (t) => [index('campaign_facts_campaign_idx').on(t.campaignId, t.createdAt)]);
