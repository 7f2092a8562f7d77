import { BehaviorSubject, concatMap, EMPTY, expand, filter, map, type Observable, of, take } from "rxjs";
import type { Page } from "./page.js";

/** A page and where to continue from (undefined: the stream is complete). */
export interface Step<C> {
  page: Page;
  next?: C;
}

/** Emits once the sink has accepted `pagesWritten` pages of this stream. */
export type Ready = (pagesWritten: number) => Observable<unknown>;

/** A `ready` that never waits (tests and library users without a sink). */
export const alwaysReady: Ready = () => of(true);

/**
 * The one place where backpressure crosses from push to pull: page n+1 is requested only after
 * `ready(n)` says the sink accepted page n, so a slow sink keeps at most one page in flight.
 *
 * ```
 * step(first) ──page1──▶ ready(1) ──▶ step(next) ──page2──▶ ready(2) ──▶ … (next undefined) ─|
 * ```
 */
export function pullPages<C>(first: C, step: (cursor: C) => Observable<Step<C>>, ready: Ready): Observable<Page> {
  let emitted = 0;
  return step(first).pipe(
    expand((s) => {
      emitted++;
      const next = s.next;
      return next === undefined
        ? EMPTY
        : ready(emitted).pipe(
            take(1),
            concatMap(() => step(next)),
          );
    }),
    map((s) => s.page),
  );
}

/**
 * The consumer's side of backpressure: pass `gate.ready` to the reader and call `gate.written()`
 * after each page was accepted by the sink.
 */
export function pageGate(): { ready: Ready; written(): void } {
  const count = new BehaviorSubject(0);
  return {
    ready: (n) =>
      count.pipe(
        filter((w) => w >= n),
        take(1),
      ),
    written: () => count.next(count.value + 1),
  };
}
