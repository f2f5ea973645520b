/**
 * Random sources for dice: `cryptoRng` (unbiased, for real play) and
 * `seededRng` (repeatable, for tests and replays).
 *
 * @example
 * const rng = seededRng(42);
 * rng.die(20); // 1..20, the same sequence for the same seed
 */
export interface Rng {
  /** A uniformly random integer in 1..sides. */
  die(sides: number): number;
}

/** Uses WebCrypto with rejection sampling, so no face is favoured by modulo bias. */
export const cryptoRng: Rng = {
  die(sides) {
    const limit = Math.floor(0x1_0000_0000 / sides) * sides;
    const buffer = new Uint32Array(1);
    for (;;) {
      crypto.getRandomValues(buffer);
      const value = buffer[0]!;
      if (value < limit) return (value % sides) + 1;
    }
  },
};

/** mulberry32: small, fast and good enough for tests; never use for real play. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
  return { die: (sides) => Math.floor(next() * sides) + 1 };
}
