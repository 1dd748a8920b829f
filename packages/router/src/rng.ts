/** A source of uniform numbers in [0, 1): Math.random in production, a seeded generator in tests. */
export type Random = () => number;

/**
 * mulberry32: a tiny, fast 32-bit PRNG with good enough spread for load
 * balancing. Same seed → same sequence, so a test can replay a routing decision.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
