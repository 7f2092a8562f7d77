/**
 * Lists v3 (ILS): `POST /crm/v3/lists/search` (offset/count paging with `total`) and
 * `GET /crm/v3/lists/:listId/memberships` (cursor paging, ascending record ids, `before` reverses).
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import { decodeCursor, encodeCursor, errorResult, hashTag, intParam, iso } from "./extra-common.js";
import { findList, type ListInfo, lastAddedAt, listAt, listCount, memberAt } from "./lists-catalog.js";

/** Additional properties HubSpot returns when the request names none (SPEC defaults). */
const DEFAULT_ADDITIONAL = [
  "hs_list_size",
  "hs_last_record_added_at",
  "hs_last_record_removed_at",
  "hs_folder_name",
  "hs_list_reference_count",
];

/** The requested additional properties that have a value; HubSpot leaves unset ones out rather than null. */
function additional(list: ListInfo, names: string[]): Record<string, string> {
  const all: Record<string, string | null> = {
    hs_list_size: String(list.size),
    hs_last_record_added_at: String(lastAddedAt(list)),
    hs_last_record_removed_at: list.processingType === "DYNAMIC" ? String(list.updatedAt) : null,
    hs_folder_name: list.index % 4 === 0 ? "Campaigns" : null,
    hs_list_reference_count: String(list.index % 3),
  };
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = all[name];
    if (v !== null && v !== undefined) out[name] = v;
  }
  return out;
}

/** A list as the v3 search returns it. */
export function ilsList(list: ListInfo, names: string[] = DEFAULT_ADDITIONAL) {
  return {
    listId: list.listId,
    listVersion: 1 + (list.index % 5),
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingType: list.processingType,
    processingStatus: "COMPLETE",
    createdAt: iso(list.createdAt),
    updatedAt: iso(list.updatedAt),
    ...(list.processingType === "DYNAMIC" ? { filtersUpdatedAt: iso(list.updatedAt) } : {}),
    createdById: "10000000",
    updatedById: "10000000",
    additionalProperties: additional(list, names),
  };
}

const asStrings = (v: unknown): string[] | undefined =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === "string" || typeof x === "number").map(String)
    : undefined;

function search(req: SimRequest, portal: PortalView): SimResult {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const count = Math.min(500, Math.max(1, Math.trunc(Number(body.count ?? 20)) || 20));
  const start = Math.max(0, Math.trunc(Number(body.offset ?? 0)) || 0);
  const query = typeof body.query === "string" ? body.query.toLowerCase() : "";
  const types = asStrings(body.processingTypes);
  const ids = asStrings(body.listIds);
  const objectTypeId = typeof body.objectTypeId === "string" ? body.objectTypeId : undefined;
  const names = [...new Set([...DEFAULT_ADDITIONAL, ...(asStrings(body.additionalProperties) ?? [])])];
  const matching: ListInfo[] = [];
  const n = listCount(portal);
  for (let k = 0; k < n; k++) {
    const list = listAt(portal, k);
    if (query && !list.name.toLowerCase().includes(query)) continue;
    if (types?.length && !types.includes(list.processingType)) continue;
    if (ids?.length && !ids.includes(list.listId)) continue;
    if (objectTypeId && objectTypeId !== list.objectTypeId) continue;
    matching.push(list);
  }
  const lists = matching.slice(start, start + count).map((l) => ilsList(l, names));
  const offset = start + lists.length;
  return { status: 200, body: { lists, hasMore: offset < matching.length, offset, total: matching.length } };
}

function memberships(req: SimRequest, portal: PortalView): SimResult {
  const listId = req.params.listId ?? "";
  const list = findList(portal, listId);
  if (!list) return errorResult(req, portal, 404, "OBJECT_NOT_FOUND", `List ${listId} does not exist`);
  const limit = intParam(req.query, "limit", 100, 250);
  const fingerprint = hashTag(`memberships:${listId}`);
  const after = req.query.get("after");
  const before = req.query.get("before");
  const decode = (c: string) => decodeCursor(c, fingerprint);
  const row = (m: number) => {
    const { recordId, at } = memberAt(portal, list, m);
    return { recordId, membershipTimestamp: iso(at) };
  };
  if (before && !after) {
    // Only `before`: walk backwards, newest record ids first.
    const end = decode(before);
    if (end === undefined || end > list.size)
      return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid before cursor");
    const from = Math.max(0, end - limit);
    const results = [];
    for (let m = end - 1; m >= from; m--) results.push(row(m));
    const paging = from > 0 ? { paging: { prev: { before: encodeCursor(from, fingerprint) } } } : {};
    return { status: 200, body: { results, ...paging, total: list.size } };
  }
  const start = after ? decode(after) : 0;
  if (start === undefined || start > list.size)
    return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid after cursor");
  const results = [];
  for (let m = start; m < Math.min(list.size, start + limit); m++) results.push(row(m));
  const next = start + limit;
  const paging = next < list.size ? { paging: { next: { after: encodeCursor(next, fingerprint) } } } : {};
  return { status: 200, body: { results, ...paging, total: list.size } };
}

/** ILS list routes (scope `crm.lists.read`). */
export const ilsListRoutes: SimRoute[] = [
  { method: "POST", pattern: "/crm/v3/lists/search", scopes: ["crm.lists.read"], handle: search },
  { method: "GET", pattern: "/crm/v3/lists/:listId/memberships", scopes: ["crm.lists.read"], handle: memberships },
];
