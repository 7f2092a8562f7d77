import { concatMap, defer, type Observable, of, take, tap } from "rxjs";
import type { Page } from "./page.js";
import type { Ready } from "./pull.js";

/**
 * Several pull reads (fan-out values, parents' children, time windows) run one after another on the one
 * page gate of a stream. Each sub-read starts only once every page emitted before it was written, and its
 * `ready(n)` is renumbered to the stream's page count, so the whole stream keeps at most one page in flight.
 *
 * ```
 * run(a): --a1--a2-|            pages 1, 2 of the stream
 * run(b):          (ready(2))--b1--b2-|   b's ready(1) is the stream's ready(3)
 * ```
 */
export class PageSequence {
  private emitted = 0;

  constructor(private readonly ready: Ready) {}

  /** Subscribes to `read` once the pages emitted so far were written; counts the pages it emits. */
  run(read: (ready: Ready) => Observable<Page>): Observable<Page> {
    return defer(() => {
      const base = this.emitted;
      const sub: Ready = (n) => this.ready(base + n);
      const start =
        base === 0
          ? read(sub)
          : this.ready(base).pipe(
              take(1),
              concatMap(() => read(sub)),
            );
      return start.pipe(tap(() => this.emitted++));
    });
  }

  /** A page the reader makes itself (a checkpoint between sub-reads). */
  emit(page: Page): Observable<Page> {
    return defer(() => {
      this.emitted++;
      return of(page);
    });
  }
}
