/** What a live table remembers besides its event log: scene, encounter, ready check, session notes. */
import { emptyEncounter, type Encounter } from '../game/initiative';

export interface SessionNote {
  id: string;
  category: string;
  text: string;
  authorId: string;
  at: string;
}

export interface ReadyCheck {
  prompt: string;
  startedBy: string;
  answers: Record<string, boolean>;
}

/** What a table enjoys at the end: natural 20s and 1s, crits, damage dealt and taken, per player. */
export interface PlayerStats {
  displayName: string;
  rolls: number;
  natural20s: number;
  natural1s: number;
  crits: number;
  damageDealt: number;
  damageTaken: number;
}

/** The campaign's lines and veils, as the table shows them. */
export interface SafetyLists {
  lines: string[];
  veils: string[];
}

export interface RoomState {
  scene: string;
  encounter: Encounter;
  ready: ReadyCheck | null;
  notes: SessionNote[];
  /** Muted players and until when (ISO time). */
  muted: Record<string, string>;
  /** People the GM removed from this live table, who cannot reconnect until admitted. */
  kicked: Record<string, { by: string; at: string; reason: string | null }>;
  stats: Record<string, PlayerStats>;
  safety: SafetyLists;
  /** Auto-narration: on when a GM turned it on (narrations it starts are theirs: budgets, authority). */
  autoNarrate: { by: { userId: string; displayName: string } } | null;
  /** Roll requests already answered (eventIds, newest last, at most MAX_ANSWERED): each is answered once. */
  answered: string[];
}

export const MAX_ANSWERED = 500;

/** Session notes kept in the room (older ones remain in the event log and D1). */
export const MAX_ROOM_NOTES = 200;

export const emptyRoomState = (): RoomState => ({ scene: '', encounter: emptyEncounter(), ready: null, notes: [], muted: {}, kicked: {}, stats: {}, safety: { lines: [], veils: [] }, answered: [], autoNarrate: null });
