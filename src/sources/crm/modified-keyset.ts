import type { Row } from "../page.js";

/**
 * Keyset paging over HubSpot's CRM search, so that the 10,000-result cap is never reached and
 * nothing is lost when records change while we read.
 *
 * `range`: ask for `modified >= lo` sorted ascending, first page only (no `after` offset, which shifts
 * when records change and stops at 10,000); the next query starts at the last page's last timestamp,
 * skipping the ids already emitted at exactly that millisecond.
 * `drain`: when a whole page shares one millisecond (bulk updates), walk that millisecond by
 * `hs_object_id > afterId` sorted by id (numeric on HubSpot), then continue the range after it.
 */
export type SearchCursor =
  | { mode: "range"; lo: number; seenAtLo: readonly string[] }
  | { mode: "drain"; at: number; afterId: string }
  /** Fallback for a server that ignores the sort: plain offset paging of `modified >= lo`. */
  | { mode: "offset"; lo: number; after: number };

export interface SearchStep {
  /** Records of the page that were not already emitted. */
  fresh: Row[];
  /** Where to continue, or undefined when the read is complete. */
  next?: SearchCursor;
  /** Newest modification time among the page's records (epoch ms), if any. */
  maxModified?: number;
}

export const SEARCH_PAGE_SIZE = 200;

/** Epoch ms of a record's last modification, from the search property or `updatedAt`. */
export function modifiedMillis(row: Row, property: string): number {
  const props = row.properties as Record<string, unknown> | undefined;
  const raw = props?.[property] ?? row.updatedAt;
  if (typeof raw === "number") return raw;
  if (typeof raw === "string") {
    if (/^\d+$/.test(raw)) return Number(raw);
    const ms = Date.parse(raw);
    if (Number.isFinite(ms)) return ms;
  }
  return Number.NaN;
}

/** The search body for a cursor position. */
export function searchBody(cursor: SearchCursor, property: string, properties: readonly string[], limit: number) {
  if (cursor.mode !== "drain") {
    return {
      filterGroups: [{ filters: [{ propertyName: property, operator: "GTE", value: String(cursor.lo) }] }],
      sorts: [{ propertyName: property, direction: "ASCENDING" }],
      properties,
      limit,
      ...(cursor.mode === "offset" ? { after: String(cursor.after) } : {}),
    };
  }
  return {
    filterGroups: [
      {
        filters: [
          { propertyName: property, operator: "EQ", value: String(cursor.at) },
          { propertyName: "hs_object_id", operator: "GT", value: cursor.afterId },
        ],
      },
    ],
    sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }],
    properties,
    limit,
  };
}

/** Whether the rows come sorted by modification time, as requested. */
function ascending(results: readonly Row[], property: string): boolean {
  let prev = Number.NEGATIVE_INFINITY;
  for (const r of results) {
    const m = modifiedMillis(r, property);
    if (!Number.isFinite(m) || m < prev) return false;
    prev = m;
  }
  return true;
}

/**
 * Decide what a page means and where to go next (pure; table-tested). `hasNext` is HubSpot's
 * `paging.next` presence: more results exist even when the server pages by fewer than `limit`.
 */
export function stepSearch(
  cursor: SearchCursor,
  results: readonly Row[],
  property: string,
  limit: number,
  hasNext = false,
): SearchStep {
  let maxModified: number | undefined;
  for (const r of results) {
    const m = modifiedMillis(r, property);
    if (Number.isFinite(m) && (maxModified === undefined || m > maxModified)) maxModified = m;
  }
  const full = results.length > 0 && (results.length >= limit || hasNext);
  if (cursor.mode === "offset") {
    // HubSpot refuses offsets past 10,000; a server that cannot sort leaves no exact way beyond it.
    const after = cursor.after + results.length;
    return { fresh: [...results], next: full && after < 10_000 ? { ...cursor, after } : undefined, maxModified };
  }
  if (cursor.mode === "drain") {
    const last = results[results.length - 1];
    const next: SearchCursor | undefined =
      full && last
        ? { mode: "drain", at: cursor.at, afterId: String(last.id) }
        : { mode: "range", lo: cursor.at + 1, seenAtLo: [] };
    return { fresh: [...results], next, maxModified };
  }
  const seen = new Set(cursor.seenAtLo);
  const fresh = results.filter((r) => !(seen.has(String(r.id)) && modifiedMillis(r, property) === cursor.lo));
  if (!ascending(results, property)) {
    // The server ignored the sort: keyset paging would skip records, so page by offset instead.
    const next: SearchCursor | undefined = full ? { mode: "offset", lo: cursor.lo, after: results.length } : undefined;
    return { fresh: [...results], next, maxModified };
  }
  if (!full) return { fresh, maxModified };
  const lastAt = modifiedMillis(results[results.length - 1] as Row, property);
  if (!Number.isFinite(lastAt) || lastAt <= cursor.lo) {
    return { fresh, next: { mode: "drain", at: cursor.lo, afterId: "0" }, maxModified };
  }
  const seenAtLast = results.filter((r) => modifiedMillis(r, property) === lastAt).map((r) => String(r.id));
  return { fresh, next: { mode: "range", lo: lastAt, seenAtLo: seenAtLast }, maxModified };
}

/** Lowest modification time a cursor still has to read. */
export function cursorStart(cursor: SearchCursor): number {
  return cursor.mode === "drain" ? cursor.at : cursor.lo;
}

/** The resumable state after a page: where the next read must start (at-least-once). */
export function searchCheckpoint(
  next: SearchCursor | undefined,
  newest: number,
): { updatedAt: string; drainAfterId?: string } {
  if (!next) return { updatedAt: new Date(newest).toISOString() };
  if (next.mode === "drain") return { updatedAt: new Date(next.at).toISOString(), drainAfterId: next.afterId };
  return { updatedAt: new Date(next.lo).toISOString() };
}
