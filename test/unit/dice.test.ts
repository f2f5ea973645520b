import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiceError, parseRoll, roll, seededRng, type Rng } from '../../src/game/dice';

/** An RNG that returns the given faces in order (then repeats the last). */
const scripted = (...faces: number[]): Rng => {
  let i = 0;
  return { die: () => faces[Math.min(i++, faces.length - 1)]! };
};

describe('dice notation', () => {
  it('rolls NdM±K with every die kept', () => {
    const r = roll('3d6+2', scripted(4, 5, 6));
    expect(r.total).toBe(17);
    expect(r.groups[0]!.dice.map((d) => d.value)).toEqual([4, 5, 6]);
    expect(r.text).toBe('3d6 [4, 5, 6] + 2 = 17');
  });

  it('keeps highest / lowest and drops', () => {
    const kh = roll('4d6kh3', scripted(6, 1, 5, 3));
    expect(kh.total).toBe(14);
    expect(kh.groups[0]!.dice.filter((d) => d.dropped).map((d) => d.value)).toEqual([1]);
    expect(roll('2d20kl1', scripted(17, 4)).total).toBe(4);
    expect(roll('8d6dl2', scripted(1, 2, 3, 4, 5, 6, 6, 6)).total).toBe(30);
    expect(roll('4d6d1', scripted(2, 3, 4, 5)).total).toBe(12);
    expect(roll('3d6dh1', scripted(6, 5, 1)).total).toBe(6);
  });

  it('supports advantage and disadvantage shorthands', () => {
    expect(roll('adv', scripted(3, 18)).total).toBe(18);
    expect(roll('dis+2', scripted(3, 18)).total).toBe(5);
    const r = roll('1d20+5 adv # Stealth', scripted(7, 15));
    expect(r).toMatchObject({ total: 20, label: 'Stealth', notation: '2d20kh1+5' });
    expect(roll('d20 + 1 disadvantage', scripted(7, 15)).total).toBe(8);
    expect(() => parseRoll('2d6 adv')).toThrow(DiceError);
  });

  it('rolls percentile and fudge dice', () => {
    expect(roll('d%', scripted(73)).total).toBe(73);
    const fudge = roll('4dF', scripted(1, 2, 3, 3));
    expect(fudge.groups[0]!.dice.map((d) => d.value)).toEqual([-1, 0, 1, 1]);
    expect(fudge.total).toBe(1);
    expect(fudge.text).toBe('4df [-, 0, +, +] = 1');
  });

  it('explodes on the highest face or a compare point', () => {
    const r = roll('3d6!', scripted(6, 6, 2, 3, 4));
    expect(r.groups[0]!.dice.map((d) => [d.value, !!d.explosion])).toEqual([[6, false], [6, true], [2, true], [3, false], [4, false]]);
    expect(r.total).toBe(21);
    expect(roll('1d10!>=9', scripted(9, 10, 1)).total).toBe(20);
  });

  it('rerolls until the condition clears, or once with ro', () => {
    const r = roll('2d6r1', scripted(1, 1, 4, 5));
    expect(r.groups[0]!.dice.map((d) => [d.value, d.kept])).toEqual([[1, false], [1, false], [4, true], [5, true]]);
    expect(r.total).toBe(9);
    expect(roll('1d6ro<3', scripted(2, 1)).total).toBe(1);
  });

  it('counts successes (and failures)', () => {
    const r = roll('6d10>=8', scripted(8, 9, 10, 1, 7, 2));
    expect(r.total).toBe(3);
    expect(r.successes).toBe(3);
    expect(roll('5d10>=8f1', scripted(8, 1, 1, 9, 3)).total).toBe(0);
  });

  it('does arithmetic with precedence and parentheses, rounding division down', () => {
    expect(roll('(1d4+2)*3', scripted(2)).total).toBe(12);
    expect(roll('2+3*4-1', scripted()).total).toBe(13);
    expect(roll('7/2', scripted()).total).toBe(3);
    expect(roll('-1d4', scripted(3)).total).toBe(-3);
    expect(roll('1d8+1d6+3', scripted(8, 6)).total).toBe(17);
  });

  it('doubles dice but not modifiers on a critical hit', () => {
    const r = roll('2d6+3', scripted(1, 2, 3, 4), { critical: true });
    expect(r.total).toBe(13);
    expect(r.groups[0]!.notation).toBe('4d6');
  });

  it('refuses bad expressions with a clear message', () => {
    const bad: [string, RegExp][] = [
      ['', /Type a dice expression/],
      ['1d', /number of sides/],
      ['1d20+', /ends too early/],
      ['1d20 + hello', /"hello" is not a number or dice/],
      ['(1d6', /Missing "\)"/],
      ['1001d6', /At most 1000 dice/],
      ['600d6+600d6', /At most 1000 dice/],
      ['1d10001', /1 to 10000 sides/],
      ['0d6', /at least one die/],
      ['1d1!', /explode forever/],
      ['1d6!>=1', /explode forever/],
      ['1d6r<7', /reroll every result/],
      ['4d6kh5', /Keep between 1 and 4/],
      ['4d6dl4', /Drop between 1 and 3/],
      ['4d6kh1dl1', /Only one|not both/],
      ['1d6/0', /divide by zero/],
      ['1'.repeat(201), /at most 200 characters/],
      ['99999999', /too large/],
    ];
    for (const [expression, message] of bad) {
      expect(() => roll(expression, seededRng(1)), expression).toThrow(message);
    }
  });
});

