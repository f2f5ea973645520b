/**
 * Rolls at the table: typed expressions, rolls worked out from a sheet or a
 * stat block, who sees them (public, GM only, blind, self), revealing a hidden
 * roll later, and the session statistics rolls feed. The dice are always
 * rolled here, on the server, never taken from a client or a model.
 */
import { profileFromSheet, profileFromStats, resolveCheck, CheckError, type RollProfile } from '../game/checks';
import { DiceError, roll, type RollResult } from '../game/dice';
import { fillMacro, MacroError } from '../game/macros';
import { findCombatant } from '../game/initiative';
import type { Actor, ClientMessage, RollVisibility } from './protocol';
import { MAX_ANSWERED, type PlayerStats, type RoomState } from './room-state';
import { actorRef, ensure, isGm, RuleError, type CharacterInfo, type EngineContext, type NewEvent, type Outcome } from './rule';
import { canSee } from './visibility';

type RollMessage = Extract<ClientMessage, { type: 'roll' }>;
type CheckMessage = Extract<ClientMessage, { type: 'check' }>;

/** Who a roll's event goes to. */
export function rollAudience(visibility: RollVisibility, actor: Actor): Pick<NewEvent, 'audience' | 'recipients'> {
  if (visibility === 'public') return { audience: 'all' };
  if (visibility === 'self') return { audience: 'private', recipients: [actor.userId] };
  return { audience: 'gm' };
}

function rollOrRefuse(expression: string, ctx: EngineContext, critical = false): RollResult {
  try {
    return roll(expression, ctx.rng, { critical });
  } catch (err) {
    if (err instanceof DiceError) throw new RuleError('invalid_roll', err.message);
    throw err;
  }
}

/** The first d20 group's kept die, for natural 20s and 1s. */
function naturalD20(result: RollResult): number | null {
  const group = result.groups.find((g) => g.sides === 20);
  return group?.dice.find((d) => d.kept)?.value ?? null;
}

/** Adds a roll to the roller's session statistics. */
function counted(state: RoomState, actor: Actor, result: RollResult, extra: { crit?: boolean; damage?: number } = {}): RoomState {
  const before: PlayerStats = state.stats[actor.userId] ?? { displayName: actor.displayName, rolls: 0, natural20s: 0, natural1s: 0, crits: 0, damageDealt: 0, damageTaken: 0 };
  const natural = naturalD20(result);
  const after: PlayerStats = {
    ...before, rolls: before.rolls + 1, natural20s: before.natural20s + (natural === 20 ? 1 : 0), natural1s: before.natural1s + (natural === 1 ? 1 : 0),
    crits: before.crits + (extra.crit ? 1 : 0), damageDealt: before.damageDealt + (extra.damage ?? 0),
  };
  return { ...state, stats: { ...state.stats, [actor.userId]: after } };
}

/** Damage taken by a character's player, from the tracker. */
export function countDamageTaken(state: RoomState, ownerUserId: string | null, displayName: string, amount: number): RoomState {
  if (!ownerUserId) return state;
  const before: PlayerStats = state.stats[ownerUserId] ?? { displayName, rolls: 0, natural20s: 0, natural1s: 0, crits: 0, damageDealt: 0, damageTaken: 0 };
  return { ...state, stats: { ...state.stats, [ownerUserId]: { ...before, damageTaken: before.damageTaken + amount } } };
}

export function ownCharacter(actor: Actor, ctx: EngineContext): CharacterInfo {
  const character = ctx.character;
  ensure(character, 'That character is not in this campaign', 'not_found');
  ensure(isGm(actor) || character.ownerUserId === actor.userId, 'You can only act as your own characters');
  return character;
}

export function typedRoll(state: RoomState, actor: Actor, msg: RollMessage, ctx: EngineContext): Outcome {
  const character = msg.characterId ? ownCharacter(actor, ctx) : null;
  const visibility: RollVisibility = msg.visibility ?? (msg.hidden ? 'gm' : 'public');
  const result = rollOrRefuse(msg.expression, ctx);
  return {
    state: counted(state, actor, result),
    events: [{
      type: 'roll', actor: actorRef(actor), ...rollAudience(visibility, actor), visibility, hidden: visibility !== 'public', expression: msg.expression,
      character: character ? { id: character.id, name: character.name } : null, ...result,
    }],
  };
}

