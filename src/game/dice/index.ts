export { DiceError, LIMITS as DICE_LIMITS, parseRoll } from './parser';
export { roll, type Die, type DiceGroupResult, type RollOptions, type RollResult } from './roll';
export { cryptoRng, seededRng, type Rng } from './rng';
