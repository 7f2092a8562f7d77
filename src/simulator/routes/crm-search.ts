/** POST /crm/v3/objects/:type/search — HubSpot's limits, offsets, 10k cap, totals and index lag. */

import { sharedWriter } from "../byte-writer.js";
import { apiError, validationError } from "../errors.js";
import type { Portal } from "../portal.js";
import { type CompiledQuery, runSearch, SearchCache, type SortRule } from "../search.js";
import { type Filter, OPERATORS } from "../search-filter.js";
import type { SimRequest, SimResult, SimRoute } from "../types.js";
import { bodyList, encodeRecordTo, intParam, isResult, resolveType, responseProps } from "./crm-common.js";

interface SearchBody {
  filterGroups?: { filters?: Filter[] }[];
  filters?: Filter[];
  sorts?: unknown[];
  properties?: unknown;
  limit?: unknown;
  after?: unknown;
  query?: unknown;
}

const MAX_RESULTS = 10_000;

function parseSort(sorts: unknown[] | undefined): SortRule | SimResult {
  if (!sorts || sorts.length === 0) return { propertyName: "hs_object_id", direction: "ASCENDING" };
  if (sorts.length > 1) return validationError("Only one sort is allowed");
  const s = sorts[0];
  if (typeof s === "string") {
    return s.startsWith("-")
      ? { propertyName: s.slice(1), direction: "DESCENDING" }
      : { propertyName: s, direction: "ASCENDING" };
  }
  const o = (s ?? {}) as { propertyName?: string; direction?: string };
  if (!o.propertyName) return validationError("sorts[0].propertyName is required");
  return { propertyName: o.propertyName, direction: o.direction === "DESCENDING" ? "DESCENDING" : "ASCENDING" };
}

function search(portal: Portal, cache: SearchCache, req: SimRequest): SimResult {
  const td = resolveType(portal, req, req.params.type!);
  if (isResult(td)) return td;
  const body = (req.body ?? {}) as SearchBody;
  const groups = (body.filterGroups ?? []).map((g) => g?.filters ?? []);
  if (body.filters?.length) groups.push(body.filters);
  const nFilters = groups.reduce((a, g) => a + g.length, 0);
  if (groups.length > 5 || groups.some((g) => g.length > 6) || nFilters > 18) {
    return validationError(
      `Search request limits exceeded: up to 5 filterGroups with up to 6 filters each and 18 filters in total are allowed (got ${groups.length} groups, ${nFilters} filters).`,
      { subCategory: "SearchRequestLimits.TOO_MANY_FILTERS" },
    );
  }
  for (const g of groups) {
    for (const f of g) {
      const known = td.specByName.has(f?.propertyName) || /^associations\.\w+$/.test(f?.propertyName ?? "");
      if (!f || !OPERATORS.has(f.operator) || !known) {
        // HubSpot gives no hint which filter is wrong.
        return apiError(400, "VALIDATION_ERROR", "There was a problem with the request.");
      }
      if (/^associations\./.test(f.propertyName) && !portal.resolver.resolve(f.propertyName.slice(13))) {
        return apiError(400, "VALIDATION_ERROR", "There was a problem with the request.");
      }
    }
  }
  const query = typeof body.query === "string" ? body.query : undefined;
  if (query && query.length > 3000) return validationError("query must be at most 3000 characters");
  const limit = intParam(body.limit, 10);
  if (!(limit >= 0 && limit <= 200)) return validationError(`limit must be at most 200, got ${String(body.limit)}`);
  const after = intParam(body.after, 0);
  if (Number.isNaN(after) || after < 0) return validationError(`after must be an integer, got ${String(body.after)}`);
  if (after >= MAX_RESULTS || after + limit > MAX_RESULTS) {
    return validationError(
      `Search results are limited to ${MAX_RESULTS} total results; requested results ${after}-${after + limit}.`,
    );
  }
  const sort = parseSort(body.sorts);
  if (isResult(sort)) return sort;
  const q: CompiledQuery = { groups, sort, query };
  const visible = portal.searchVisible();
  const key = JSON.stringify([td.def.name, groups, sort, query ?? ""]) + "#" + portal.version;
  let hits = visible ? undefined : cache.get(key);
  if (!hits) {
    hits = runSearch(portal, td, q, visible);
    if (!visible) cache.set(key, hits);
  }
  const props = responseProps(td, bodyList(body.properties));
  const w = sharedWriter.reset();
  w.ascii(`{"total":${hits.length},"results":[`);
  for (let k = after; k < Math.min(hits.length, after + limit); k++) {
    const st = portal.state(td, hits[k]!, visible);
    if (k > after) w.byte(0x2c);
    encodeRecordTo(w, portal, td, { ...st, archived: false }, { props });
  }
  w.ascii("]");
  if (limit > 0 && after + limit < hits.length) w.ascii(`,"paging":{"next":{"after":"${after + limit}"}}`);
  w.ascii("}");
  return { status: 200, body: undefined, rawBytes: w.take() };
}

/** The search route (own 5/s budget, exempt from the ten-secondly bucket). */
export function crmSearchRoutes(portal: Portal): SimRoute[] {
  const cache = new SearchCache();
  return [
    {
      method: "POST",
      pattern: "/crm/v3/objects/:type/search",
      scopes: [],
      limit: "search",
      handle: (r) => search(portal, cache, r),
    },
  ];
}
