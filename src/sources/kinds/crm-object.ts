/**
 * The `crm-object` source kind: a HubSpot CRM object (contacts, deals, engagements, custom objects…) read through
 * its v3 list and search endpoints and v4 association batch reads.
 *
 * - Full refresh, and an incremental read whose changed window is large: the work scheduler (backfill.ts) reads the
 *   whole id line through both budgets at once; when search helped, a catch-up search for what changed meanwhile
 *   follows (search may lag behind the list by seconds).
 * - Incremental with a small window: keyset search on the modification time (modified-keyset.ts).
 * - Incremental deletes: the recycle bin's records archived since the saved cursor, and ids merged away, as
 *   tombstones (tombstones.ts), after the live records.
 * Which path runs is decided by `readsEverything` (pure) from one-result search probes and the budgets' limits as the
 * server announced them.
 */
import { concat, concatMap, defer, EMPTY, map, type Observable, tap, timer } from "rxjs";
import { cursorMillis } from "../../operators/filter-by-cursor.js";
import { trackState } from "../../operators/track-state.js";
import { type BackfillReport, crmReadTuning, readBackfill } from "../crm/backfill.js";
import { type CrmContext, pagesPerMs } from "../crm/context.js";
import { IdSpace, type SavedRange } from "../crm/id-space.js";
import type { ListCursorCodec } from "../crm/list-cursor.js";
import { LIST_PAGE_SIZE } from "../crm/list-page.js";
import { SEARCH_PAGE_SIZE } from "../crm/modified-keyset.js";
import { type Probe, probeObject } from "../crm/probe.js";
import { readModifiedSince } from "../crm/search-since.js";
import { SeenIds } from "../crm/seen-ids.js";
import { type ArchiveCursor, mergedTombstones, readArchivedTombstones } from "../crm/tombstones.js";
import type { Page, Row, StreamState } from "../page.js";
import { PageSequence } from "../page-sequence.js";
import { chunkProperties, type PropertyCatalog } from "../properties.js";
import type { Ready } from "../pull.js";
import type { SyncMode } from "../stream-def.js";

/** Server-side incremental state of a CRM object stream. */
export interface CrmState extends StreamState {
  /** Every record modified before this instant was delivered (ISO-8601). */
  updatedAt?: string;
  /** Mid-drain of a millisecond shared by more than a page of records: ids up to this one were delivered. */
  drainAfterId?: string;
  /** A read of the whole id line in progress: the ranges left (or the list's opaque cursor); then `cutoff`. */
  backfill?: { cutoff: string; ranges?: SavedRange[]; after?: string; codec?: ListCursorCodec };
  /** Tombstones of archived records were delivered up to here (and for these ids in its millisecond). */
  archivedAt?: string;
  archivedIds?: string[];
  /** Ids merged away whose tombstones were delivered. */
  mergedIds?: string[];
}

