/** Per-record detail enrichment of a paged read (campaigns: one GET per campaign merged into its summary). */
import { catchError, from, map, mergeMap, type Observable, of, throwError, toArray } from "rxjs";
import { HttpError } from "../../errors.js";
import { cursorMillis } from "../../operators/filter-by-cursor.js";
import { compilePath } from "../../operators/path.js";
import type { Row } from "../page.js";
import type { DetailSpec } from "../stream-def.js";
import type { ReadContext } from "./context.js";

/**
 * Merges each record with its detail GET, `concurrency` at a time, keeping the listing's order. Records the
 * client-side filter will drop are not worth a request each; a detail answering 404 (gone between listing and
 * detail) keeps what the listing said.
 */
export function enrich(ctx: ReadContext, detail: DetailSpec | undefined, records: Row[]): Observable<Row[]> {
  if (!detail || !records.length) return of(records);
  const field = ctx.def.cursorField;
  const since = ctx.clientSince;
  const cursor = field ? compilePath(field) : undefined;
  const wanted =
    since === undefined || !cursor ? records : records.filter((r) => (cursorMillis(cursor(r)) ?? since) >= since);
  return from(wanted.map((r, i) => [r, i] as const)).pipe(
    mergeMap(
      ([record, i]) =>
        ctx.opts.transport
          .request<Row>({
            method: "GET",
            path: detail.path.replace(`{${detail.param}}`, encodeURIComponent(String(record[detail.idField]))),
            budget: "standard",
          })
          .pipe(
            map((res) => [i, { ...record, ...res.body }] as const),
            catchError((err) => {
              if (err instanceof HttpError && err.failure.status === 404) {
                ctx.opts.warn(`${ctx.def.name}: no detail for ${String(record[detail.idField])} (404), summary kept`);
                return of([i, record] as const);
              }
              return throwError(() => err);
            }),
          ),
      detail.concurrency,
    ),
    toArray(),
    map((pairs) => pairs.sort((a, b) => a[0] - b[0]).map(([, r]) => r)),
  );
}
