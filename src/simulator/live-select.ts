/** Rank/select over a type's live (or archived) records in id order, without materialising the set. */
import type { RecState } from "./portal.js";
import type { TypeData } from "./type-data.js";

/**
 * Live (or archived) records in id order: the count when `countOnly`, else the index of the `k`-th (-1 if
 * none). The seeded set is addressed by rank/select over the sorted archived list; mutated records (few)
 * are removed from it and merged back in where their current state puts them.
 */
export function selectLive(
  td: TypeData,
  mutated: Iterable<number>,
  stateOf: (i: number) => RecState,
  archived: boolean,
  countOnly: boolean,
  k = 0,
): number {
  const arch = td.archivedIndices();
  const inBase = (i: number) => i < td.n && td.isBaseArchived(i) === archived;
  const removed: number[] = []; // seeded members whose state changed (taken out, maybe re-added below)
  const extra: number[] = []; // mutated/created records currently in the requested set
  for (const i of mutated) {
    const st = stateOf(i);
    if (inBase(i)) removed.push(i);
    if (st.exists && st.archived === archived) extra.push(i);
  }
  const baseCount = archived ? arch.length : td.n - arch.length;
  if (countOnly) return baseCount - removed.length + extra.length;
  removed.sort((a, b) => a - b);
  extra.sort((a, b) => a - b);
  const baseBelow = (x: number) => {
    const a = lowerBound(arch, Math.min(x, td.n));
    return archived ? a : Math.min(x, td.n) - a;
  };
  const selectBase = (r: number): number => {
    if (r < 0 || r >= baseCount) return -1;
    if (archived) return arch[r]!;
    let lo = r;
    let hi = td.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (baseBelow(mid + 1) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  // A = seeded set minus `removed`; select the r-th element of A.
  const selectA = (r: number): number => {
    let rr = r;
    for (;;) {
      const b = selectBase(rr);
      if (b < 0) return -1;
      const c = lowerBound(removed, b + 1);
      if (rr - c === r && !removed.includes(b)) return b;
      rr = Math.max(rr + 1, r + c);
    }
  };
  const rankA = (x: number) => baseBelow(x) - lowerBound(removed, x);
  for (let t = 0; t < extra.length; t++) {
    const e = extra[t]!;
    const before = rankA(e) + t;
    if (before === k) return e;
    if (before > k) return selectA(k - t);
  }
  return selectA(k - extra.length);
}

/** Number of elements < v in a sorted array. */
export function lowerBound(arr: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
