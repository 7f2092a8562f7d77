/**
 * What one-result searches tell before a CRM read: how many records there are, the highest id (to split the id
 * line), and the newest modification (the incremental cursor's safe start).
 */
import { catchError, forkJoin, map, type Observable, of } from "rxjs";
import { SourceError } from "../../errors.js";
import type { Row } from "../page.js";
import type { Transport } from "../transport.js";
import { modifiedMillis } from "./modified-keyset.js";
import type { SearchBody } from "./search-range.js";

export interface Probe {
  /** Records of the object (search `total`). */
  all: number;
  /** Highest live id, if search answered with a numeric one. */
  maxId?: number;
  /** Records modified at or after `since` (all of them when no `since`). */
  window: number;
  /** Newest modification time (epoch ms) among them. */
  newest?: number;
}

/** Search is refused for this object (an object type without search, or a HubSpot-compatible API without it). */
export function searchRefused(err: unknown): boolean {
  return err instanceof SourceError && ["BAD_REQUEST", "NOT_FOUND", "API_ERROR"].includes(err.code);
}

function oneResult(
  transport: Transport,
  objectType: string,
  sort: string,
  property: string,
  filters: { propertyName: string; operator: string; value: string }[],
): Observable<{ total: number; first?: Row }> {
  return transport
    .request<SearchBody>({
      method: "POST",
      path: `/crm/v3/objects/${objectType}/search`,
      json: {
        filterGroups: filters.length ? [{ filters }] : [],
        sorts: [{ propertyName: sort, direction: "DESCENDING" }],
        properties: ["hs_object_id", property],
        limit: 1,
      },
      budget: "search",
    })
    .pipe(
      map((res) => {
        const total = res.body?.total;
        return { total: typeof total === "number" && total >= 0 ? total : 0, first: res.body?.results?.[0] };
      }),
    );
}

/**
 * Two one-result searches at once: by id (count, highest id) and by modification since `since` (window count,
 * newest change). Undefined when search is refused for this object (the caller reads through the list instead).
 */
export function probeObject(
  transport: Transport,
  objectType: string,
  modifiedProperty: string,
  since?: number,
): Observable<Probe | undefined> {
  const byId = oneResult(transport, objectType, "hs_object_id", modifiedProperty, []);
  const byModified =
    since === undefined
      ? oneResult(transport, objectType, modifiedProperty, modifiedProperty, [])
      : oneResult(transport, objectType, modifiedProperty, modifiedProperty, [
          { propertyName: modifiedProperty, operator: "GTE", value: String(since) },
        ]);
  return forkJoin([byId, byModified]).pipe(
    map(([ids, mod]): Probe => {
      const maxId = Number(ids.first?.id);
      const newest = mod.first ? modifiedMillis(mod.first, modifiedProperty) : Number.NaN;
      return {
        all: ids.total,
        maxId: Number.isSafeInteger(maxId) && maxId > 0 ? maxId : undefined,
        window: mod.total,
        newest: Number.isFinite(newest) ? newest : undefined,
      };
    }),
    catchError((err) => {
      if (searchRefused(err)) return of(undefined);
      throw err;
    }),
  );
}
