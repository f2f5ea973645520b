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

export interface RoomState {
  scene: string;
  encounter: Encounter;
  ready: ReadyCheck | null;
  notes: SessionNote[];
}

/** Session notes kept in the room (older ones remain in the event log and D1). */
export const MAX_ROOM_NOTES = 200;

export const emptyRoomState = (): RoomState => ({ scene: '', encounter: emptyEncounter(), ready: null, notes: [] });
