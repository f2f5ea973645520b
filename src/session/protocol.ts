/**
 * The table's WebSocket protocol, version 1, shared by the Durable Object,
 * the HTTP fallback and clients. Every client frame is validated here; every
 * server event carries `v`, `type` and `seq`.
 *
 * Client → server: `{ "type": "chat", "id": "c1", "text": "Hello", "mode": "ic" }`
 * Server → client: `{ "v": 1, "type": "chat", "seq": 42, "at": "…", "actor": {…}, "text": "Hello", "mode": "ic" }`
 *
 * Sequence numbers are per viewer: an event's `seq` is how many events *that
 * viewer* may see up to and including it, so each viewer's numbering runs
 * 1, 2, 3… with no gaps, and nothing in it reveals the existence or number of
 * events they may not see (a GM's hidden roll, other players' whispers).
 * Logged events (chat, whisper, roll, scene, note, initiative, ready, member,
 * moderation, safety) also carry an `eventId` (the same for every viewer, used
 * to refer to the event: reveal, remove) and are replayed after a reconnect.
 * Ephemeral events (welcome, snapshot, resumed, ack, error, pong, typing,
 * presence, ended, removed) carry the viewer's latest `seq` (their watermark)
 * and are not replayed. The full list with ordering and visibility guarantees
 * is in docs/protocol.md.
 *
 * Ordering: frames from one socket are applied in the order they were sent,
 * one after another (the next waits while the previous looks anything up); a
 * viewer receives events in increasing `seq`.
 */
import { z } from 'zod';
import type { Role } from '../game/roles';
import { NOTE_CATEGORIES } from '../game/lore';
import { SKILL_ABILITIES, type Skill } from '../game/character-sheet';
import { MACRO_NAME } from '../game/macros';

export const PROTOCOL_VERSION = 1;
export const MAX_FRAME_BYTES = 16 * 1024;
/** The longest chat line (after trimming). */
export const MAX_CHAT_TEXT = 2000;
/** A WebSocket ticket: `wst_` and 32 random bytes in base64url (checked before the room is touched). */
export const TICKET_FORMAT = /^wst_[\w-]{43}$/;

const ref = z.string().min(1).max(64).optional().describe('Client reference echoed in ack/error');
const uuid = z.string().uuid();
const text = (max: number) => z.string().trim().min(1).max(max);
const abilities = z.enum(['str', 'dex', 'con', 'int', 'wis', 'cha']);

export const ConditionDurationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rounds'), rounds: z.number().int().min(1).max(1000) }),
  z.object({ kind: z.literal('save'), dc: z.number().int().min(1).max(40), ability: abilities }),
  z.object({ kind: z.literal('until_removed') }),
]);

/**
 * Who sees a roll: everyone; the GM (and the roller) only; blind (the GM sees it, the roller sees only that
 * they rolled); self (the roller only).
 */
export const ROLL_VISIBILITIES = ['public', 'gm', 'blind', 'self'] as const;
export type RollVisibility = (typeof ROLL_VISIBILITIES)[number];
const rollVisibility = z.enum(ROLL_VISIBILITIES);
const eventRef = z.string().min(1).max(64).describe('The eventId of a logged event');
const combatantRef = z.string().min(1).max(64);
const bonus = z.number().int().min(-30).max(30);

/** A monster's printed numbers, so the table can roll its checks, saves and attacks (bonuses are totals). */
export const StatBlockSchema = z.object({
  abilities: z.partialRecord(abilities, z.number().int().min(1).max(30)).optional(),
  saves: z.partialRecord(abilities, bonus).optional(),
  skills: z.partialRecord(z.enum(Object.keys(SKILL_ABILITIES) as [Skill, ...Skill[]]), bonus).optional(),
  attacks: z.array(z.object({ name: text(60), bonus, damage: z.string().trim().max(40).regex(/^[0-9d+\- ]*$/i).optional(), damageType: z.string().trim().max(40).optional() }).strict()).max(20).optional(),
}).strict();

const message = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), id: ref, ...shape }).strict();

