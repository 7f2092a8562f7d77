import { BehaviorSubject, concatMap, EMPTY, expand, filter, map, type Observable, of, take, throwError } from "rxjs";
import { SourceError } from "../errors.js";
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

/** A cursor as a comparable key: equal cursors (a number and its decimal string alike) give equal keys. */
export function cursorKey(cursor: unknown): string {
  return typeof cursor === "object" && cursor !== null ? JSON.stringify(cursor) : String(cursor);
}

/**
 * The cursors one read has asked for. A cursor seen before means the endpoint's paging went in a circle (it
 * repeats, or went back to an earlier page): continuing would loop forever, re-reading the same records.
 */
export class CursorTrail {
  private readonly seen = new Set<string>();

  /** Records `cursor`; false when it was seen before. */
  visit(cursor: unknown): boolean {
    const key = cursorKey(cursor);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

/** The error of a read whose paging repeats a cursor: it fails the stream instead of looping. */
export function pagingStuck(stream: string, cursor: unknown, pages: number): SourceError {
  return new SourceError(
    `${stream}: HubSpot's paging returned the cursor ${cursorKey(cursor).slice(0, 80)} again after ${pages} page(s); stopping the stream instead of reading the same pages forever`,
    "PAGING_STUCK",
    "api",
  );
}

/**
 * The one place where backpressure crosses from push to pull: page n+1 is requested only after
 * `ready(n)` says the sink accepted page n, so a slow sink keeps at most one page in flight. A next cursor
 * the read already asked for fails it with PAGING_STUCK (whatever the paginator).
 *
 * ```
 * step(first) ──page1──▶ ready(1) ──▶ step(next) ──page2──▶ ready(2) ──▶ … (next undefined) ─|
 * ```
 */
export function pullPages<C>(first: C, step: (cursor: C) => Observable<Step<C>>, ready: Ready): Observable<Page> {
  let emitted = 0;
  const trail = new CursorTrail();
  if (first !== undefined) trail.visit(first);
  return step(first).pipe(
    expand((s) => {
      emitted++;
      const next = s.next;
      if (next === undefined) return EMPTY;
      if (!trail.visit(next)) return throwError(() => pagingStuck(s.page.stream, next, emitted));
      return ready(emitted).pipe(
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
