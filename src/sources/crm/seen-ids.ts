/**
 * Which ids a read delivered, in about ten bits per id (a Bloom filter): a first incremental read asks it, at the
 * end, which records of the recycle bin it delivered alive (archived while it ran), without holding every id.
 * A false "yes" (≈ 1 %) costs one needless tombstone; a "no" is always right.
 */
export class SeenIds {
  private readonly bits: Uint32Array;
  private readonly size: number;

  constructor(expected: number) {
    this.size = Math.max(1024, Math.ceil(Math.max(1, expected) * 10));
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  add(id: string): void {
    for (const bit of this.positions(id)) this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
  }

  has(id: string): boolean {
    for (const bit of this.positions(id))
      if (((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    return true;
  }

  /** Seven positions from two FNV-1a hashes (Kirsch–Mitzenmacher double hashing). */
  private positions(id: string): number[] {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ 0x5bd1e995;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    }
    const out: number[] = [];
    for (let k = 0; k < 7; k++) out.push(((h1 + Math.imul(k, h2 | 1)) % this.size) >>> 0);
    return out;
  }
}
