/**
 * The rules of the table as a pure function: given the room state, who acts
 * and what they asked for, return the new state and the events to log and
 * broadcast, or throw a RuleError the sender sees. No bindings and no I/O:
 * the Durable Object resolves characters and members first and passes them in.
 */
import { abilityModifier } from '../game/character-sheet';
import { CombatError, addCombatant, addCondition, advanceTurn, changeHitPoints, delayTurn, endEncounter, findCombatant, readyAction, removeCombatant, removeCondition, startEncounter, triggerReadied, undelay, useResource, type Combatant, type Encounter } from '../game/initiative';
import { admit, ensureNotKicked, ensureNotMuted, kick, mute, removeMessage, unmute, xcard } from './moderation';
import { MACRO_CALL } from '../game/macros';
import type { Actor, TableAction } from './protocol';
import { MAX_ROOM_NOTES, type RoomState } from './room-state';
import { answerRoll, checkRoll, countDamageTaken, macroRoll, ownCharacter, requestRoll, revealRoll, typedRoll } from './rolls';
import { actorRef, ensure, gmOnly, isGm, RuleError, type EngineContext, type Outcome } from './rule';

export { RuleError, type CharacterInfo, type EngineContext, type NewEvent, type Outcome } from './rule';

/** A chat line starting with `!name` runs the sender's macro of that name. */
export function asMacroRun<M extends TableAction>(msg: M): M | Extract<TableAction, { type: 'macro.run' }> {
  if (msg.type !== 'chat') return msg;
  const call = MACRO_CALL.exec(msg.text);
  return call ? { type: 'macro.run', id: msg.id, name: call[1]!, characterId: msg.characterId, visibility: 'public' } : msg;
}

/** The GM, or the player who controls the combatant. */
function controls(a: Actor, c: Combatant): boolean {
  return isGm(a) || (c.ownerUserId !== null && c.ownerUserId === a.userId);
}

