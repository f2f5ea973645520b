/**
 * Bringing a socket up to date after it connects, says `hello`, or its
 * numbering changes: replay exactly the events after its position that its
 * viewer may see, then `resumed`; or, when that is not possible or not
 * sensible, a snapshot that says why and carries the newest chat and rolls
 * with a pointer to the history API for the rest.
 */
import type { Actor } from './protocol';
import type { RoomStorage } from './room-storage';
import type { TableSockets } from './table-sockets';
import { redactEncounter, viewFor, type Viewer } from './visibility';

/** A client further behind than this gets a snapshot instead of a replay. */
export const MAX_REPLAY = 500;
/** How many of the newest events a snapshot carries (chat, whispers, rolls and notes among them). */
const SNAPSHOT_RECENT = 50;
const RECENT_TYPES = new Set(['chat', 'whisper', 'roll', 'note']);

/**
 * `lastSeq` is the client's own position. A snapshot goes instead of a replay when the client is new, more than
 * MAX_REPLAY events behind, behind what the room still holds, ahead of it, or its numbering changed (a new role).
 */
export function catchUp(store: RoomStorage, sockets: TableSockets, ws: WebSocket, actor: Actor, lastSeq: number | undefined, why?: 'role_changed') {
  const viewer: Viewer = actor;
  const position = sockets.position(viewer);
  let reason: string = why ?? 'new';
  if (lastSeq !== undefined && !why) {
    if (lastSeq > position) {
      reason = 'unknown_position';
    } else {
      const { events, oldest } = store.visibleAfter(viewer, lastSeq, MAX_REPLAY + 1);
      if (events.length > MAX_REPLAY) reason = 'too_far_behind';
      else if (events.length > 0 && oldest !== null && lastSeq + 1 < oldest) reason = 'trimmed';
      else {
        for (const { position: at, event } of events) {
          const view = viewFor(event, viewer);
          if (view) sockets.sendAt(ws, at, view);
        }
        sockets.send(ws, { type: 'resumed', from: lastSeq });
        return;
      }
    }
  }
  const state = store.state();
  const recent = store.visibleAfter(viewer, Math.max(0, position - SNAPSHOT_RECENT), SNAPSHOT_RECENT).events
    .flatMap(({ position: at, event }) => {
      const view = RECENT_TYPES.has(event.type) ? viewFor(event, viewer) : null;
      return view ? [{ ...view, seq: at }] : [];
    });
  const meta = store.meta();
  sockets.send(ws, {
    type: 'snapshot', reason, scene: state.scene, encounter: redactEncounter(state.encounter, viewer), ready: state.ready, notes: state.notes, safety: state.safety,
    presence: sockets.presence(), recent,
    // Everything older (and everything the room no longer holds) is in the history API, in the same numbering.
    history: meta ? { url: `/api/sessions/${meta.sessionId}/messages`, before: recent[0]?.seq ?? position + 1 } : null,
  });
}