export const ClientMessageSchema = z.discriminatedUnion('type', [
  message('hello', { v: z.literal(PROTOCOL_VERSION).optional(), lastSeq: z.number().int().min(0).optional() }),
  /** Keep-alive: answered with `pong` (echoing `id`). The exact text `{"type":"ping"}` is answered by the runtime without waking the room. */
  message('ping', {}),
  message('chat', { text: text(MAX_CHAT_TEXT), mode: z.enum(['ic', 'ooc']).default('ooc'), characterId: uuid.optional() }),
  message('whisper', { text: text(2000), to: z.union([uuid, z.literal('gm')]) }),
  /** `hidden: true` is the older spelling of `visibility: "gm"`. */
  message('roll', { expression: z.string().min(1).max(200), visibility: rollVisibility.optional(), hidden: z.boolean().default(false), characterId: uuid.optional() }),
  /** A roll worked out from a sheet or stat block: "Stealth", "Dexterity save", "Longsword attack", "initiative". */
  message('check', {
    check: text(60), characterId: uuid.optional(), combatantId: combatantRef.optional(),
    mode: z.enum(['normal', 'advantage', 'disadvantage']).default('normal'), bonus: bonus.default(0), visibility: rollVisibility.default('public'),
  }),
  message('roll.reveal', { eventId: eventRef }),
  /** Runs one of the sender's saved macros (`!name` at the start of a chat line does the same). */
  message('macro.run', { name: z.string().regex(MACRO_NAME, 'Macro names are letters, digits, - and _'), characterId: uuid.optional(), visibility: rollVisibility.default('public') }),
  message('message.remove', { eventId: eventRef, reason: z.string().trim().max(200).optional() }),
  message('player.mute', { userId: uuid, minutes: z.number().int().min(1).max(24 * 60).default(10) }),
  message('player.unmute', { userId: uuid }),
  message('player.kick', { userId: uuid, reason: z.string().trim().max(200).optional() }),
  message('player.admit', { userId: uuid }),
  /** Anyone at the table may tap the X-card; the table learns that it was tapped, never by whom. */
  message('safety.xcard', {}),
  message('typing', { typing: z.boolean() }),
  message('scene.set', { text: z.string().max(5000) }),
  message('note.add', { category: z.enum(NOTE_CATEGORIES).default('general'), text: text(5000) }),
  message('initiative.add', {
    kind: z.enum(['character', 'monster']),
    characterId: uuid.optional(),
    name: text(80).optional(),
    /** A fixed initiative; otherwise d20 + bonus is rolled. */
    initiative: z.number().int().min(-20).max(100).optional(),
    bonus: z.number().int().min(-20).max(40).default(0),
    hp: z.object({ max: z.number().int().min(1).max(100_000), current: z.number().int().min(-100_000).max(100_000).optional() }).optional(),
    armorClass: z.number().int().min(0).max(60).optional(),
    stats: StatBlockSchema.optional(),
    /** Several identical monsters on one initiative roll (group initiative): "Goblin 1" … "Goblin n". */
    count: z.number().int().min(1).max(20).default(1),
  }),
  message('initiative.remove', { combatantId: z.string().min(1).max(64) }),
  message('initiative.start', {}),
  message('initiative.next', {}),
  message('initiative.delay', {}),
  message('initiative.resume', { combatantId: z.string().min(1).max(64) }),
  /** The Ready action: the combatant whose turn it is holds its action for a trigger. */
  message('initiative.ready', { trigger: text(200) }),
  /** The trigger happened: the readied action fires with the combatant's reaction. */
  message('initiative.trigger', { combatantId: combatantRef }),
  message('initiative.end', {}),
  message('initiative.hp', {
    combatantId: z.string().min(1).max(64),
    damage: z.number().int().min(1).max(100_000).optional(),
    healing: z.number().int().min(1).max(100_000).optional(),
    temp: z.number().int().min(1).max(100_000).optional(),
  }),
  message('condition.add', { combatantId: z.string().min(1).max(64), name: text(60), duration: ConditionDurationSchema.default({ kind: 'until_removed' }) }),
  message('condition.remove', { combatantId: z.string().min(1).max(64), name: text(60) }),
  message('turn.use', { resource: z.enum(['action', 'bonus', 'reaction', 'movement']), feet: z.number().int().min(1).max(1000).optional() }),
  message('ready.start', { prompt: z.string().max(200).default('Ready?') }),
  /**
   * GM: asks the narrator to describe the scene, voice an NPC (`npcId`), resolve an action, or anything (`free`).
   * Streamed as `narration.delta` to the audience, then logged as one `narration` event (complete, cancelled or
   * failed). One narration at a time: a newer request supersedes the one streaming (it is logged as cancelled).
   */
  message('narrate', {
    prompt: text(2000), kind: z.enum(['scene', 'npc', 'action', 'free']).default('free'), npcId: uuid.optional(),
    /** `gm`: a preview only the GM sees. */
    audience: z.enum(['all', 'gm']).default('all'),
  }),
  /** GM: auto-narration on or off: each in-character line from a player then gets the narrator's answer. */
  message('narrate.auto', { on: z.boolean() }),
  /** GM: stops the narration that is streaming (logged as cancelled with what was said so far). */
  message('narrate.cancel', {}),
  /** GM: asks a player for a check, save or attack from their character's sheet ("Dexterity save", DC 14). */
  message('roll.request', {
    userId: uuid, characterId: uuid, check: text(60), dc: z.number().int().min(1).max(40).optional(),
    mode: z.enum(['normal', 'advantage', 'disadvantage']).default('normal'),
  }),
  /** The player answers a roll request (`eventId` of the request): the server rolls it from the sheet. */
  message('roll.answer', { eventId: eventRef }),
  message('ready.answer', { ready: z.boolean() }),
]);

