/**
 * The numbers of a printed 5e stat block, read from a passage's text: size and
 * type, armour class, hit points, the six abilities and the challenge rating
 * with its XP ("Challenge 1/4 (50 XP)"). Pure; anything it cannot read is
 * left out rather than guessed, and a passage without a challenge rating is
 * not a monster it can use.
 */
import { XP_BY_CR } from '../game/encounter';

export interface PrintedMonster {
  size: string | null;
  type: string | null;
  armorClass: number | null;
  hitPoints: number | null;
  hitDice: string | null;
  abilities: { str: number; dex: number; con: number; int: number; wis: number; cha: number } | null;
  cr: string;
  xp: number;
}

const SIZE_TYPE = /\b(Tiny|Small|Medium|Large|Huge|Gargantuan)\s+([a-z][a-z ]*?)(?:\s*\([^)]*\))?,/;
const CHALLENGE = /\bChallenge(?: Rating)?:?\s*(\d+(?:\/\d+)?)(?:\s*\(([\d,]+)\s*XP\))?/i;

export function parseStatBlock(text: string): PrintedMonster | null {
  const challenge = CHALLENGE.exec(text);
  if (!challenge) return null;
  const cr = challenge[1]!;
  const printedXp = challenge[2] ? Number(challenge[2].replace(/,/g, '')) : NaN;
  const xp = Number.isFinite(printedXp) ? printedXp : XP_BY_CR[cr];
  if (xp === undefined) return null;
  const sizeType = SIZE_TYPE.exec(text);
  const ac = /\bArmor Class:?\s*(\d{1,2})\b/i.exec(text);
  const hp = /\bHit Points:?\s*(\d{1,4})(?:\s*\(([0-9d+\-− ]+)\))?/i.exec(text);
  const scores = /STR\s+DEX\s+CON\s+INT\s+WIS\s+CHA\s+((?:\d{1,2}\s*\([+\-−]\d+\)\s*){6})/.exec(text);
  let abilities: PrintedMonster['abilities'] = null;
  if (scores) {
    const n = [...scores[1]!.matchAll(/(\d{1,2})\s*\(/g)].map((m) => Number(m[1]));
    if (n.length === 6) abilities = { str: n[0]!, dex: n[1]!, con: n[2]!, int: n[3]!, wis: n[4]!, cha: n[5]! };
  }
  return {
    size: sizeType?.[1] ?? null,
    type: sizeType?.[2]?.trim() ?? null,
    armorClass: ac ? Number(ac[1]) : null,
    hitPoints: hp ? Number(hp[1]) : null,
    hitDice: hp?.[2]?.replace(/−/g, '-').replace(/\s+/g, '') ?? null,
    abilities,
    cr,
    xp,
  };
}