/** Runs a saved macro, filled from the character's sheet as it is now. */
export function macroRoll(state: RoomState, actor: Actor, msg: Extract<ClientMessage, { type: 'macro.run' }>, ctx: EngineContext): Outcome {
  const macro = ctx.macro;
  ensure(macro, `You have no macro called "!${msg.name}"; save one in the campaign's macros first`, 'not_found');
  const character = msg.characterId ? ownCharacter(actor, ctx) : null;
  let expression: string;
  try {
    expression = fillMacro(macro.expression, character?.sheet ?? null);
  } catch (err) {
    if (err instanceof MacroError) throw new RuleError('invalid_roll', err.message);
    throw err;
  }
  const result = rollOrRefuse(expression, ctx);
  return {
    state: counted(state, actor, result),
    events: [{
      type: 'roll', actor: actorRef(actor), ...rollAudience(msg.visibility, actor), visibility: msg.visibility, hidden: msg.visibility !== 'public', expression,
      macro: { name: macro.name, expression: macro.expression }, character: character ? { id: character.id, name: character.name } : null, ...result,
    }],
  };
}

/** The profile of whoever rolls: a combatant from the tracker (monster stat block or character) or a character. */
function profileFor(state: RoomState, actor: Actor, msg: CheckMessage, ctx: EngineContext): { profile: RollProfile; character: CharacterInfo | null } {
  const combatant = msg.combatantId ? findCombatantOrRefuse(state, msg.combatantId) : null;
  if (combatant && combatant.kind === 'monster') {
    ensure(isGm(actor), 'Only the GM rolls for monsters');
    const conditions = combatant.conditions.map((c) => c.name);
    return { profile: profileFromStats(combatant.name, combatant.stats ?? {}, combatant.initiativeBonus, conditions), character: null };
  }
  ensure(msg.characterId || combatant?.characterId, 'Say whose roll it is: characterId, or combatantId from the tracker', 'invalid_action');
  const character = ownCharacter(actor, ctx);
  ensure(character.sheet, `${character.name}'s sheet does not validate; fix it before rolling from it`, 'invalid_action');
  // Conditions on the sheet and on the tracker both count.
  const tracked = state.encounter.combatants.find((c) => c.characterId === character.id)?.conditions.map((c) => c.name) ?? [];
  return { profile: profileFromSheet(character.name, character.sheet, tracked), character };
}

function findCombatantOrRefuse(state: RoomState, id: string) {
  try {
    return findCombatant(state.encounter, id);
  } catch {
    throw new RuleError('not_found', 'No such combatant in the tracker');
  }
}

export function checkRoll(state: RoomState, actor: Actor, msg: CheckMessage, ctx: EngineContext): Outcome {
  const { profile, character } = profileFor(state, actor, msg, ctx);
  let check;
  try {
    check = resolveCheck(profile, msg.check, msg.mode, msg.bonus);
  } catch (err) {
    if (err instanceof CheckError) throw new RuleError('invalid_roll', err.message);
    throw err;
  }
  const result = rollOrRefuse(`${check.expression} # ${check.label}`, ctx);
  const natural = naturalD20(result);
  const critical = check.kind === 'attack' && natural === 20;
  // A hit's damage is rolled with it (doubled dice on a natural 20); a natural 1 misses.
  const damage = check.damage && natural !== 1 ? rollOrRefuse(check.damage.expression, ctx, critical) : null;
  const visibility = msg.visibility;
  return {
    state: counted(state, actor, result, { crit: critical, damage: damage?.total }),
    events: [{
      type: 'roll', actor: actorRef(actor), ...rollAudience(visibility, actor), visibility, hidden: visibility !== 'public', expression: check.expression,
      character: character ? { id: character.id, name: character.name } : null, roller: profile.name,
      check: { kind: check.kind, label: check.label, ability: check.ability, parts: check.parts, mode: check.mode, reasons: check.reasons, autoFail: check.autoFail },
      ...result, critical, fumble: natural === 1,
      damage: damage ? { ...damage, type: check.damage!.type } : null,
    }],
  };
}

