/**
 * Pure cores of the paginators: what a page request adds (query or body) for a cursor, and the next
 * cursor a response yields (undefined: that was the last page). No I/O; table-tested.
 */
import type { Paginator } from "./stream-def.js";
import type { QueryValue } from "./transport.js";

/** Where to continue: an `after` token or a v1 offset (opaque string or number). */
export type PageCursor = string | number;

/** The paging fields one request carries. */
export interface PageParams {
  query: Record<string, QueryValue>;
  body: Record<string, unknown>;
}

/** Value at a dotted path of a JSON body ("" = the body itself). */
export function valueAt(body: unknown, path: string): unknown {
  if (!path) return body;
  let v: unknown = body;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * The paging parameters of the request for `cursor` (undefined = first page).
 *
 * @example
 * pageParams({ kind: "offset", limit: 250, limitParam: "limit", hasMore: "hasMore" }, 500);
 * // { query: { limit: 250, offset: 500 }, body: {} }
 */
export function pageParams(p: Paginator, cursor: PageCursor | undefined): PageParams {
  switch (p.kind) {
    case "after":
      return { query: { limit: p.limit, after: cursor === undefined ? undefined : String(cursor) }, body: {} };
    case "offset":
      return {
        query: { [p.limitParam]: p.limit, offset: cursor === undefined ? undefined : String(cursor) },
        body: {},
      };
    case "post-offset":
      return { query: {}, body: { count: p.count, offset: cursor ?? 0 } };
    case "single":
      return { query: {}, body: {} };
  }
}

const present = (v: unknown): v is PageCursor =>
  (typeof v === "string" && v !== "") || (typeof v === "number" && Number.isFinite(v));

/**
 * The cursor of the page after this response, or undefined when there is none. A v1 offset that does not
 * move (same as the one sent) also stops, so a misbehaving endpoint cannot loop forever.
 *
 * @example
 * nextCursor({ kind: "after", limit: 100 }, { paging: { next: { after: "200" } } }, undefined); // "200"
 */
export function nextCursor(p: Paginator, body: unknown, sent: PageCursor | undefined): PageCursor | undefined {
  switch (p.kind) {
    case "after": {
      const next = valueAt(body, "paging.next.after");
      return present(next) ? next : undefined;
    }
    case "offset":
    case "post-offset": {
      const flag = p.kind === "offset" ? p.hasMore : "hasMore";
      if (valueAt(body, flag) !== true) return undefined;
      const next = valueAt(body, "offset");
      if (!present(next) || String(next) === String(sent)) return undefined;
      return next;
    }
    case "single":
      return undefined;
  }
}

/**
 * The records of a response: the array at `path`; when `path` is "" and the body is one object (e.g.
 * `/account-info/v3/details`), that object is the one record.
 */
export function extractRecords(body: unknown, path: string): Record<string, unknown>[] {
  const found = valueAt(body, path);
  if (Array.isArray(found)) return found.filter((r) => r !== null && typeof r === "object");
  if (path === "" && found !== null && typeof found === "object") return [found as Record<string, unknown>];
  return [];
}