function combat(state: RoomState, actor: Actor, msg: TableAction, ctx: EngineContext): { encounter: Encounter; detail: Record<string, unknown> } {
  const e = state.encounter;
  switch (msg.type) {
    case 'initiative.add': {
      let name: string;
      let owner: string | null = null;
      let characterId: string | null = null;
      let bonus = msg.bonus;
      let hp = msg.hp ? { max: msg.hp.max, current: msg.hp.current ?? msg.hp.max, temp: 0 } : null;
      let armorClass = msg.armorClass ?? null;
      if (msg.kind === 'character') {
        ensure(msg.characterId, 'Say which character joins the fight', 'invalid_action');
        const character = ownCharacter(actor, ctx);
        name = character.name;
        owner = character.ownerUserId;
        characterId = character.id;
        bonus = msg.bonus || character.initiativeBonus;
        hp ??= character.hp;
        armorClass ??= character.armorClass;
        ensure(!e.combatants.some((c) => c.characterId === character.id), `${name} is already in the fight`, 'invalid_action');
      } else {
        gmOnly(actor, 'add monsters');
        ensure(msg.name, 'Monsters need a name', 'invalid_action');
        name = msg.name;
        // A stat block's Dexterity gives the initiative bonus unless one is given.
        if (!msg.bonus && msg.stats?.abilities?.dex) bonus = abilityModifier(msg.stats.abilities.dex);
      }
      ensure(msg.count === 1 || msg.kind === 'monster', 'Only monsters come in groups', 'invalid_action');
      // A group shares one roll and one tiebreak, so its members act one after another (group initiative).
      const rolled = msg.initiative === undefined ? ctx.rng.die(20) : null;
      const initiative = msg.initiative ?? rolled! + bonus;
      const tiebreak = ctx.rng.die(10_000) / 10_000;
      const group = msg.count > 1 ? ctx.newId() : null;
      let encounter = e;
      const ids: string[] = [];
      for (let i = 1; i <= msg.count; i++) {
        const combatant = {
          id: ctx.newId(), name: group ? `${name} ${i}` : name, kind: msg.kind, ownerUserId: owner, characterId, initiative, initiativeBonus: bonus,
          tiebreak, hp, armorClass, stats: msg.kind === 'monster' ? msg.stats ?? null : null, group,
        };
        encounter = addCombatant(encounter, combatant);
        ids.push(combatant.id);
      }
      return { encounter, detail: { combatantId: ids[0], combatantIds: ids, name, initiative, roll: rolled, bonus, group } };
    }
    case 'initiative.remove':
      gmOnly(actor, 'remove combatants');
      return { encounter: removeCombatant(e, msg.combatantId), detail: { combatantId: msg.combatantId } };
    case 'initiative.start':
      gmOnly(actor, 'start combat');
      return { encounter: startEncounter(e), detail: {} };
    case 'initiative.end':
      gmOnly(actor, 'end combat');
      return { encounter: endEncounter(e), detail: { rounds: e.round } };
    case 'initiative.next': {
      ensure(e.active && e.currentId, 'Combat has not started', 'invalid_action');
      ensure(controls(actor, findCombatant(e, e.currentId)), 'Only the GM or the combatant whose turn it is can end the turn');
      const change = advanceTurn(e);
      return { encounter: change.encounter, detail: { from: e.currentId, to: change.encounter.currentId, round: change.encounter.round, newRound: change.newRound, expired: change.expired } };
    }
    case 'initiative.delay': {
      ensure(e.active && e.currentId, 'Combat has not started', 'invalid_action');
      ensure(controls(actor, findCombatant(e, e.currentId)), 'Only the GM or the combatant whose turn it is can delay');
      return { encounter: delayTurn(e, e.currentId), detail: { combatantId: e.currentId } };
    }
    case 'initiative.ready': {
      ensure(e.active && e.currentId, 'Combat has not started', 'invalid_action');
      ensure(controls(actor, findCombatant(e, e.currentId)), 'Only the GM or the combatant whose turn it is can ready an action');
      return { encounter: readyAction(e, e.currentId, msg.trigger), detail: { combatantId: e.currentId, trigger: msg.trigger } };
    }
    case 'initiative.trigger':
      ensure(controls(actor, findCombatant(e, msg.combatantId)), 'Only the GM or its player can take a readied action');
      return { encounter: triggerReadied(e, msg.combatantId), detail: { combatantId: msg.combatantId } };
    case 'initiative.resume':
      ensure(controls(actor, findCombatant(e, msg.combatantId)), 'Only the GM or its player can bring a delayed combatant back');
      return { encounter: undelay(e, msg.combatantId), detail: { combatantId: msg.combatantId } };
    case 'initiative.hp': {
      const target = findCombatant(e, msg.combatantId);
      ensure(isGm(actor) || (target.kind === 'character' && controls(actor, target)), 'Only the GM or its player can change hit points');
      ensure(msg.damage || msg.healing || msg.temp, 'Give damage, healing or temp', 'invalid_action');
      const change = { damage: msg.damage, healing: msg.healing, temp: msg.temp };
      return { encounter: changeHitPoints(e, msg.combatantId, change), detail: { combatantId: msg.combatantId, ...change } };
    }
    case 'condition.add':
      gmOnly(actor, 'apply conditions');
      return { encounter: addCondition(e, msg.combatantId, msg.name, msg.duration), detail: { combatantId: msg.combatantId, name: msg.name, duration: msg.duration } };
    case 'condition.remove':
      gmOnly(actor, 'remove conditions');
      return { encounter: removeCondition(e, msg.combatantId, msg.name), detail: { combatantId: msg.combatantId, name: msg.name } };
    case 'turn.use': {
      ensure(e.active && e.currentId, 'Combat has not started', 'invalid_action');
      const current = findCombatant(e, e.currentId);
      ensure(controls(actor, current), 'Only the GM or the combatant whose turn it is can use its actions');
      return { encounter: useResource(e, current.id, msg.resource, msg.feet ?? 0), detail: { combatantId: current.id, resource: msg.resource, feet: msg.feet } };
    }
    default:
      throw new RuleError('invalid_action', 'Not a combat action');
  }
}

