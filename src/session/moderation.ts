/**
 * The GM's moderation and the table's safety tools. Every action is a logged
 * event: a removed message stays in the log marked with who removed it and
 * when (players then see only that mark), mutes expire by themselves, and
 * someone removed from the live table cannot reconnect until admitted. The
 * X-card is anonymous: its event carries no actor, and nothing else records
 * who tapped it.
 */
import type { Actor, ClientMessage } from './protocol';
import type { RoomState } from './room-state';
import { actorRef, ensure, gmOnly, RuleError, type EngineContext, type Outcome } from './rule';
import { canSee } from './visibility';

type Msg<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

const REMOVABLE = new Set(['chat', 'whisper', 'roll', 'note', 'roll.revealed']);

/** The member a moderation message names, who must be someone the GM may moderate. */
function moderatable(actor: Actor, ctx: EngineContext) {
  const member = ctx.member;
  ensure(member, 'That person is not a member of this campaign', 'not_found');
  ensure(member.userId !== actor.userId, 'You cannot do that to yourself', 'invalid_action');
  ensure(member.role !== 'gm', 'GMs cannot be muted or removed from the table');
  return { userId: member.userId, displayName: member.displayName };
}

export function removeMessage(state: RoomState, actor: Actor, msg: Msg<'message.remove'>, ctx: EngineContext): Outcome {
  gmOnly(actor, 'remove messages');
  const target = ctx.target;
  ensure(target && canSee(target, actor), 'No such message (or it is too old to remove)', 'not_found');
  ensure(REMOVABLE.has(target.type), 'Only chat, whispers, rolls and notes can be removed', 'invalid_action');
  ensure(!target.removed, 'That message was already removed', 'invalid_action');
  const removed = { by: actorRef(actor), at: ctx.now(), reason: msg.reason ?? null };
  return {
    state,
    rewrite: { ...target, removed },
    // Only those who saw the message learn that it was removed.
    events: [{ type: 'moderation', actor: actorRef(actor), audience: target.audience, ...(target.recipients ? { recipients: target.recipients } : {}), action: 'removed', of: msg.eventId, reason: removed.reason }],
  };
}

export function mute(state: RoomState, actor: Actor, msg: Msg<'player.mute'>, ctx: EngineContext): Outcome {
  gmOnly(actor, 'mute players');
  const user = moderatable(actor, ctx);
  const until = new Date(Date.parse(ctx.now()) + msg.minutes * 60_000).toISOString();
  return { state: { ...state, muted: { ...state.muted, [user.userId]: until } }, events: [{ type: 'moderation', actor: actorRef(actor), audience: 'all', action: 'muted', user, until }] };
}

export function unmute(state: RoomState, actor: Actor, msg: Msg<'player.unmute'>, ctx: EngineContext): Outcome {
  gmOnly(actor, 'unmute players');
  return lift(state, actor, msg.userId, ctx, 'muted', 'unmuted', 'That player is not muted');
}

export function kick(state: RoomState, actor: Actor, msg: Msg<'player.kick'>, ctx: EngineContext): Outcome {
  gmOnly(actor, 'remove people from the table');
  const user = moderatable(actor, ctx);
  const reason = msg.reason ?? null;
  return {
    state: { ...state, kicked: { ...state.kicked, [user.userId]: { by: actor.userId, at: ctx.now(), reason } } },
    events: [{ type: 'moderation', actor: actorRef(actor), audience: 'all', action: 'kicked', user, reason }],
    close: { userId: user.userId, reason: reason ?? 'The GM removed you from this table' },
  };
}

export function admit(state: RoomState, actor: Actor, msg: Msg<'player.admit'>, ctx: EngineContext): Outcome {
  gmOnly(actor, 'let people back to the table');
  return lift(state, actor, msg.userId, ctx, 'kicked', 'admitted', 'That person was not removed from this table');
}

/** Ends a mute or a removal early, with a logged event. */
function lift(state: RoomState, actor: Actor, userId: string, ctx: EngineContext, list: 'muted' | 'kicked', action: string, notThere: string): Outcome {
  ensure(state[list][userId], notThere, 'invalid_action');
  const { [userId]: _gone, ...rest } = state[list];
  const user = ctx.member ? { userId: ctx.member.userId, displayName: ctx.member.displayName } : { userId, displayName: '' };
  return { state: { ...state, [list]: rest }, events: [{ type: 'moderation', actor: actorRef(actor), audience: 'all', action, user }] };
}

export function xcard(state: RoomState): Outcome {
  return { state, events: [{ type: 'safety', actor: null, audience: 'all', action: 'xcard', message: 'Someone tapped the X-card: the last content is edited out, no questions asked.' }] };
}

/** Refuses table talk from a muted player (whispers to the GM stay open). */
export function ensureNotMuted(state: RoomState, actor: Actor, msg: ClientMessage, now: string) {
  const until = state.muted[actor.userId];
  if (!until || until <= now) return;
  if (msg.type === 'whisper' && msg.to === 'gm') return;
  if (!['chat', 'whisper', 'roll', 'check', 'note.add'].includes(msg.type)) return;
  throw new RuleError('muted', `The GM muted you until ${until.slice(11, 16)} UTC; you can still whisper to the GM`);
}

/** Refuses everything from someone the GM removed from the live table. */
export function ensureNotKicked(state: RoomState, actor: Actor) {
  ensure(!state.kicked[actor.userId], 'The GM removed you from this table');
}