export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export const CLIENT_MESSAGE_TYPES = ClientMessageSchema.options.map((o) => o.shape.type.value) as ClientMessageType[];

/** Messages that only make sense on a WebSocket. */
export const SOCKET_ONLY_TYPES = ['hello', 'ping', 'typing'] as const;
/** A table action: every client message but the socket-only ones (what the rules engine handles). */
export type TableAction = Exclude<ClientMessage, { type: (typeof SOCKET_ONLY_TYPES)[number] }>;
export const isTableAction = (msg: ClientMessage): msg is TableAction => !(SOCKET_ONLY_TYPES as readonly string[]).includes(msg.type);
/** Messages the HTTP fallback accepts (clients without WebSockets, MCP): every table action. */
export const HTTP_MESSAGE_TYPES = CLIENT_MESSAGE_TYPES.filter((t) => !(SOCKET_ONLY_TYPES as readonly string[]).includes(t));

export type ErrorCode =
  | 'frame_too_large' | 'rate_limited' | 'malformed_json' | 'unknown_type' | 'invalid_message'
  | 'forbidden' | 'invalid_roll' | 'invalid_action' | 'not_found' | 'muted' | 'session_ended' | 'internal';

export interface Actor {
  userId: string;
  displayName: string;
  role: Role;
}

/** What the HTTP fallback (`GameSession.submit`) answers: the events the sender may see, or the rule that refused it. */
export interface SubmitResult {
  ok: boolean;
  events: SessionEvent[];
  error?: { code: ErrorCode; message: string };
}

/** The fields every logged server event has. */
export interface EventEnvelope {
  v: typeof PROTOCOL_VERSION;
  seq: number;
  type: string;
  at: string;
  actor: { userId: string; displayName: string } | null;
  audience: 'all' | 'gm' | 'private';
  recipients?: string[];
  /** The same for every viewer (seq is not): how clients and the GM refer to the event. */
  eventId: string;
}

/** A server event as stored in the log and sent on the wire (before per-viewer redaction). */
export type SessionEvent = EventEnvelope & Record<string, unknown>;
export type UnsequencedEvent = Omit<EventEnvelope, 'seq' | 'eventId'> & Record<string, unknown>;
