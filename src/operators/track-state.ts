import { concat, defer, EMPTY, type MonoTypeOperatorFunction, map, of } from "rxjs";
import type { Page, StreamState } from "../sources/page.js";
import { cursorMillis } from "./filter-by-cursor.js";
import { compilePath } from "./path.js";

/** Options of {@link trackState}. */
export interface TrackStateOptions {
  /** The row field (dotted path allowed) read as cursor; also the state key unless `stateKey` is given. */
  cursorField: string;
  /** The cursor the sync started from (the saved state); `undefined` on a first sync. */
  start?: unknown;
  /** State key to write. @default cursorField */
  stateKey?: string;
  /** Stream name of the final page when the source completes without any page. */
  stream?: string;
}

function withCursor(state: StreamState | undefined, key: string, value: unknown): StreamState {
  const next: StreamState = { ...state };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/**
 * Holds a client-side-incremental stream's cursor at `start` until the whole stream completed, then emits one
 * extra page whose state is the highest cursor seen.
 *
 * Such streams are read in id order, not cursor order: advancing on a page would lose the unread records of an
 * interrupted sync. Cursors are compared as epoch ms ({@link cursorMillis}) but stored as they appear in the rows
 * (`1645315200000` for engagements, an ISO string for CRM objects), matching the seed connector's state shapes.
 * Errors propagate without the final page.
 *
 * ```
 * source: --a--b--|          rows' cursors: a = [t2], b = [t5]
 * trackState({ cursorField: "updatedAt", start: t1 })
 * result: --a'-b'-(f|)       a'.state = b'.state = { updatedAt: t1 }, f = { records: [], state: { updatedAt: t5 } }
 * ```
 *
 * @example
 * page$.pipe(filterByCursor({ cursorField: "lastUpdated", since }), trackState({ cursorField: "lastUpdated", start: since }));
 */
export function trackState({
  cursorField,
  start,
  stateKey = cursorField,
  stream,
}: TrackStateOptions): MonoTypeOperatorFunction<Page> {
  const cursor = compilePath(cursorField);
  const startMs = cursorMillis(start);
  return (source) =>
    defer(() => {
      let best: unknown = start;
      let bestMs = startMs;
      let name = stream;
      const pages = source.pipe(
        map((page): Page => {
          name = page.stream;
          for (const record of page.records) {
            const value = cursor(record);
            const ms = cursorMillis(value);
            if (ms !== undefined && (bestMs === undefined || ms > bestMs)) {
              bestMs = ms;
              best = value;
            }
          }
          return { ...page, state: withCursor(page.state, stateKey, start) };
        }),
      );
      const final = defer(() =>
        name === undefined ? EMPTY : of<Page>({ stream: name, records: [], state: withCursor({}, stateKey, best) }),
      );
      return concat(pages, final);
    });
}
