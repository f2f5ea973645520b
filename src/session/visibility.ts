/**
 * Who sees which event, and what they see of it. Applied to live broadcasts,
 * replays, snapshots and the HTTP history alike, so there is one rule.
 */
import { healthBand } from '../game/hit-points';
import type { Encounter } from '../game/initiative';
import type { Actor, SessionEvent } from './protocol';

export interface Viewer {
  userId: string;
  role: Actor['role'];
}

export function canSee(event: Pick<SessionEvent, 'audience' | 'recipients' | 'actor'>, viewer: Viewer): boolean {
  if (event.audience === 'all') return true;
  if (event.audience === 'gm') return viewer.role === 'gm' || event.actor?.userId === viewer.userId;
  return (event.recipients ?? []).includes(viewer.userId);
}

/** Players see monsters' health as a band, never their numbers or armour class. */
export function redactEncounter(encounter: Encounter, viewer: Viewer): Encounter {
  if (viewer.role === 'gm') return encounter;
  return {
    ...encounter,
    combatants: encounter.combatants.map((c) => {
      if (c.kind !== 'monster') return c;
      return { ...c, hp: null, armorClass: null, health: c.hp ? healthBand(c.hp, 'monster') : null };
    }),
  };
}

/** The event as `viewer` receives it, or null when it is not theirs to see. */
export function viewFor(event: SessionEvent, viewer: Viewer): SessionEvent | null {
  if (!canSee(event, viewer)) return null;
  if (event.type === 'initiative' && event.encounter) {
    return { ...event, encounter: redactEncounter(event.encounter as Encounter, viewer) };
  }
  return event;
}
