/**
 * Evaluates a parsed dice expression with an injected random source and keeps
 * every die: its value, whether it was kept, dropped, rerolled away,
 * exploded, or counted as a success or failure.
 *
 * @example
 * const result = roll('4d6kh3 # Strength', seededRng(7));
 * result.total;          // e.g. 14
 * result.groups[0].dice; // [{ value: 6, kept: true }, …, { value: 1, kept: false, dropped: true }]
 */
import { matches, type DiceSides, type Node } from './ast';
import { DiceError, LIMITS, parseRoll } from './parser';
import type { Rng } from './rng';

export interface Die {
  value: number;
  /** Counts towards the group's result. */
  kept: boolean;
  /** Removed by keep/drop. */
  dropped?: boolean;
  /** Replaced by a reroll. */
  rerolled?: boolean;
  /** Rolled because the previous die exploded. */
  explosion?: boolean;
  success?: boolean;
  failure?: boolean;
}

export interface DiceGroupResult {
  notation: string;
  sides: number | 'F';
  dice: Die[];
  /** Sum of kept dice, or successes minus failures when counting successes. */
  value: number;
  successes?: number;
}

export interface RollResult {
  /** Canonical notation that was rolled (after shorthands). */
  notation: string;
  label: string | null;
  total: number;
  /** Set when any group counts successes. */
  successes: number | null;
  groups: DiceGroupResult[];
  /** Human-readable breakdown, e.g. `4d6kh3 [6, 5, 3, ~1~] + 2 = 16`. */
  text: string;
  diceRolled: number;
}

export interface RollOptions {
  /** A critical hit: every dice group rolls twice as many dice; numbers are not doubled. */
  critical?: boolean;
}

const MAX_CHAIN = 100;

class Roller {
  diceRolled = 0;
  groups: DiceGroupResult[] = [];
  constructor(private readonly rng: Rng, private readonly options: RollOptions) {}

  private face(sides: DiceSides): number {
    if (++this.diceRolled > LIMITS.maxDice) throw new DiceError(`The roll needed more than ${LIMITS.maxDice} dice (explosions and rerolls count)`);
    return sides === 'fudge' ? this.rng.die(3) - 2 : this.rng.die(sides);
  }

  evaluate(node: Node): { value: number; text: string } {
    switch (node.kind) {
      case 'number':
        return { value: node.value, text: String(node.value) };
      case 'group': {
        const inner = this.evaluate(node.inner);
        return { value: inner.value, text: `(${inner.text})` };
      }
      case 'negate': {
        const inner = this.evaluate(node.operand);
        return { value: -inner.value, text: `-${inner.text}` };
      }
      case 'binary': {
        const left = this.evaluate(node.left);
        const right = this.evaluate(node.right);
        return { value: arithmetic(node.op, left.value, right.value), text: `${left.text} ${node.op} ${right.text}` };
      }
      case 'dice':
        return this.dice(node);
    }
  }

  private dice(node: Extract<Node, { kind: 'dice' }>): { value: number; text: string } {
    const { modifiers: m, sides } = node;
    const count = this.options.critical ? node.count * 2 : node.count;
    const dice: Die[] = [];
    for (let i = 0; i < count; i++) {
      let value = this.face(sides);
      if (m.reroll) {
        let guard = 0;
        while (matches(value, m.reroll.when) && guard++ < MAX_CHAIN) {
          dice.push({ value, kept: false, rerolled: true });
          value = this.face(sides);
          if (m.reroll.once) break;
        }
      }
      dice.push({ value, kept: true });
      if (m.explode) {
        let chain = 0;
        while (matches(value, m.explode) && chain++ < MAX_CHAIN) {
          value = this.face(sides);
          dice.push({ value, kept: true, explosion: true });
        }
      }
    }
    applyKeepDrop(dice, m.keep, m.drop, this.options.critical ? 2 : 1);
    let value: number;
    let successes: number | undefined;
    if (m.success) {
      successes = 0;
      for (const die of dice) {
        if (!die.kept) continue;
        if (matches(die.value, m.success)) { die.success = true; successes++; }
        if (m.failure && matches(die.value, m.failure)) { die.failure = true; successes--; }
      }
      value = successes;
    } else {
      value = dice.reduce((sum, d) => sum + (d.kept ? d.value : 0), 0);
    }
    const notation = this.options.critical ? node.notation.replace(/^\d*/, String(count)) : node.notation;
    this.groups.push({ notation, sides: sides === 'fudge' ? 'F' : sides, dice, value, ...(successes !== undefined ? { successes } : {}) });
    const shown = dice.map((d) => (d.kept ? showDie(d, sides) : `~${showDie(d, sides)}~`)).join(', ');
    return { value, text: `${notation} [${shown}]` };
  }
}

function showDie(d: Die, sides: DiceSides): string {
  const face = sides === 'fudge' ? (d.value > 0 ? '+' : d.value < 0 ? '-' : '0') : String(d.value);
  return face + (d.success ? '*' : '') + (d.explosion ? '!' : '');
}

/** Keep/drop act on the dice that were not rerolled away; critical hits scale the counts. */
function applyKeepDrop(dice: Die[], keep: { which: 'highest' | 'lowest'; count: number } | undefined, drop: typeof keep, scale: number) {
  if (!keep && !drop) return;
  const candidates = dice.filter((d) => !d.rerolled);
  const sorted = [...candidates].sort((a, b) => a.value - b.value);
  let dropped: Die[];
  if (keep) {
    const n = Math.min(candidates.length, keep.count * scale);
    dropped = keep.which === 'highest' ? sorted.slice(0, sorted.length - n) : sorted.slice(n);
  } else {
    const n = Math.min(candidates.length, drop!.count * scale);
    dropped = drop!.which === 'lowest' ? sorted.slice(0, n) : sorted.slice(sorted.length - n);
  }
  for (const d of dropped) {
    d.kept = false;
    d.dropped = true;
  }
}

function arithmetic(op: '+' | '-' | '*' | '/', a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0) throw new DiceError('Cannot divide by zero');
      // Tabletop rules round down.
      return Math.floor(a / b);
  }
}

/** Parses and rolls `expression`. Throws DiceError for anything a player typed wrong. */
export function roll(expression: string, rng: Rng, options: RollOptions = {}): RollResult {
  const parsed = parseRoll(expression);
  const roller = new Roller(rng, options);
  const { value, text } = roller.evaluate(parsed.ast);
  if (!Number.isSafeInteger(value)) throw new DiceError('The result is too large');
  const counted = roller.groups.filter((g) => g.successes !== undefined);
  return {
    notation: parsed.notation,
    label: parsed.label,
    total: value,
    successes: counted.length ? counted.reduce((s, g) => s + g.successes!, 0) : null,
    groups: roller.groups,
    text: `${text} = ${value}`,
    diceRolled: roller.diceRolled,
  };
}
