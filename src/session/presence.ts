/**
 * Presence from socket activity: online (seen within 30 s), away (within
 * 5 min), offline (longer, or no socket). "Seen" is the newest of: the
 * socket's last message, the last ping answered by the hibernation
 * auto-response (which does not wake the room), and the connection time.
 */
import type { Actor } from './protocol';

export const AWAY_AFTER_MS = 30_000;
export const OFFLINE_AFTER_MS = 5 * 60_000;

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface SocketActivity {
  actor: Actor;
  lastSeenMs: number;
}

export interface PresenceEntry {
  userId: string;
  displayName: string;
  role: Actor['role'];
  status: PresenceStatus;
  connections: number;
}

export function statusFor(lastSeenMs: number, nowMs: number): PresenceStatus {
  const idle = nowMs - lastSeenMs;
  if (idle < AWAY_AFTER_MS) return 'online';
  if (idle < OFFLINE_AFTER_MS) return 'away';
  return 'offline';
}

/** One entry per user, from their freshest socket. */
export function presenceOf(sockets: SocketActivity[], nowMs: number): PresenceEntry[] {
  const byUser = new Map<string, { actor: Actor; lastSeenMs: number; connections: number }>();
  for (const s of sockets) {
    const known = byUser.get(s.actor.userId);
    if (!known) byUser.set(s.actor.userId, { actor: s.actor, lastSeenMs: s.lastSeenMs, connections: 1 });
    else byUser.set(s.actor.userId, { ...known, lastSeenMs: Math.max(known.lastSeenMs, s.lastSeenMs), connections: known.connections + 1 });
  }
  return [...byUser.values()]
    .map(({ actor, lastSeenMs, connections }) => ({ userId: actor.userId, displayName: actor.displayName, role: actor.role, status: statusFor(lastSeenMs, nowMs), connections }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** A comparable fingerprint, to announce presence only when it changed. */
export const presenceKey = (entries: PresenceEntry[]) => entries.map((e) => `${e.userId}:${e.status}:${e.connections}`).join('|');
