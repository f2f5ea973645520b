/**
 * Dice outside a live table: a signed-in caller rolls an expression with the
 * server's dice (cryptographic randomness), e.g. from an MCP client. Rolls at
 * a table go through the table (`sessions.ts#postToSession`) so everyone sees them.
 */
import { cryptoRng, DiceError, roll } from '../game/dice';
import { ProblemError } from '../lib/problem';
import { callerOf, type Scope } from './scope';

export async function rollDice(scope: Scope, input: { expression: string }) {
  callerOf(scope);
  try {
    return roll(input.expression, cryptoRng);
  } catch (err) {
    if (err instanceof DiceError) throw new ProblemError(400, err.message, { code: 'invalid_dice', errors: [{ path: 'expression', message: err.message, code: 'invalid_dice' }] });
    throw err;
  }
}