/** Applies one message. Throws RuleError (for the sender only) when it is not allowed or not possible. */
export function handle(state: RoomState, actor: Actor, msg: TableAction, ctx: EngineContext): Outcome {
  ensure(actor.role !== 'spectator', 'Spectators can watch but not act');
  ensureNotKicked(state, actor);
  ensureNotMuted(state, actor, msg, ctx.now());
  const by = actorRef(actor);
  switch (msg.type) {
    case 'roll': return typedRoll(state, actor, msg, ctx);
    case 'check': return checkRoll(state, actor, msg, ctx);
    case 'roll.reveal': return revealRoll(state, actor, msg, ctx);
    case 'roll.request': return requestRoll(state, actor, msg, ctx);
    case 'roll.answer': return answerRoll(state, actor, msg, ctx);
    // The narrator streams from the room (objects/game-session.ts), outside the pure rules.
    case 'narrate': case 'narrate.cancel': throw new RuleError('invalid_action', 'The narrator is run by the room');
    case 'macro.run': return macroRoll(state, actor, msg, ctx);
    case 'message.remove': return removeMessage(state, actor, msg, ctx);
    case 'player.mute': return mute(state, actor, msg, ctx);
    case 'player.unmute': return unmute(state, actor, msg, ctx);
    case 'player.kick': return kick(state, actor, msg, ctx);
    case 'player.admit': return admit(state, actor, msg, ctx);
    case 'safety.xcard': return xcard(state);
    case 'chat': {
      const character = msg.characterId ? ownCharacter(actor, ctx) : null;
      // `character` only when speaking as one: every chat frame goes to every viewer, so it stays small.
      return { state, events: [{ type: 'chat', actor: by, audience: 'all', text: msg.text, mode: character ? 'ic' : msg.mode, ...(character ? { character: { id: character.id, name: character.name } } : {}) }] };
    }
    case 'whisper': {
      if (msg.to === 'gm') return { state, events: [{ type: 'whisper', actor: by, audience: 'gm', text: msg.text, to: 'gm' }] };
      ensure(ctx.member, 'That person is not at this table', 'not_found');
      ensure(ctx.member.userId !== actor.userId, 'Whisper to someone else', 'invalid_action');
      const to = { userId: ctx.member.userId, displayName: ctx.member.displayName };
      return { state, events: [{ type: 'whisper', actor: by, audience: 'private', recipients: [actor.userId, to.userId], text: msg.text, to }] };
    }
    case 'narrate.auto':
      gmOnly(actor, 'turn auto-narration on or off');
      return { state: { ...state, autoNarrate: msg.on ? { by } : null }, events: [{ type: 'narration.auto', actor: by, audience: 'all', on: msg.on }] };
    case 'scene.set':
      gmOnly(actor, 'set the scene');
      return { state: { ...state, scene: msg.text }, events: [{ type: 'scene', actor: by, audience: 'all', text: msg.text }] };
    case 'note.add': {
      const note = { id: ctx.newId(), category: msg.category, text: msg.text, authorId: actor.userId, at: ctx.now() };
      return { state: { ...state, notes: [...state.notes, note].slice(-MAX_ROOM_NOTES) }, events: [{ type: 'note', actor: by, audience: 'all', note }] };
    }
    case 'ready.start': {
      gmOnly(actor, 'start a ready check');
      const ready = { prompt: msg.prompt, startedBy: actor.userId, answers: {} };
      return { state: { ...state, ready }, events: [{ type: 'ready', actor: by, audience: 'all', ...ready }] };
    }
    case 'ready.answer': {
      ensure(state.ready, 'There is no ready check running', 'invalid_action');
      const ready = { ...state.ready, answers: { ...state.ready.answers, [actor.userId]: msg.ready } };
      return { state: { ...state, ready }, events: [{ type: 'ready', actor: by, audience: 'all', ...ready }] };
    }
    default: {
      try {
        const { encounter, detail } = combat(state, actor, msg, ctx);
        let next: RoomState = { ...state, encounter };
        if (msg.type === 'initiative.hp' && msg.damage) {
          const hurt = findCombatant(encounter, msg.combatantId);
          if (hurt.kind === 'character') next = countDamageTaken(next, hurt.ownerUserId, hurt.name, msg.damage);
        }
        return { state: next, events: [{ type: 'initiative', actor: by, audience: 'all', action: msg.type, detail, encounter }] };
      } catch (err) {
        if (err instanceof CombatError) throw new RuleError('invalid_action', err.message);
        throw err;
      }
    }
  }
}
