/**
 * A recursive-descent parser for the dice notation players type.
 *
 * Grammar (case-insensitive; spaces are allowed between tokens, never inside
 * a number or a dice group, so `1d20 5` is an error rather than `1d205`):
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := number | dice | '(' expression ')' | 'adv' | 'dis'
 *   dice       := count? 'd' (number | '%' | 'F') modifier*
 *   modifier   := ('kh' | 'kl' | 'k') n? | ('dh' | 'dl' | 'd') n? | '!' compare? | ('ro' | 'r') compare
 *               | compare ('f' compare)?          -- success counting, e.g. 6d10>=8
 *   compare    := ('>=' | '<=' | '>' | '<' | '=')? number
 *
 * A label follows `#`: `1d20+5 # Stealth`. A trailing `adv`/`dis` turns the
 * first single d20 into 2d20 keep highest/lowest: `1d20+5 adv`.
 */
import { faces, matches, type Compare, type CompareOp, type DiceModifiers, type Node } from './ast';

/** What starts a dice group ("d20", "d%", "dF", "3d6"). */
const DICE = /^\d*d(?:\d|%|f(?![a-z]))/;
/** A dice group's modifier on its own ("kh3", "dl1", "!", "r1", ">=8"): written after a space, it belongs to the dice before it. */
const MODIFIER = /^(?:k[hl]?\d*|d[hl]\d*|!|ro?(?:[<>]=?|=)?\d+|(?:[<>]=?|=)\d+)(?=$|[\s+\-*/)])/;

export const LIMITS = { maxExpressionLength: 200, maxDice: 1000, maxSides: 10_000, maxLabelLength: 100 } as const;

export class DiceError extends Error {
  constructor(message: string, readonly position?: number) {
    super(message);
    this.name = 'DiceError';
  }
}