describe('spaces and messages (issue 10, defect 5)', () => {
  it('never joins numbers across spaces', () => {
    for (const [expression, message] of [
      ['1d20 5', /Put \+ or - between "1d20" and "5"/],
      ['2d6 + 1 0', /between "1" and "0"/],
      ['1 0d6', /between "1" and "0d6"/],
      ['1d6 1d6', /between "1d6" and "1d6"/],
      ['4d6 kh3', /right after the dice/],
      ['1d20 adv + 2', /"adv" or "dis" at the end/],
    ] as const) {
      expect(() => parseRoll(expression), expression).toThrow(message);
    }
  });

  it('tells a name from notation, and a bracket from a dice count', () => {
    for (const [expression, message] of [
      ['8d6 fire', 'To name the roll, put # before the name: 8d6 # fire'],
      ['1d20+5 stealth check', 'To name the roll, put # before the name: 1d20+5 # stealth check'],
      // A word starting like a modifier is a word, not a modifier written after a space.
      ['8d6 radiant', 'To name the roll, put # before the name: 8d6 # radiant'],
      ['1d20 + str', '"str" is not a number or dice: after "+" put one (e.g. 1d20+5); a roll\'s name goes after #'],
      ['fireball', '"fireball" is not dice: type a roll such as 1d20+5 (a name goes after #: 1d20+5 # fireball)'],
      ['(2+3)d6', 'The number of dice is a plain number: write it out (e.g. 5d6), not "(2+3)d6"'],
      ['1d20 r1', 'Write "r1" right after the dice, without a space (e.g. 4d6kh3)'],
    ] as const) {
      expect(() => parseRoll(expression), expression).toThrow(message);
    }
    // No space, so the message does not blame one.
    expect(() => parseRoll('(1d6)(1d6)')).not.toThrow(/spaces/);
    expect(parseRoll('8d6 # fire').label).toBe('fire');
  });

  it('allows spaces between tokens', () => {
    expect(parseRoll(' 2d6 + 1 ').notation).toBe('2d6+1');
    expect(parseRoll('( 1d6 + 2 ) * 2').notation).toBe('(1d6+2)*2');
    expect(parseRoll('1d20 + 5 adv # Stealth')).toMatchObject({ notation: '2d20kh1+5', label: 'Stealth' });
  });

  it('says what is wrong in the player\'s terms, without positions', () => {
    expect(() => parseRoll('0d6')).toThrow('Roll at least one die ("0d6" rolls none)');
    expect(() => parseRoll('1d61d6')).toThrow(/drops dice from a single die/);
    expect(() => parseRoll('1d20+')).not.toThrow(/position/);
    expect(() => parseRoll(`1d20 # ${'x'.repeat(101)}`)).toThrow('Labels are at most 100 characters (this one has 101)');
    expect(parseRoll(`1d20 # ${'x'.repeat(100)}`).label).toHaveLength(100);
  });
});

