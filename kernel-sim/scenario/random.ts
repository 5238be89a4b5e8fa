// Seeded PRNG for everything "random" in a run (stimulus times, model noise): xoshiro128**
// over four 32-bit words, seeded through a splitmix-style mixer. Math.random is never used,
// so a run is reproducible from its seed, and the state is four plain numbers so a
// snapshot of the machine (reverse debugging) can save and restore it.

export type RandomState = [number, number, number, number];

/** One round of a 32-bit avalanche mix (multiply-xorshift), advancing `x` by a constant. */
function mix32(x: number): [next: number, out: number] {
  const next = (x + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Random {
  private s: RandomState = [0, 0, 0, 0];

  /** Any safe integer seed; equal seeds give equal sequences. */
  constructor(seed: number) {
    let x = (Math.trunc(seed) >>> 0) ^ Math.imul(Math.floor(Math.abs(seed) / 0x1_0000_0000) >>> 0, 0x632be5ab);
    for (let i = 0; i < 4; i++) {
      const [next, out] = mix32(x);
      x = next;
      this.s[i] = out;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1; // all-zero is a fixed point
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 0x400_0000 + lo) / 2 ** 53;
  }

  /** A uniform integer in [0, n), 1 <= n <= 2^32, without modulo bias. */
  intBelow(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) throw new RangeError(`intBelow: n must be an integer in 1..2^32, got ${n}`);
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  snapshot(): RandomState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  restore(state: Readonly<RandomState>): void {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff) || state.every((w) => w === 0)) {
      throw new RangeError('Random.restore: expected four unsigned 32-bit words, not all zero');
    }
    this.s = [state[0], state[1], state[2], state[3]];
  }

  static fromSnapshot(state: Readonly<RandomState>): Random {
    const r = new Random(0);
    r.restore(state);
    return r;
  }
}

/** A seed for the `index`-th independent stream derived from `seed` (deterministic). */
export function deriveSeed(seed: number, index: number): number {
  const [, a] = mix32((Math.trunc(seed) >>> 0) ^ Math.imul(index + 1, 0x27d4eb2f));
  const [, b] = mix32(a ^ (Math.floor(Math.abs(seed) / 0x1_0000_0000) >>> 0));
  return b;
}
