/** Read-only view of grant timestamps, oldest first; what {@link nextGrantAt} needs. */
export interface GrantLogView {
  /** Number of timestamps held. */
  readonly length: number;
  /** The k-th most recent timestamp (k = 1 is the latest); defined for 1 ≤ k ≤ length. */
  fromEnd(k: number): number;
}

/**
 * Ring buffer of the most recent grant timestamps (non-decreasing).
 *
 * A rolling window of `max` grants only ever needs the last `max` timestamps, so pushes overwrite the oldest entry
 * and cost O(1); the capacity grows (one copy) only when the budget's `max` is raised.
 */
export class GrantLog implements GrantLogView {
  private times: number[];
  private start = 0;
  private size = 0;

  constructor(capacity: number, initial: readonly number[] = []) {
    this.times = new Array<number>(Math.max(1, capacity));
    for (const t of initial) this.push(t);
  }

  get length(): number {
    return this.size;
  }

  get capacity(): number {
    return this.times.length;
  }

  fromEnd(k: number): number {
    const index = (this.start + this.size - k) % this.times.length;
    return this.times[index] as number;
  }

  push(time: number): void {
    const capacity = this.times.length;
    if (this.size < capacity) {
      this.times[(this.start + this.size) % capacity] = time;
      this.size++;
    } else {
      this.times[this.start] = time;
      this.start = (this.start + 1) % capacity;
    }
  }

  /** Grows the buffer so it keeps at least `capacity` timestamps; never shrinks (a later raise is then free). */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.times.length) return;
    const grown = new Array<number>(capacity);
    for (let k = this.size; k >= 1; k--) grown[this.size - k] = this.fromEnd(k);
    this.times = grown;
    this.start = 0;
  }

  /** Number of timestamps strictly after `time`, by binary search over the sorted log. */
  countAfter(time: number): number {
    let low = 0; // count known to be after `time`
    let high = this.size; // upper bound of that count
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.fromEnd(mid) > time) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/**
 * Earliest time at which one more grant keeps every `windowMs`-long interval at ≤ `max` grants.
 *
 * Grant n may happen only once grant n−max has left the window, i.e. at `fromEnd(max) + windowMs`; with fewer than
 * `max` grants logged, it may happen `now`.
 *
 * @example
 * nextGrantAt(new GrantLog(2, [0, 3]), 5, 2, 10); // 10
 */
export function nextGrantAt(log: GrantLogView, now: number, max: number, windowMs: number): number {
  if (max < 1) return Number.POSITIVE_INFINITY;
  if (log.length < max) return now;
  const freed = log.fromEnd(max) + windowMs;
  return Math.max(freed, now);
}

/**
 * Earliest time of the n-th grant from now (n ≥ 1) if nothing else were granted meanwhile: each one waits for the
 * grant `max` places before it (logged or itself future) to leave the window.
 *
 * @example
 * nthGrantAt(new GrantLog(2, [0, 3]), 5, 2, 10, 3); // 20 (grants at 10, 13, 20)
 */
export function nthGrantAt(log: GrantLogView, now: number, max: number, windowMs: number, n: number): number {
  if (max < 1) return Number.POSITIVE_INFINITY;
  const future: number[] = [];
  let at = now;
  for (let k = 1; k <= n; k++) {
    // The grant `max` places before this one: future[k - 1 - max] if future, else log.fromEnd(max - k + 1).
    const back = k - 1 - max;
    const before = back >= 0 ? future[back] : max - k + 1 <= log.length ? log.fromEnd(max - k + 1) : undefined;
    at = Math.max(now, before === undefined ? now : before + windowMs);
    future.push(at);
  }
  return at;
}
