/**
 * The `time-windows` kind: an inner paged source read once per inclusive window of [lo, hi], windows in time
 * order, each checkpointing where the next read starts. Pure cores (windows, next start) are table-tested.
 */
import { concat, type Observable } from "rxjs";
import type { Page } from "../page.js";
import { PageSequence } from "../page-sequence.js";
import type { Ready } from "../pull.js";
import type { TimeWindowsSource } from "../stream-def.js";
import type { ReadContext, SubRead } from "./context.js";
import { formatBound, readPaged } from "./paged.js";

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

export interface WindowedRead {
  lo: number;
  hi: number;
  /** Checkpoint each window's next start under the stream's cursor field (off inside a per-parent read). */
  checkpoint: boolean;
  sub?: SubRead;
}

/** Every window of [lo, hi], one after another on `ready`. */
export function readWindows(src: TimeWindowsSource, ctx: ReadContext, ready: Ready, o: WindowedRead): Observable<Page> {
  const seq = new PageSequence(ready);
  const field = ctx.def.cursorField as string;
  const bound = (ms: number) => formatBound(ms, src.format);
  return concat(
    ...windowsBetween(o.lo, o.hi, src.stepMs).map((w) =>
      seq.run((r) =>
        readPaged(src.inner, ctx, r, {
          ...o.sub,
          query: { ...o.sub?.query, [src.startParam]: bound(w[0]), [src.endParam]: bound(w[1]) },
          lastState: o.checkpoint ? { [field]: bound(nextStart(w, o.hi)) } : undefined,
        }),
      ),
    ),
  );
}

/** A time-windows stream: from the saved cursor (start_date without one) to the run's start. */
export function readTimeWindows(src: TimeWindowsSource, ctx: ReadContext, ready: Ready): Observable<Page> {
  const lo = Math.max(ctx.opts.startDate, ctx.cursorMs ?? Number.NEGATIVE_INFINITY);
  return readWindows(src, ctx, ready, { lo, hi: ctx.now, checkpoint: true });
}
