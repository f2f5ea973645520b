/**
 * What every table rule shares: the refusal a sender sees (`RuleError`), the
 * context the Durable Object resolves before a rule runs, and the small
 * checks the rules are written with. No bindings and no I/O.
 */
import type { CharacterSheet } from '../game/character-sheet';
import type { Rng } from '../game/dice';
import type { Role } from '../game/roles';
import type { Actor, ErrorCode, EventEnvelope, SessionEvent } from './protocol';
import type { RoomState } from './room-state';

export class RuleError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

export interface CharacterInfo {
  id: string;
  name: string;
  ownerUserId: string | null;
  initiativeBonus: number;
  hp: { max: number; current: number; temp: number } | null;
  armorClass: number | null;
  /** The whole sheet, for rolls from it (null when the stored sheet no longer validates). */
  sheet: CharacterSheet | null;
}

export interface EngineContext {
  rng: Rng;
  newId: () => string;
  now: () => string;
  /** The character the message names (or the combatant's character), resolved by the caller (null: not in this campaign). */
  character?: CharacterInfo | null;
  /** The member the message names (whisper target, mute, kick), resolved by the caller (null: not a member). */
  member?: { userId: string; displayName: string; role: Role } | null;
  /** The logged event the message refers to (reveal, remove), from the room's log (null: unknown or too old). */
  target?: SessionEvent | null;
  /** The sender's macro the message runs (null: they have none by that name). */
  macro?: { name: string; expression: string } | null;
}

export type NewEvent = Omit<EventEnvelope, 'v' | 'seq' | 'at' | 'eventId'> & Record<string, unknown>;

export interface Outcome {
  state: RoomState;
  events: NewEvent[];
  /** A logged event to store again with a mark (a message the GM removed). */
  rewrite?: SessionEvent;
  /** Someone whose sockets the room closes (removed from the live table). */
  close?: { userId: string; reason: string };
}

export function ensure(condition: unknown, message: string, code: ErrorCode = 'forbidden'): asserts condition {
  if (!condition) throw new RuleError(code, message);
}

export const isGm = (a: Actor) => a.role === 'gm';
export const actorRef = (a: Actor) => ({ userId: a.userId, displayName: a.displayName });
export const gmOnly = (a: Actor, what: string) => ensure(isGm(a), `Only the GM can ${what}`);
