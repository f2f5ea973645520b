/** The parsed form of a dice expression. */

export type CompareOp = '>' | '>=' | '<' | '<=' | '=';
export interface Compare {
  op: CompareOp;
  value: number;
}

export interface DiceModifiers {
  keep?: { which: 'highest' | 'lowest'; count: number };
  drop?: { which: 'highest' | 'lowest'; count: number };
  /** Roll another die whenever a die matches (default: the highest face). */
  explode?: Compare;
  reroll?: { once: boolean; when: Compare };
  /** Count dice matching `success` (minus those matching `failure`) instead of summing. */
  success?: Compare;
  failure?: Compare;
}

export type DiceSides = number | 'fudge';

export type Node =
  | { kind: 'number'; value: number }
  | { kind: 'dice'; count: number; sides: DiceSides; modifiers: DiceModifiers; notation: string }
  | { kind: 'negate'; operand: Node }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Node; right: Node }
  | { kind: 'group'; inner: Node };

export function matches(value: number, cmp: Compare): boolean {
  switch (cmp.op) {
    case '>': return value > cmp.value;
    case '>=': return value >= cmp.value;
    case '<': return value < cmp.value;
    case '<=': return value <= cmp.value;
    case '=': return value === cmp.value;
  }
}

export const faces = (sides: DiceSides): number[] =>
  sides === 'fudge' ? [-1, 0, 1] : Array.from({ length: sides }, (_, i) => i + 1);
