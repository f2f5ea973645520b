/**
 * The table as this client knows it, and the one pure function that folds a
 * server event into it. Logged events are kept once (by `eventId`) and in
 * `seq` order whatever order or how many times they arrive (a replay after a
 * reconnect, a snapshot's `recent` overlapping what is on screen), so catching
 * up never shows a line twice. `lastSeq` is what to resume from.
 */
import type { ActorRef, PresenceMember, ReadyCheck, SeenCombatant, ServerEvent } from './events';

export interface Me extends ActorRef {
  role: 'gm' | 'player' | 'spectator';
}

export interface Narration {
  narrationId: string;
  kind: string;
  label: string;
  provider: string;
  text: string;
}

export interface TableState {
  me: Me | null;
  /** The highest `seq` of a logged event (or snapshot) this client holds: sent as `lastSeq` on reconnect. */
  lastSeq: number;
  /** Logged events shown in the log, ascending by seq, each eventId once. */
  log: ServerEvent[];
  scene: string;
  encounter: { active: boolean; round: number; currentId: string | null; combatants: SeenCombatant[] };
  ready: ReadyCheck | null;
  presence: PresenceMember[];
  /** The narration streaming now, if any. */
  narration: Narration | null;
  autoNarrate: boolean;
  typing: Record<string, string>;
  /** Where older events are (a snapshot's pointer to the history API). */
  history: { url: string; before: number } | null;
  ended: { reason: string } | null;
  removed: { reason: string } | null;
  /** The last error the server sent this client. */
  error: { code: string; message: string } | null;
}

export const initialTable = (): TableState => ({
  me: null, lastSeq: 0, log: [], scene: '', encounter: { active: false, round: 0, currentId: null, combatants: [] }, ready: null, presence: [],
  narration: null, autoNarrate: false, typing: {}, history: null, ended: null, removed: null, error: null,
});

/** Event types that belong in the scrolling log. */
const LOG_TYPES = new Set(['chat', 'whisper', 'roll', 'note', 'scene', 'roll.revealed', 'roll.request', 'narration', 'narration.refused', 'narration.audio', 'moderation', 'member', 'safety', 'ready', 'narration.auto']);
/** Most log entries a client keeps in memory (older ones are in the history API). */
export const MAX_LOG = 500;

/** Inserts logged events by seq, skipping eventIds already held. */
export function mergeLog(log: ServerEvent[], incoming: ServerEvent[]): ServerEvent[] {
  const held = new Set(log.map((e) => e.eventId));
  const fresh = incoming.filter((e) => LOG_TYPES.has(e.type) && e.eventId && !held.has(e.eventId) && (held.add(e.eventId), true));
  if (!fresh.length) return log;
  const last = log[log.length - 1];
  const merged = last && fresh.every((e) => e.seq > last.seq) ? [...log, ...fresh] : [...log, ...fresh].sort((a, b) => a.seq - b.seq);
  return merged.length > MAX_LOG ? merged.slice(-MAX_LOG) : merged;
}

/** A moderation event hides the message it names (the GM's client still shows the words, marked). */
function markRemoved(log: ServerEvent[], of: string, by: ActorRef | null | undefined): ServerEvent[] {
  return log.map((e) => (e.eventId === of ? { ...e, removed: { by: by ?? null } } : e));
}

export function applyEvent(state: TableState, event: ServerEvent): TableState {
  const logged = typeof event.eventId === 'string';
  let next: TableState = state;
  if (logged) {
    if (state.log.some((e) => e.eventId === event.eventId)) return state;
    next = { ...state, lastSeq: Math.max(state.lastSeq, event.seq), log: mergeLog(state.log, [event]) };
  }
  switch (event.type) {
    case 'welcome': {
      const you = event.you as Me;
      return { ...next, me: you, error: null, ended: null };
    }
    case 'snapshot': {
      const recent = (event.recent as ServerEvent[] | undefined) ?? [];
      return {
        ...next,
        // A snapshot renumbers nothing: it is where this viewer stands now.
        lastSeq: Math.max(event.seq, ...recent.map((e) => e.seq), 0),
        log: mergeLog(event.reason === 'role_changed' ? [] : next.log, recent),
        scene: String(event.scene ?? ''),
        encounter: (event.encounter as TableState['encounter']) ?? next.encounter,
        ready: (event.ready as ReadyCheck | null) ?? null,
        presence: (event.presence as PresenceMember[]) ?? next.presence,
        history: (event.history as TableState['history']) ?? null,
      };
    }
    case 'presence':
      return { ...next, presence: (event.members as PresenceMember[]) ?? [] };
    case 'scene':
      return { ...next, scene: String(event.text ?? '') };
    case 'initiative':
      return { ...next, encounter: event.encounter as TableState['encounter'] };
    case 'ready': {
      const { prompt, startedBy, answers } = event as unknown as ReadyCheck;
      return { ...next, ready: { prompt, startedBy, answers } };
    }
    case 'typing': {
      const actor = event.actor as ActorRef;
      const typing = { ...next.typing };
      if (event.typing) typing[actor.userId] = actor.displayName;
      else delete typing[actor.userId];
      return { ...next, typing };
    }
    case 'chat':
    case 'whisper': {
      const actor = event.actor;
      if (!actor || !(actor.userId in next.typing)) return next;
      const typing = { ...next.typing };
      delete typing[actor.userId];
      return { ...next, typing };
    }
    case 'narration.start':
      return { ...next, narration: { narrationId: String(event.narrationId), kind: String(event.kind), label: String(event.label ?? ''), provider: String(event.provider ?? ''), text: '' } };
    case 'narration.delta':
      if (!next.narration || next.narration.narrationId !== event.narrationId) return next;
      return { ...next, narration: { ...next.narration, text: next.narration.text + String(event.text ?? '') } };
    case 'narration':
      return next.narration?.narrationId === event.narrationId ? { ...next, narration: null } : next;
    case 'narration.auto':
      return { ...next, autoNarrate: Boolean(event.on) };
    case 'moderation':
      return event.action === 'removed' && typeof event.of === 'string' ? { ...next, log: markRemoved(next.log, event.of, event.actor) } : next;
    case 'ended':
      return { ...next, ended: { reason: String(event.reason ?? 'The session ended') }, narration: null };
    case 'removed':
      return { ...next, removed: { reason: String(event.reason ?? 'You were removed from the table') } };
    case 'error':
      return { ...next, error: { code: String(event.code), message: String(event.message) } };
    default:
      return next;
  }
}

/** The roll requests addressed to `userId` that have not been answered yet (by a roll carrying their id). */
export function openRollRequests(state: TableState, userId: string | undefined): ServerEvent[] {
  if (!userId) return [];
  const answered = new Set(state.log.filter((e) => e.type === 'roll' && typeof e.requestId === 'string').map((e) => e.requestId as string));
  return state.log.filter((e) => e.type === 'roll.request' && (e.to as ActorRef | undefined)?.userId === userId && !answered.has(e.eventId!));
}
