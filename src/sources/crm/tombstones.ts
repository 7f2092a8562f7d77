/**
 * Deletes as tombstones (the Airbyte CDC convention): records HubSpot archived (its recycle bin, kept 90 days,
 * read through the list endpoint with `archived=true` and filtered on `archivedAt` client-side) and records merged
 * away into another (listed in the survivor's `hs_merged_object_ids`) become one record each,
 * `{ id, archived: true, archivedAt, _ab_cdc_deleted_at }`, which Airbyte destinations apply as a delete.
 */
import { concat, defer, map, type Observable, of } from "rxjs";
import { cursorMillis } from "../../operators/filter-by-cursor.js";
import type { Page, Row } from "../page.js";
import type { Ready } from "../pull.js";
import { readBackfill } from "./backfill.js";
import type { CrmContext } from "./context.js";
import { IdSpace } from "./id-space.js";

export const DELETED_AT = "_ab_cdc_deleted_at";

/** Where the archived read stopped: the newest `archivedAt` delivered and the ids archived in that millisecond. */
export interface ArchiveCursor {
  archivedAt?: string;
  archivedIds?: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The tombstone of a deleted record. */
export function tombstone(id: string, deletedAtMs: number): Row {
  const at = iso(deletedAtMs);
  return { id, archived: true, archivedAt: at, [DELETED_AT]: at };
}

/**
 * The tombstones of one page of archived records, given the cursor (pure): a record archived after it, or in its
 * very millisecond but not yet delivered then; `floorMs` (cursor − lookback, or the start date) bounds the rest.
 */
export function archivedTombstones(records: readonly Row[], cursor: ArchiveCursor, floorMs: number): Row[] {
  const atMs = cursorMillis(cursor.archivedAt);
  const seenAt = new Set(cursor.archivedIds ?? []);
  const out: Row[] = [];
  for (const r of records) {
    const ms = cursorMillis(r.archivedAt);
    if (ms === undefined || ms < floorMs) continue;
    if (atMs !== undefined && ms === atMs && seenAt.has(String(r.id))) continue;
    out.push(tombstone(String(r.id), ms));
  }
  return out;
}

/** The cursor after delivering `tombstones` on top of `cursor` (pure). */
export function advanceArchiveCursor(cursor: ArchiveCursor, tombstones: readonly Row[]): ArchiveCursor {
  let atMs = cursorMillis(cursor.archivedAt);
  let ids = new Set(cursor.archivedIds ?? []);
  for (const t of tombstones) {
    const ms = cursorMillis(t.archivedAt) as number;
    if (atMs === undefined || ms > atMs) {
      atMs = ms;
      ids = new Set([String(t.id)]);
    } else if (ms === atMs) ids.add(String(t.id));
  }
  return atMs === undefined ? {} : { archivedAt: iso(atMs), archivedIds: [...ids].sort() };
}

/**
 * Every record of the recycle bin archived since the cursor (minus `lookbackMs`), as tombstones. The bin is read
 * like any list: split over id ranges when it is large (`maxId` from the live read's probe). The cursor is
 * checkpointed only once the whole bin was read (it is in id order, not archive order), by a last empty page.
 */
export function readArchivedTombstones(
  ctx: CrmContext,
  ready: Ready,
  cursor: ArchiveCursor,
  o: {
    startDate: number;
    lookbackMs: number;
    maxId?: number;
    stateOf: (c: ArchiveCursor) => Record<string, unknown> | undefined;
    /**
     * A first read (no cursor yet) is a snapshot: only records it delivered alive and that were archived after
     * `floorMs` (the newest change seen before it began) are its deletes; the cursor starts past the whole bin.
     */
    first?: { floorMs: number; delivered: (id: string) => boolean };
  },
): Observable<Page> {
  return defer(() => {
    const atMs = cursorMillis(cursor.archivedAt);
    const floorMs = atMs === undefined ? o.startDate : Math.max(o.startDate, atMs - o.lookbackMs);
    const from: ArchiveCursor = o.lookbackMs > 0 ? { archivedAt: cursor.archivedAt } : cursor;
    const first = atMs === undefined ? o.first : undefined;
    const bin: CrmContext = {
      ...ctx,
      source: { ...ctx.source, archived: true, associations: [] },
      names: ["hs_object_id"],
      chunks: [["hs_object_id"]],
    };
    const space = new IdSpace();
    space.maxId = o.maxId;
    let next = cursor;
    // The bin is a small share of the records: a few lanes read it quickly without many short pages.
    const pages = readBackfill(bin, ready, { space, search: false, maxLanes: 4 }, {}).pipe(
      map((page): Page => {
        let rows = archivedTombstones(page.records, from, first ? first.floorMs : floorMs);
        if (first) {
          next = advanceArchiveCursor(next, archivedTombstones(page.records, {}, Number.NEGATIVE_INFINITY));
          rows = rows.filter((t) => first.delivered(String(t.id)));
        } else next = advanceArchiveCursor(next, rows);
        const state = o.stateOf(cursor);
        return { stream: ctx.stream, records: rows, ...(state ? { state } : {}) };
      }),
    );
    const done = defer(() => {
      const state = o.stateOf(next);
      return of<Page>({ stream: ctx.stream, records: [], ...(state ? { state } : {}) });
    });
    return concat(pages, done);
  });
}

/**
 * Tombstones for ids merged away into the page's records (`hs_merged_object_ids`, semicolon-separated), each once:
 * `delivered` holds the merged ids tombstoned by earlier pages and runs, and is updated (pure but for that set).
 * A survivor last modified before `fromMs` was merged before a first read's snapshot: its merged ids join
 * `delivered` without a tombstone.
 */
export function mergedTombstones(
  records: readonly Row[],
  delivered: Set<string>,
  fromMs = Number.NEGATIVE_INFINITY,
): Row[] {
  const out: Row[] = [];
  for (const r of records) {
    const raw = (r.properties as Record<string, unknown> | undefined)?.hs_merged_object_ids;
    if (typeof raw !== "string" || raw === "") continue;
    const at = cursorMillis(r.updatedAt) ?? cursorMillis((r.properties as Record<string, unknown>).hs_lastmodifieddate);
    if (at === undefined) continue;
    for (const part of raw.split(";")) {
      const id = part.trim();
      if (!/^\d+$/.test(id) || id === String(r.id) || delivered.has(id)) continue;
      delivered.add(id);
      if (at >= fromMs) out.push(tombstone(id, at));
    }
  }
  return out;
}
