/**
 * A lazily evaluated, reverse-chronological sequence of `size` items ending at `end`: item 0 is the
 * newest. Item times are strictly decreasing, so a time window maps to an index range by binary search
 * and no route ever materializes the sequence.
 */
import type { PortalView } from "../types.js";

/** A reverse-chronological sequence of generated items, addressed by index. */
export interface Timeline {
  readonly size: number;
  /** Epoch ms of item i (0 = newest). */
  timeAt(index: number): number;
  /** The index range [from, to) of the items whose time lies in [start, end] (both inclusive). */
  range(start: number | undefined, end: number | undefined): [number, number];
}

/**
 * Builds a timeline of `size` items spread over `spanMs` before `end`, jittered per item so times look
 * organic while staying strictly decreasing (the gap between neighbours is at least 1 ms).
 */
export function makeTimeline(portal: PortalView, key: string, size: number, end: number, spanMs: number): Timeline {
  const gap = Math.max(2, Math.floor(spanMs / Math.max(1, size)));
  const timeAt = (i: number): number => end - i * gap - Math.floor(portal.random(key, "jitter", i) * (gap - 1));
  // Smallest index whose time is <= t (times decrease with the index).
  const firstAtOrBefore = (t: number): number => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (timeAt(mid) <= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return {
    size,
    timeAt,
    range(start, endTs) {
      const from = endTs === undefined ? 0 : firstAtOrBefore(endTs);
      const to = start === undefined ? size : firstAtOrBefore(start - 1);
      return [from, Math.max(from, to)];
    },
  };
}
