import { catchError, concatMap, forkJoin, map, type Observable, of } from "rxjs";
import { HttpError } from "../../errors.js";
import type { Row } from "../page.js";
import type { Transport } from "../transport.js";

/** Refusals that cost one association type, not the stream. */
const SKIPPABLE: ReadonlySet<string> = new Set(["MISSING_SCOPES", "NOT_FOUND", "BAD_REQUEST", "API_ERROR"]);

/** HubSpot's v4 association batch read accepts at most 1,000 ids per call. */
export const ASSOCIATION_BATCH = 1_000;

interface V4Result {
  from?: { id?: string | number };
  to?: { toObjectId?: string | number }[];
  paging?: { next?: { after?: string } };
}

/**
 * Read the associations of `ids` to `toType` (following per-id paging), as distinct id strings per
 * record: HubSpot lists a primary association twice (two association types); we deliver each id once.
 */
export function readAssociations(
  transport: Transport,
  fromType: string,
  toType: string,
  ids: readonly string[],
): Observable<Map<string, string[]>> {
  const found = new Map<string, Set<string>>();
  const batches: { id: string; after?: string }[][] = [];
  for (let i = 0; i < ids.length; i += ASSOCIATION_BATCH) {
    batches.push(ids.slice(i, i + ASSOCIATION_BATCH).map((id) => ({ id })));
  }
  const readBatch = (inputs: { id: string; after?: string }[]): Observable<void> =>
    transport
      .request<{ results?: V4Result[] }>({
        method: "POST",
        path: `/crm/v4/associations/${fromType}/${toType}/batch/read`,
        json: { inputs },
        budget: "exempt",
      })
      .pipe(
        map((res) => {
          const more: { id: string; after: string }[] = [];
          for (const r of res.body?.results ?? []) {
            const from = r.from?.id === undefined ? undefined : String(r.from.id);
            if (from === undefined) continue;
            const set = found.get(from) ?? new Set<string>();
            found.set(from, set);
            for (const t of r.to ?? []) if (t.toObjectId !== undefined) set.add(String(t.toObjectId));
            const after = r.paging?.next?.after;
            if (after) more.push({ id: from, after });
          }
          return more;
        }),
        // Paging inside a batch is rare (> 500 associations on one record): follow it.
        concatMap((more) => (more.length ? readBatch(more) : of(undefined))),
      );
  if (!batches.length) return of(new Map());
  return forkJoin(batches.map(readBatch)).pipe(map(() => new Map([...found].map(([k, v]) => [k, [...v]]))));
}

/**
 * Attach each association type to every record as `record[toType] = ["id", …]`. A 403 or another
 * non-transient refusal on one association type leaves that field off and is reported once.
 */
export function attachAssociations(
  transport: Transport,
  fromType: string,
  toTypes: readonly string[],
  records: Row[],
  onForbidden: (toType: string, err: HttpError) => void,
): Observable<Row[]> {
  if (!toTypes.length || !records.length) return of(records);
  const ids = records.map((r) => String(r.id));
  return forkJoin(
    toTypes.map((toType) =>
      readAssociations(transport, fromType, toType, ids).pipe(
        catchError((err) => {
          // A missing scope or an association pair HubSpot does not know must not cost the records themselves;
          // a used-up daily limit fails the stream like any other call.
          if (err instanceof HttpError && SKIPPABLE.has(err.code)) {
            onForbidden(toType, err);
            return of(undefined);
          }
          throw err;
        }),
      ),
    ),
  ).pipe(
    map((maps) => {
      toTypes.forEach((toType, i) => {
        const m = maps[i];
        if (!m) return;
        for (const r of records) r[toType] = m.get(String(r.id)) ?? [];
      });
      return records;
    }),
  );
}
