/**
 * Record ids: numeric strings of varying length (a few 3–5 digit ids from the portal's early days, most
 * 9–11 digits), strictly increasing with the record index, so id order = index order numerically while
 * text order differs ("99999" > "100000001"). The mapping is invertible without any table.
 */
import { hash2 } from "./rng.js";

interface Segment {
  start: number; // first index
  size: number; // Infinity for the "created at runtime" segment
  base: number; // smallest id value
  step: number;
}

/** Bidirectional index ↔ id mapping for one object type. */
export class IdSpace {
  private readonly segments: Segment[] = [];
  constructor(
    readonly baseCount: number,
    private readonly salt: number,
  ) {
    let start = 0;
    const add = (size: number, low: number, high: number) => {
      const n = Math.max(0, Math.min(size, baseCount - start));
      if (n === 0) return;
      const offset = salt % Math.max(1, Math.floor((high - low) / 50));
      const step = Math.max(1, Math.floor((high - low - offset) / n));
      this.segments.push({ start, size: n, base: low + offset, step });
      start += n;
    };
    const rest = () => baseCount - start;
    add(Math.min(Math.ceil(baseCount * 0.004), 40), 101, 900);
    add(Math.min(Math.ceil(baseCount * 0.006), 400), 1000, 9000);
    add(Math.min(Math.ceil(baseCount * 0.01), 4000), 10_000, 90_000);
    const bulk = rest();
    add(Math.floor(bulk * 0.3), 100_000_000, 900_000_000);
    add(Math.floor(bulk * 0.4), 1_000_000_000, 9_000_000_000);
    add(rest(), 10_000_000_000, 50_000_000_000);
    // Records created through the API get ids above every seeded one, like HubSpot's growing counters.
    this.segments.push({ start: baseCount, size: Number.POSITIVE_INFINITY, base: 60_000_000_000, step: 1000 });
  }

  /** The id (as a number) of record `index`. */
  idNum(index: number): number {
    const seg = this.segmentOfIndex(index);
    const k = index - seg.start;
    const jitter = seg.step > 1 ? hash2(this.salt, index) % Math.max(1, Math.floor(seg.step / 2)) : 0;
    return seg.base + k * seg.step + jitter;
  }

  id(index: number): string {
    return String(this.idNum(index));
  }

  /** The index of an id, or -1 when the id does not belong to this space. */
  indexOf(id: string | number): number {
    const v = typeof id === "number" ? id : /^\d{1,15}$/.test(id) ? Number(id) : Number.NaN;
    if (!Number.isFinite(v)) return -1;
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const seg = this.segments[s]!;
      if (v < seg.base) continue;
      const k = Math.floor((v - seg.base) / seg.step);
      if (k >= seg.size) return -1;
      const index = seg.start + k;
      return this.idNum(index) === v ? index : -1;
    }
    return -1;
  }

  /** The smallest index whose id is ≥ v (baseCount.. for created ids); used to turn id filters into index ranges. */
  lowerBound(v: number): number {
    for (const seg of this.segments) {
      const last = seg.size === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : seg.start + seg.size - 1;
      if (last !== Number.POSITIVE_INFINITY && this.idNum(last) < v) continue;
      let lo = seg.start;
      let hi =
        last === Number.POSITIVE_INFINITY ? seg.start + Math.max(0, Math.ceil((v - seg.base) / seg.step)) + 1 : last;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.idNum(mid) < v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    return this.baseCount;
  }

  private segmentOfIndex(index: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.start <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo]!;
  }
}