/** Shows a hidden roll to the table: the GM any roll they saw, a roller their own GM-only or self roll (never a blind one). */
export function revealRoll(state: RoomState, actor: Actor, msg: Extract<ClientMessage, { type: 'roll.reveal' }>, ctx: EngineContext): Outcome {
  const target = ctx.target;
  ensure(target && target.type === 'roll' && canSee(target, actor), 'No such roll (or it is too old to reveal)', 'not_found');
  ensure(target.visibility !== 'public', 'That roll is already public', 'invalid_action');
  const own = target.actor?.userId === actor.userId;
  ensure(isGm(actor) || (own && target.visibility !== 'blind'), 'Only the GM can reveal that roll');
  const { v: _v, seq: _seq, at: _at, audience: _a, recipients: _r, eventId: _e, type: _t, ...roll } = target;
  return { state, events: [{ type: 'roll.revealed', actor: actorRef(actor), audience: 'all', of: msg.eventId, rolledAt: target.at, roll }] };
}

/**
 * The GM asks a player for a roll from their character's sheet. The check is resolved now (against the sheet), so
 * a request the sheet cannot answer ("Sneak save") is refused to the GM instead of failing for the player.
 */
export function requestRoll(state: RoomState, actor: Actor, msg: Extract<ClientMessage, { type: 'roll.request' }>, ctx: EngineContext): Outcome {
  ensure(isGm(actor), 'Only the GM asks for rolls');
  const member = ctx.member;
  ensure(member && member.role === 'player', 'Ask a player of this campaign', 'not_found');
  const character = ctx.character;
  ensure(character && character.ownerUserId === member.userId, `That character is not ${member.displayName}'s`, 'invalid_action');
  ensure(character.sheet, `${character.name}'s sheet does not validate; fix it before asking for rolls from it`, 'invalid_action');
  try {
    resolveCheck(profileFromSheet(character.name, character.sheet, []), msg.check, msg.mode, 0);
  } catch (err) {
    if (err instanceof CheckError) throw new RuleError('invalid_roll', err.message);
    throw err;
  }
  return {
    state,
    events: [{
      type: 'roll.request', actor: actorRef(actor), audience: 'all', to: { userId: member.userId, displayName: member.displayName },
      character: { id: character.id, name: character.name }, check: msg.check, dc: msg.dc ?? null, mode: msg.mode,
    }],
  };
}

/** The player answers a roll request: the dice engine rolls the requested check from their sheet, once. */
export function answerRoll(state: RoomState, actor: Actor, msg: Extract<ClientMessage, { type: 'roll.answer' }>, ctx: EngineContext): Outcome {
  const request = ctx.target;
  ensure(request && request.type === 'roll.request', 'No such roll request (or it is too old)', 'not_found');
  const to = request.to as { userId: string };
  ensure(to.userId === actor.userId, 'This roll was asked of someone else');
  ensure(!state.answered.includes(request.eventId), 'This roll request has been answered', 'invalid_action');
  const character = request.character as { id: string };
  const check: CheckMessage = { type: 'check', check: String(request.check), characterId: character.id, mode: request.mode as CheckMessage['mode'], bonus: 0, visibility: 'public' };
  const outcome = checkRoll(state, actor, check, ctx);
  const rolled = outcome.events[0]!;
  const dc = typeof request.dc === 'number' ? request.dc : null;
  return {
    state: { ...outcome.state, answered: [...state.answered, request.eventId].slice(-MAX_ANSWERED) },
    events: [{ ...rolled, requestId: request.eventId, dc, success: dc === null ? null : Number(rolled.total) >= dc }],
  };
}
