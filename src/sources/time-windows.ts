/**
 * Pure cores of server-side time-window reads: splitting [lo, hi] into inclusive windows, writing a bound
 * on the wire, and the state each finished window leaves behind. Table-tested.
 */

/** An inclusive window of epoch ms. */
export type Window = readonly [start: number, end: number];

/**
 * Splits the inclusive range [lo, hi] into consecutive inclusive windows of `stepMs` (the last one ends at
 * `hi`); no step = one window. Empty when lo > hi.
 *
 * @example
 * windowsBetween(0, 25, 10); // [[0, 9], [10, 19], [20, 25]]
 */
export function windowsBetween(lo: number, hi: number, stepMs?: number): Window[] {
  if (!(lo <= hi)) return [];
  if (!stepMs || stepMs <= 0) return [[lo, hi]];
  const out: Window[] = [];
  for (let s = lo; s <= hi; s += stepMs) out.push([s, Math.min(hi, s + stepMs - 1)]);
  return out;
}

/**
 * Where the next read starts once `window` was read completely: just past it, except after the run's last
 * window, whose end (the run's start time) is read again next time, since records stamped with that very
 * millisecond may have been written after the request.
 *
 * @example
 * nextStart([0, 9], 25); // 10
 * nextStart([20, 25], 25); // 25
 */
export function nextStart(window: Window, hi: number): number {
  return window[1] >= hi ? hi : window[1] + 1;
}

/** A bound as the endpoint expects it: epoch ms or ISO-8601. */
export function formatBound(ms: number, format: "ms" | "iso"): string | number {
  return format === "ms" ? ms : new Date(ms).toISOString();
}