describe('dice properties', () => {
  it('NdM stays within [N, N·M] and keeps every die', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1000 }), fc.integer(), (n, m, seed) => {
      const r = roll(`${n}d${m}`, seededRng(seed));
      expect(r.total).toBeGreaterThanOrEqual(n);
      expect(r.total).toBeLessThanOrEqual(n * m);
      expect(r.groups[0]!.dice).toHaveLength(n);
      expect(r.diceRolled).toBe(n);
    }));
  });

  it('keep-highest k of n is at least keep-lowest k of n over the same dice', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 2, max: 100 }), fc.integer(), (n, m, seed) => {
      const k = Math.max(1, Math.floor(n / 2));
      const high = roll(`${n}d${m}kh${k}`, seededRng(seed));
      const low = roll(`${n}d${m}kl${k}`, seededRng(seed));
      expect(high.groups[0]!.dice.map((d) => d.value)).toEqual(low.groups[0]!.dice.map((d) => d.value));
      expect(high.total).toBeGreaterThanOrEqual(low.total);
      expect(high.groups[0]!.dice.filter((d) => d.kept)).toHaveLength(k);
    }));
  });

  it('never throws anything but DiceError on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => {
      try {
        roll(text, seededRng(1));
      } catch (err) {
        expect(err).toBeInstanceOf(DiceError);
      }
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.stringMatching(/^[0-9d%fkhlr!<>=+\-*/() ]{1,30}$/), (text) => {
      try {
        const r = roll(text, seededRng(2));
        expect(Number.isSafeInteger(r.total)).toBe(true);
        expect(r.diceRolled).toBeLessThanOrEqual(1000);
      } catch (err) {
        expect(err).toBeInstanceOf(DiceError);
      }
    }), { numRuns: 3000 });
  });

  it('a d20 is uniform: each face near 5% over 40 000 seeded rolls', () => {
    const rng = seededRng(2026);
    const counts = new Array(21).fill(0);
    for (let i = 0; i < 40_000; i++) counts[roll('1d20', rng).total]++;
    for (let face = 1; face <= 20; face++) expect(Math.abs(counts[face] / 40_000 - 0.05)).toBeLessThan(0.006);
    // Chi-squared with 19 degrees of freedom: 43.8 is the 0.1% critical value.
    const chi = counts.slice(1).reduce((s, c) => s + (c - 2000) ** 2 / 2000, 0);
    expect(chi).toBeLessThan(43.8);
  });

  it('3d6 has the bell curve: mean 10.5, 10 and 11 most common', () => {
    const rng = seededRng(99);
    const counts = new Map<number, number>();
    let sum = 0;
    for (let i = 0; i < 30_000; i++) {
      const t = roll('3d6', rng).total;
      sum += t;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    expect(Math.abs(sum / 30_000 - 10.5)).toBeLessThan(0.1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([t]) => t).sort();
    expect(top).toEqual([10, 11]);
  });

  it('advantage raises the mean d20 to about 13.8', () => {
    const rng = seededRng(5);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += roll('adv', rng).total;
    expect(Math.abs(sum / 20_000 - 13.825)).toBeLessThan(0.15);
  });

  it('the crypto RNG stays in range', async () => {
    const { cryptoRng } = await import('../../src/game/dice');
    for (let i = 0; i < 5000; i++) {
      const v = cryptoRng.die(6);
      expect(v >= 1 && v <= 6).toBe(true);
    }
  });
});