export interface CrmReadOptions {
  syncMode: SyncMode;
  state?: CrmState;
  /** Epoch ms: nothing modified before it is read. */
  startDate: number;
  lookbackMs: number;
  /** Tombstones for deletes in incremental reads (default true). */
  emitDeletes?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Records per second the two budgets give at their current limits (list pages of 100, search pages of 200). */
function rates(ctx: CrmContext): { list: number; search: number } {
  return {
    list: pagesPerMs(ctx, "list") * 1000 * LIST_PAGE_SIZE,
    search: pagesPerMs(ctx, "search") * 1000 * SEARCH_PAGE_SIZE,
  };
}

/**
 * Reading the changed window through search alone, or every record through both budgets (and dropping the
 * unchanged): whichever ends sooner at the announced limits (pure).
 */
export function readsEverything(probe: Probe, r: { list: number; search: number }): boolean {
  return probe.all / (r.list + r.search) < probe.window / r.search;
}

export function readCrmObject(
  base: Omit<CrmContext, "names" | "chunks">,
  properties: PropertyCatalog,
  ready: Ready,
  o: CrmReadOptions,
): Observable<Page> {
  return properties.of(base.source.objectType).pipe(
    concatMap((defs) => {
      const names = defs.map((d) => d.name);
      const ctx: CrmContext = { ...base, names, chunks: chunkProperties(names) };
      if (ctx.source.archived) return readArchivedRecords(ctx, ready);
      if (o.syncMode === "full_refresh") return readFullRefresh(ctx, ready);
      return readIncremental(ctx, ready, o);
    }),
  );
}

/** deals_archived: the recycle bin itself, through one list pager (client-side incremental on `archivedAt`). */
function readArchivedRecords(ctx: CrmContext, ready: Ready): Observable<Page> {
  return readBackfill(ctx, ready, { space: new IdSpace(), search: false }, {});
}

/** Every live record, through both budgets; then what changed while search read its ranges. */
function readFullRefresh(ctx: CrmContext, ready: Ready): Observable<Page> {
  return probeObject(ctx.transport, ctx.source.objectType, ctx.source.modifiedProperty).pipe(
    concatMap((probe) => {
      const seq = new PageSequence(ready);
      const space = new IdSpace();
      space.maxId = probe?.maxId;
      const report = catchUpReport(probe?.newest);
      return concat(
        seq.run((r) => readBackfill(ctx, r, { space, search: !!probe, total: probe?.all }, report)),
        seq.run((r) => catchUp(ctx, r, probe?.newest, report, () => undefined)),
      );
    }),
  );
}

/** The catch-up reads from `sinceMs` − settle; the read remembers what it delivered from there on. */
function catchUpReport(sinceMs: number | undefined): BackfillReport {
  return sinceMs === undefined ? {} : { recentFrom: sinceMs - crmReadTuning.searchSettleMs };
}

/**
 * Search may lag behind the list: a record changed seconds before its id range was searched can be missing from
 * that answer. Once the read is done, and no sooner than `searchSettleMs` after the last range search, everything
 * modified since the read began (minus that margin) is read again through search.
 */
function catchUp(
  ctx: CrmContext,
  ready: Ready,
  sinceMs: number | undefined,
  report: BackfillReport,
  stateOf: () => Record<string, unknown> | undefined,
): Observable<Page> {
  return defer(() => {
    if (report.lastSearchAt === undefined || sinceMs === undefined) return EMPTY;
    const settle = crmReadTuning.searchSettleMs;
    const wait = Math.max(0, report.lastSearchAt + settle - ctx.scheduler.now());
    const lo = sinceMs - settle;
    return timer(wait, ctx.scheduler).pipe(
      concatMap(() =>
        readModifiedSince(ctx, ready, { mode: "range", lo, seenAtLo: [] }, { stateOf, delivered: report.recent }),
      ),
    );
  });
}

function readIncremental(ctx: CrmContext, ready: Ready, o: CrmReadOptions): Observable<Page> {
  const saved = o.state ?? {};
  const seq = new PageSequence(ready);
  const deletes = o.emitDeletes ?? true;
  const merged = new Set(saved.mergedIds ?? []);
  // A first read is a snapshot: merges older than its cutoff (learnt from the probe) are not its deletes.
  const first = saved.updatedAt === undefined && !saved.backfill;
  const mergedFrom = { ms: first ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY };
  const cutoff = { ms: o.startDate };
  let maxId: number | undefined;
  let archive: ArchiveCursor = { archivedAt: saved.archivedAt, archivedIds: saved.archivedIds };
  let live: CrmState = {};
  /** The full state of a page: the live read's position plus the deletes' cursors. */
  const full = (liveState: CrmState): CrmState => {
    live = liveState;
    const out: CrmState = { ...liveState };
    if (archive.archivedAt !== undefined) {
      out.archivedAt = archive.archivedAt;
      out.archivedIds = archive.archivedIds ?? [];
    }
    if (merged.size) out.mergedIds = [...merged].sort();
    return out;
  };
  const withMerged = (pages: Observable<Page>): Observable<Page> =>
    deletes
      ? pages.pipe(
          map((page) => {
            const gone = mergedTombstones(page.records, merged, mergedFrom.ms);
            if (!gone.length) return page;
            const records: Row[] = [...page.records, ...gone];
            return { ...page, records, ...(page.state ? { state: full(live) } : {}) };
          }),
        )
      : pages;

  // A first incremental read is a snapshot: its deletes are the records it delivered alive, archived since.
  const seen = deletes && saved.archivedAt === undefined ? new SeenIds(1_000_000) : undefined;
  const remember = (pages: Observable<Page>): Observable<Page> =>
    seen
      ? pages.pipe(
          tap((page) => {
            for (const r of page.records) seen.add(String(r.id));
          }),
        )
      : pages;
  const livePhase = withMerged(
    remember(
      readLive(ctx, seq, saved, o, full, (probe) => {
        if (first) mergedFrom.ms = probe.cutoffMs;
        cutoff.ms = probe.cutoffMs;
        maxId = probe.maxId;
      }),
    ),
  );
  const deletesPhase = defer(() =>
    deletes
      ? seq.run((r) =>
          readArchivedTombstones(ctx, r, archive, {
            startDate: o.startDate,
            lookbackMs: o.lookbackMs,
            maxId,
            stateOf: (c) => {
              archive = c;
              return full(live);
            },
            first: seen ? { floorMs: cutoff.ms, delivered: (id) => seen.has(id) } : undefined,
          }),
        )
      : EMPTY,
  );
  return concat(livePhase, deletesPhase);
}

/** The live records of an incremental read, each page's state built by `full` from the live position. */
function readLive(
  ctx: CrmContext,
  seq: PageSequence,
  saved: CrmState,
  o: CrmReadOptions,
  full: (s: CrmState) => CrmState,
  onProbe: (p: { cutoffMs: number; maxId?: number }) => void,
): Observable<Page> {
  if (saved.backfill) return resumeBackfill(ctx, seq, saved.backfill, full);
  const cursorMs = cursorMillis(saved.updatedAt);
  if (cursorMs !== undefined && saved.drainAfterId && o.lookbackMs === 0) {
    const from = { mode: "drain" as const, at: cursorMs, afterId: saved.drainAfterId };
    return seq.run((r) => readModifiedSince(ctx, r, from, { stateOf: (c) => full(c) }));
  }
  const lo = cursorMs === undefined ? o.startDate : Math.max(o.startDate, cursorMs - o.lookbackMs);
  return probeObject(ctx.transport, ctx.source.objectType, ctx.source.modifiedProperty, lo).pipe(
    concatMap((probe) => {
      onProbe({ cutoffMs: probe?.newest ?? lo, maxId: probe?.maxId });
      if (!probe) return seq.run((r) => readClientSide(ctx, r, lo, full));
      if (!readsEverything(probe, rates(ctx))) {
        const from = { mode: "range" as const, lo, seenAtLo: [] };
        return seq.run((r) => readModifiedSince(ctx, r, from, { stateOf: (c) => full(c), total: probe.window }));
      }
      // The cursor after this read: the newest change seen BEFORE it began, so nothing changed during it is missed.
      const cutoff = iso(probe.newest ?? lo);
      const space = new IdSpace();
      space.maxId = probe.maxId;
      return backfillThenCatchUp(ctx, seq, space, { cutoff, minModified: lo, total: probe.all }, full);
    }),
  );
}

function backfillThenCatchUp(
  ctx: CrmContext,
  seq: PageSequence,
  space: IdSpace,
  p: {
    cutoff: string;
    minModified?: number;
    total?: number;
    codec?: ListCursorCodec | null;
    after?: string;
    search?: boolean;
  },
  full: (s: CrmState) => CrmState,
): Observable<Page> {
  const report = catchUpReport(cursorMillis(p.cutoff));
  const stateOf = (left: { ranges?: SavedRange[]; after?: string; codec?: ListCursorCodec }): CrmState => {
    const open = left.ranges ? left.ranges.length > 0 : left.after !== undefined;
    return full(open ? { backfill: { cutoff: p.cutoff, ...left } } : { updatedAt: p.cutoff });
  };
  return concat(
    seq.run((r) =>
      readBackfill(
        ctx,
        r,
        {
          space,
          search: p.search ?? true,
          codec: p.codec,
          after: p.after,
          minModified: p.minModified,
          total: p.total,
          stateOf,
        },
        report,
      ),
    ),
    seq.run((r) => catchUp(ctx, r, cursorMillis(p.cutoff), report, () => full({ updatedAt: p.cutoff }))),
  );
}

/** A backfill killed midway: the ranges it had left (or its list cursor), then the catch-up. */
function resumeBackfill(
  ctx: CrmContext,
  seq: PageSequence,
  saved: NonNullable<CrmState["backfill"]>,
  full: (s: CrmState) => CrmState,
): Observable<Page> {
  if (saved.ranges) {
    const space = IdSpace.fromSaved(saved.ranges);
    return probeObject(ctx.transport, ctx.source.objectType, ctx.source.modifiedProperty).pipe(
      concatMap((probe) => {
        space.maxId = probe?.maxId;
        // An earlier run learnt the cursor's form (states from before it saved one wrote plain ids).
        const codec = saved.codec ?? "id";
        return backfillThenCatchUp(ctx, seq, space, { cutoff: saved.cutoff, codec, search: !!probe }, full);
      }),
    );
  }
  return backfillThenCatchUp(
    ctx,
    seq,
    new IdSpace(),
    { cutoff: saved.cutoff, codec: null, after: saved.after, search: false },
    full,
  );
}

/**
 * An object whose search is refused: every record through the list, those modified before the cursor dropped;
 * the cursor advances only once the whole list was read (it is in id order, not modification order).
 */
function readClientSide(ctx: CrmContext, ready: Ready, lo: number, full: (s: CrmState) => CrmState): Observable<Page> {
  ctx.warn(`${ctx.stream}: search is not available; reading the full list instead`);
  return readBackfill(ctx, ready, { space: new IdSpace(), search: false, minModified: lo }, {}).pipe(
    trackState({ cursorField: "updatedAt", start: iso(lo), stream: ctx.stream }),
    map((page) => (page.state ? { ...page, state: full(page.state) } : page)),
  );
}
