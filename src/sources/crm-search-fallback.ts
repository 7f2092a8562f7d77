import { catchError, defer, type Observable, tap } from "rxjs";
import { HttpError } from "../errors.js";
import { filterByCursor } from "../operators/filter-by-cursor.js";
import { trackState } from "../operators/track-state.js";
import { type CrmReadContext, readCrmList } from "./crm-read.js";
import type { Page } from "./page.js";
import type { Ready } from "./pull.js";

/** HubSpot (or a HubSpot-compatible API) refusing the search endpoint itself for an object. */
export function searchUnavailable(err: unknown): boolean {
  return err instanceof HttpError && [400, 404, 405, 501].includes(err.failure.status);
}

/**
 * Client-side incremental over the list endpoint: every record is read, those modified before the
 * cursor are dropped, and the cursor advances only once the whole list was read (it is in id order).
 */
export function readCrmClientSide(ctx: CrmReadContext, ready: Ready, cursor: string | undefined): Observable<Page> {
  return readCrmList(ctx, ready).pipe(
    filterByCursor({ cursorField: "updatedAt", since: cursor }),
    trackState({ cursorField: "updatedAt", start: cursor, stream: ctx.stream }),
  );
}

/**
 * A search-based read that falls back to the client-side list read when the very first search is
 * refused as unsupported, so an object without search loses nothing (it costs a full read instead).
 */
export function orListWhenSearchUnavailable(
  ctx: CrmReadContext,
  ready: Ready,
  cursor: string | undefined,
  searched: Observable<Page>,
): Observable<Page> {
  return defer(() => {
    let emitted = false;
    return searched.pipe(
      tap(() => {
        emitted = true;
      }),
      catchError((err) => {
        if (emitted || !searchUnavailable(err)) throw err;
        ctx.warn(`${ctx.stream}: search is not available (${(err as Error).message}); reading the full list instead`);
        return readCrmClientSide(ctx, ready, cursor);
      }),
    );
  });
}
