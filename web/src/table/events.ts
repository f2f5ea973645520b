/**
 * The server events the table view reads, as the client sees them (after the
 * server's per-viewer redaction). The wire contract is docs/protocol.md; the
 * frames the client sends are `ClientMessage` from the server's own protocol
 * module, so the two cannot drift.
 */
import type { Encounter, Combatant } from '../../../src/game/initiative';
import type { RollResult } from '../../../src/game/dice/roll';
import type { HealthBand } from '../../../src/game/hit-points';
import type { z } from 'zod';
import type { ClientMessageSchema } from '../../../src/session/protocol';

/** A frame the client may send, as the server's schema accepts it (fields with defaults may be left out). */
export type ClientMessage = z.input<typeof ClientMessageSchema>;
export type { Encounter, Combatant, RollResult, HealthBand };

export interface ActorRef {
  userId: string;
  displayName: string;
}

/** Every event has these; logged events add `eventId`, `actor` and `audience`. */
export interface ServerEvent {
  v: 1;
  type: string;
  seq: number;
  at?: string;
  eventId?: string;
  actor?: ActorRef | null;
  audience?: 'all' | 'gm' | 'private';
  [field: string]: unknown;
}

/** A roll event: the dice result plus who rolled it and how (a check's breakdown, an attack's damage). */
export interface RollEvent extends ServerEvent, Partial<Omit<RollResult, 'label'>> {
  type: 'roll';
  label?: string | null;
  expression?: string;
  visibility?: 'public' | 'gm' | 'blind' | 'self';
  character?: { id: string; name: string } | null;
  check?: { kind: string; label: string; parts: { label: string; value: number }[]; mode: string; reasons: string[]; autoFail?: boolean } | null;
  damage?: (RollResult & { type?: string | null }) | null;
  critical?: boolean | null;
  fumble?: boolean | null;
  requestId?: string;
  dc?: number | null;
  success?: boolean | null;
  removed?: unknown;
}

export interface PresenceMember {
  userId: string;
  displayName: string;
  role: 'gm' | 'player' | 'spectator';
  status: 'online' | 'away' | 'offline';
  connections: number;
}

export interface ReadyCheck {
  prompt: string;
  startedBy: string;
  answers: Record<string, boolean>;
}

/** A combatant as a player sees it: monsters carry a health band instead of numbers. */
export type SeenCombatant = Combatant & { health?: HealthBand | null };
