/**
 * Stateless hashing: every generated value is a pure function of (seed, keys), so a record can be
 * rebuilt on demand instead of being stored, and two simulators with the same seed agree byte for byte.
 */

/**
 * Avalanche mix (murmur3 finaliser), truncated to 30 bits: results stay small integers (V8 Smis), so the
 * `% n` done on them per property value is integer arithmetic instead of a float modulo.
 */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

/** Combines two integers into one well-mixed non-negative 30-bit hash. */
export function hash2(a: number, b: number): number {
  return mix32(Math.imul(a ^ 0x9e3779b9, 0x01000193) + mix32(b));
}

/** Hash of a string (FNV-1a then mixed), used to derive salts from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** Hash of a key list (numbers or strings). */
export function hashKeys(seed: number, keys: readonly (string | number)[]): number {
  let h = mix32(seed);
  for (const k of keys) h = hash2(h, typeof k === "number" ? k : hashString(k));
  return h;
}

/** Maps a 30-bit hash to [0, 1). */
export function unit(h: number): number {
  return h / 1073741824;
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modular inverse of a modulo m (a and m coprime), by extended Euclid. */
export function modInverse(a: number, m: number): number {
  let [r0, r1] = [a % m, m];
  let [s0, s1] = [1, 0];
  while (r1) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

/** (a * b) mod m without losing precision when a * b exceeds 2^53. */
export function mulMod(a: number, b: number, m: number): number {
  if (a * b < Number.MAX_SAFE_INTEGER) return (a * b) % m;
  return Number((BigInt(a) * BigInt(b)) % BigInt(m));
}

/**
 * An invertible permutation of [0, n): i → (a·i + b) mod n. Used to scatter updatedAt over records
 * while still letting a time window be enumerated by rank without any index in memory.
 */
export class AffinePermutation {
  private readonly a: number;
  private readonly b: number;
  private readonly aInv: number;
  constructor(
    readonly n: number,
    rawSalt: number,
  ) {
    const salt = rawSalt >>> 0;
    if (n <= 1) {
      this.a = 1;
      this.b = 0;
      this.aInv = 1;
      return;
    }
    let a = Math.max(1, Math.floor(n * 0.6180339887) + (salt % 97));
    while (gcd(a, n) !== 1) a++;
    this.a = a % n || 1;
    this.b = salt % n;
    this.aInv = modInverse(this.a, n);
  }
  forward(i: number): number {
    return this.n <= 1 ? 0 : (mulMod(this.a, i, this.n) + this.b) % this.n;
  }
  inverse(r: number): number {
    return this.n <= 1 ? 0 : mulMod(this.aInv, (r - this.b + this.n) % this.n, this.n);
  }
}
