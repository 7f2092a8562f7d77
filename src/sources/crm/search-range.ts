/**
 * Keyset search over an id range: `hs_object_id` in [from, to), sorted by `hs_object_id` ascending, always the
 * FIRST page after the last id read (never an `after` offset), so HubSpot's 10,000-result cap never applies and
 * records created or changed meanwhile cannot shift a page. Pure; table-tested.
 */
import type { Row } from "../page.js";
import type { RequestSpec } from "../transport.js";
import { resultsArray } from "./list-page.js";
import { SEARCH_PAGE_SIZE } from "./modified-keyset.js";

export interface SearchBody {
  results?: Row[];
  total?: number;
  paging?: { next?: unknown };
}

/** The search request for the records of [from, to) (`to` Infinity: no upper bound), with every property. */
export function rangeSearchRequest(
  objectType: string,
  from: number,
  to: number,
  properties: readonly string[],
): RequestSpec {
  const filters = [{ propertyName: "hs_object_id", operator: "GTE", value: String(from) }];
  if (Number.isFinite(to)) filters.push({ propertyName: "hs_object_id", operator: "LT", value: String(to) });
  return {
    method: "POST",
    path: `/crm/v3/objects/${objectType}/search`,
    json: {
      filterGroups: [{ filters }],
      sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }],
      properties,
      limit: SEARCH_PAGE_SIZE,
    },
    budget: "search",
    validate: resultsArray,
  };
}

/**
 * What one range page says: its records inside the range, their numeric ids, whether more may follow, and whether
 * the server honoured the id sort (keyset paging is exact only then).
 */
export function parseRangePage(
  body: SearchBody,
  from: number,
  to: number,
): { records: Row[]; ids: number[]; more: boolean; full: boolean; sorted: boolean } {
  const results = body.results ?? [];
  const records: Row[] = [];
  const ids: number[] = [];
  let sorted = true;
  let beyond = false;
  let prev = Number.NEGATIVE_INFINITY;
  for (const r of results) {
    const id = Number(r.id);
    if (!Number.isSafeInteger(id) || id <= prev) sorted = false;
    prev = id;
    // The range may have shrunk (split) while the request was in flight; ids past it belong to another lane.
    if (id >= to) beyond = true;
    if (!Number.isSafeInteger(id) || id < from || id >= to) continue;
    records.push(r);
    ids.push(id);
  }
  const full = results.length >= SEARCH_PAGE_SIZE;
  return { records, ids, more: ids.length > 0 && !beyond && (full || body.paging?.next !== undefined), full, sorted };
}