export interface ParsedRoll {
  ast: Node;
  label: string | null;
  /** Canonical notation, e.g. `4d6kh3+2`. */
  notation: string;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    this.space();
    if (this.pos >= this.src.length) throw new DiceError('Type a dice expression, e.g. 1d20+5');
    const node = this.expression();
    if (this.pos < this.src.length) throw this.unexpected();
    return node;
  }

  private error(message: string) {
    return new DiceError(message, this.pos);
  }

  /** Skips spaces between tokens. */
  private space() {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  /** The player's words for what stands at `pos`: two terms with no operator, a word, or a stray character. */
  private unexpected(): DiceError {
    const before = this.src.slice(0, this.pos).trim();
    const rest = this.src.slice(this.pos);
    const spaced = /\s/.test(this.src[this.pos - 1] ?? '');
    /** A sign or an opening bracket last: a number or dice must come next. */
    const afterSign = /[+\-*/(]$/.test(before);
    const token = /^\S*/.exec(rest)![0];
    if (/^(adv|dis)/.test(rest)) return this.error('Put "adv" or "dis" at the end, e.g. 1d20+5 adv');
    if (MODIFIER.test(rest) && before && !afterSign) return this.error(`Write "${token}" right after the dice, without a space (e.g. 4d6kh3)`);
    // A word that is not dice ("8d6 fire", "1d20 + str"): a name belongs after #, an operator needs a number.
    const word = DICE.test(rest) ? undefined : /^[a-z][a-z']*/.exec(rest)?.[0];
    if (word && !before) return this.error(`"${word}" is not dice: type a roll such as 1d20+5 (a name goes after #: 1d20+5 # ${word})`);
    if (word) {
      if (afterSign) return this.error(`"${word}" is not a number or dice: after "${before.slice(-1)}" put one (e.g. 1d20+5); a roll's name goes after #`);
      if (/^[a-z][a-z' ]*$/.test(rest.trim())) return this.error(`To name the roll, put # before the name: ${before} # ${rest.trim()}`);
    }
    if (this.src[this.pos - 1] === ')' && DICE.test(rest)) return this.error(`The number of dice is a plain number: write it out (e.g. 5d6), not "${before}${token}"`);
    if (/^[\dd(]/.test(rest) && before) {
      const next = /^[^\s+\-*/()]+|^\(/.exec(rest)![0];
      const last = /[^\s+\-*/(]+\)?$/.exec(before)?.[0] ?? before;
      return this.error(`Put + or - between "${last}" and "${next}"${spaced ? ' (spaces cannot join numbers)' : ''}`);
    }
    return this.error(`Unexpected "${word ?? rest[0]!}"${before ? ` after "${before}"` : ''}`);
  }

  private peek(text: string) {
    return this.src.startsWith(text, this.pos);
  }

  private eat(text: string) {
    if (!this.peek(text)) return false;
    this.pos += text.length;
    return true;
  }

  private number(): number | null {
    const match = /^\d+/.exec(this.src.slice(this.pos));
    if (!match) return null;
    this.pos += match[0].length;
    if (match[0].length > 7) throw this.error('Number too large');
    return Number(match[0]);
  }

  private expression(): Node {
    let left = this.term();
    for (;;) {
      this.space();
      const op = this.peek('+') ? '+' : this.peek('-') ? '-' : null;
      if (!op) return left;
      this.pos++;
      left = { kind: 'binary', op, left, right: this.term() };
    }
  }

  private term(): Node {
    let left = this.unary();
    for (;;) {
      this.space();
      const op = this.peek('*') ? '*' : this.peek('/') ? '/' : null;
      if (!op) return left;
      this.pos++;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
  }

  private unary(): Node {
    this.space();
    if (this.eat('-')) return { kind: 'negate', operand: this.unary() };
    if (this.eat('+')) return this.unary();
    return this.primary();
  }

  private primary(): Node {
    if (this.eat('(')) {
      const inner = this.expression();
      this.space();
      if (!this.eat(')')) throw this.error(this.pos >= this.src.length ? 'Missing ")"' : `Missing ")" before "${this.src[this.pos]}"`);
      return { kind: 'group', inner };
    }
    if (this.eat('adv')) return this.shorthand('highest');
    if (this.eat('dis')) return this.shorthand('lowest');
    const start = this.pos;
    const count = this.number();
    if (this.peek('d')) return this.dice(count ?? 1, start);
    if (count === null) throw this.pos >= this.src.length ? this.error('The expression ends too early: add a number or dice after the last sign') : this.unexpected();
    return { kind: 'number', value: count };
  }

  private shorthand(which: 'highest' | 'lowest'): Node {
    return { kind: 'dice', count: 2, sides: 20, modifiers: { keep: { which, count: 1 } }, notation: `2d20k${which[0]}1` };
  }

  private dice(count: number, start: number): Node {
    this.eat('d');
    let sides: number | 'fudge';
    if (this.eat('%')) sides = 100;
    else if (this.eat('f')) sides = 'fudge';
    else {
      const n = this.number();
      if (n === null) throw this.error('Dice need a number of sides, e.g. d20');
      sides = n;
    }
    if (count < 1) throw this.error(`Roll at least one die ("${this.src.slice(start, this.pos)}" rolls none)`);
    if (count > LIMITS.maxDice) throw this.error(`At most ${LIMITS.maxDice} dice`);
    if (sides !== 'fudge' && (sides < 1 || sides > LIMITS.maxSides)) throw this.error(`Dice have 1 to ${LIMITS.maxSides} sides`);
    const modifiers = this.modifiers(count, sides, start);
    return { kind: 'dice', count, sides, modifiers, notation: this.src.slice(start, this.pos) };
  }

  private compare(defaultOp: CompareOp | null): Compare | null {
    const op = (['>=', '<=', '>', '<', '='] as const).find((o) => this.peek(o));
    if (op) this.pos += op.length;
    if (!op && defaultOp === null) return null;
    const value = this.number();
    if (value === null) {
      if (op) throw this.error(`A number must follow "${op}"`);
      return null;
    }
    return { op: op ?? defaultOp!, value };
  }

  private modifiers(count: number, sides: number | 'fudge', start: number): DiceModifiers {
    const mods: DiceModifiers = {};
    const all = faces(sides);
    const once = (key: keyof DiceModifiers, what: string) => {
      if (mods[key]) throw this.error(`Only one ${what} per dice group`);
    };
    for (;;) {
      if (this.eat('kh') || this.eat('kl') || this.eat('k')) {
        once('keep', 'keep');
        const which = this.src[this.pos - 1] === 'l' ? 'lowest' : 'highest';
        const n = this.number() ?? 1;
        if (n < 1 || n > count) throw this.error(`Keep between 1 and ${count} dice`);
        mods.keep = { which, count: n };
      } else if (this.eat('dh') || this.eat('dl') || (this.peek('d') && /^d\d/.test(this.src.slice(this.pos)) && this.eat('d'))) {
        once('drop', 'drop');
        const which = this.src[this.pos - 1] === 'h' ? 'highest' : 'lowest';
        const n = this.number() ?? 1;
        if (count === 1) throw this.error(`"${this.src.slice(start, this.pos)}" drops dice from a single die; to add dice, write + between the groups`);
        if (n < 1 || n >= count) throw this.error(`Drop between 1 and ${count - 1} dice`);
        mods.drop = { which, count: n };
      } else if (this.eat('!')) {
        once('explode', 'explode');
        const max = all[all.length - 1]!;
        mods.explode = this.compare('=') ?? { op: '=', value: max };
        if (all.every((f) => matches(f, mods.explode!))) throw this.error('That would explode forever');
      } else if (this.peek('r')) {
        once('reroll', 'reroll');
        const rerollOnce = this.eat('ro');
        if (!rerollOnce) this.eat('r');
        const when = this.compare('=');
        if (!when) throw this.error('Say which results to reroll, e.g. r1 or r<3');
        if (all.every((f) => matches(f, when))) throw this.error('That would reroll every result');
        mods.reroll = { once: rerollOnce, when };
      } else if (['>', '<', '='].some((c) => this.peek(c))) {
        once('success', 'success count');
        mods.success = this.compare(null)!;
        if (this.eat('f')) {
          const failure = this.compare('=');
          if (!failure) throw this.error('Say what counts as a failure, e.g. f1');
          mods.failure = failure;
        }
      } else {
        break;
      }
    }
    if (mods.keep && mods.drop) throw this.error('Use keep or drop, not both');
    return mods;
  }
}

/** Parses `input`; throws DiceError with a message a player understands. */
export function parseRoll(input: string): ParsedRoll {
  if (input.length > LIMITS.maxExpressionLength) throw new DiceError(`Expressions are at most ${LIMITS.maxExpressionLength} characters`);
  const hash = input.indexOf('#');
  const label = hash >= 0 ? input.slice(hash + 1).trim() || null : null;
  if (label && label.length > LIMITS.maxLabelLength) throw new DiceError(`Labels are at most ${LIMITS.maxLabelLength} characters (this one has ${label.length})`);
  let body = (hash >= 0 ? input.slice(0, hash) : input).toLowerCase().trim();
  let advantage: 'highest' | 'lowest' | null = null;
  const suffix = /\s+(adv|advantage|dis|disadvantage)$/.exec(body);
  if (suffix) {
    advantage = suffix[1]!.startsWith('adv') ? 'highest' : 'lowest';
    body = body.slice(0, suffix.index);
  }
  const ast = new Parser(body).parse();
  if (advantage) applyAdvantage(ast, advantage);
  const total = countDice(ast);
  if (total > LIMITS.maxDice) throw new DiceError(`At most ${LIMITS.maxDice} dice in one roll`);
  return { ast, label, notation: render(ast) };
}

function applyAdvantage(ast: Node, which: 'highest' | 'lowest') {
  const target = findNode(ast, (n) => n.kind === 'dice' && n.sides === 20 && n.count === 1 && !n.modifiers.keep && !n.modifiers.drop);
  if (!target || target.kind !== 'dice') throw new DiceError('Advantage and disadvantage need a single d20 in the roll');
  target.count = 2;
  target.modifiers.keep = { which, count: 1 };
  target.notation = `2d20k${which[0]}1`;
}

function findNode(node: Node, predicate: (n: Node) => boolean): Node | null {
  if (predicate(node)) return node;
  switch (node.kind) {
    case 'negate': return findNode(node.operand, predicate);
    case 'group': return findNode(node.inner, predicate);
    case 'binary': return findNode(node.left, predicate) ?? findNode(node.right, predicate);
    default: return null;
  }
}

export function countDice(node: Node): number {
  switch (node.kind) {
    case 'dice': return node.count;
    case 'negate': return countDice(node.operand);
    case 'group': return countDice(node.inner);
    case 'binary': return countDice(node.left) + countDice(node.right);
    default: return 0;
  }
}

export function render(node: Node): string {
  switch (node.kind) {
    case 'number': return String(node.value);
    case 'dice': return node.notation;
    case 'negate': return `-${render(node.operand)}`;
    case 'group': return `(${render(node.inner)})`;
    case 'binary': return `${render(node.left)}${node.op}${render(node.right)}`;
  }
}
