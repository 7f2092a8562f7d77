/**
 * The CRM work scheduler's driver: reads every record of a CRM object by handing ranges of its id line (IdSpace)
 * to whichever HubSpot budget has room — list pagers on the 10-s budget (100 records a request) and keyset search
 * pagers on the search budget (200 a request) — each lane a `pullPages` loop, all merged into one stream of pages.
 *
 * A lane asks for its next page only once the sink took every page the read emitted up to its previous one, so a
 * slow sink keeps one page in flight per lane, and lanes are added only while fetching, not the sink, is what the
 * read waits on (a slow sink keeps one lane). Lanes per budget are sized from the measured page cycle (Little's
 * law: rate × cycle) and added only while that budget has no request queued, so budgets shared with other streams
 * are not over-subscribed.
 */
import {
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  ignoreElements,
  map,
  merge,
  mergeAll,
  type Observable,
  of,
  Subject,
  take,
  tap,
} from "rxjs";
import type { Page, Row } from "../page.js";
import { pullPages, type Ready, type Step } from "../pull.js";
import { associationsOf, type CrmContext, pagesPerMs, requestsPerPage } from "./context.js";
import type { IdSpace, Lane, LaneKind, SavedRange } from "./id-space.js";
import { detectCodec, encodeCursor, type ListCursorCodec } from "./list-cursor.js";
import { fetchListPage, LIST_PAGE_SIZE } from "./list-page.js";
import { modifiedMillis } from "./modified-keyset.js";
import { searchRefused } from "./probe.js";
import { parseRangePage, rangeSearchRequest, type SearchBody } from "./search-range.js";

/** Engine levers (the bench varies them in-process). */
export const crmReadTuning = {
  /** Most list pagers one object's read runs at once. */
  listChainsPerStream: 16,
  /** Most search pagers one object's read runs at once. */
  searchChainsPerStream: 8,
  /** A range is split only when it holds at least this many list pages. */
  minPagesToSplit: 4,
  /**
   * Search reads ranges only while the list alone would need longer than this to finish, so the read ends at
   * least this long after search's last answer: what HubSpot's search index may lag behind (see the catch-up).
   */
  searchSettleMs: 3_000,
  /**
   * Lanes = rate × page cycle × this. 1 measured best (bench/README.md, "Ceiling ratio"): more lanes queue at the
   * budget and every extra split costs a short page.
   */
  laneHeadroom: 1,
};

export interface BackfillPlan {
  space: IdSpace;
  /** Search lanes allowed (search answered the probe for this object). */
  search: boolean;
  /** How the list pages by id (known from an earlier run; `null`: it does not); else learnt from page 1. */
  codec?: ListCursorCodec | null;
  /** The opaque list cursor of a resumed read whose ids did not page by id. */
  after?: string;
  /** Drop records modified before this (epoch ms): an incremental read that chose to read everything. */
  minModified?: number;
  /** Records HubSpot counts for the object (progress). */
  total?: number;
  /** At most this many list lanes (a small read gains little from splits, each of which costs a short page). */
  maxLanes?: number;
  /** The state each page carries: the ranges left (or the opaque cursor); undefined in full refresh. */
  stateOf?: (left: {
    ranges?: SavedRange[];
    after?: string;
    codec?: ListCursorCodec;
  }) => Record<string, unknown> | undefined;
}

/** What the read did, for the catch-up that follows it. */
export interface BackfillReport {
  /** Scheduler time of the last answer to a range search (undefined: search read nothing). */
  lastSearchAt?: number;
  /** Records modified at or after this (epoch ms) are remembered in `recent`… */
  recentFrom?: number;
  /** …as id → modification time delivered, so the catch-up does not deliver the same version twice. */
  recent?: Map<string, number>;
}

/**
 * How the list endpoint pages, from its first page: by id when its records come in ascending numeric id order and
 * its `after` names a number above the page's last id in a form we can write ourselves (list-cursor.ts). Only then
 * may a pager start at an id of its choosing: a cursor above the last id served must include the id it names, or
 * the endpoint's own paging would skip that id. Undefined: it does not page by id (one pager reads it all).
 */
export function listPaging(records: readonly Row[], after: string | undefined): ListCursorCodec | undefined {
  let prev = -1;
  for (const r of records) {
    const id = Number(r.id);
    if (!Number.isSafeInteger(id) || id <= prev) return undefined;
    prev = id;
  }
  // The only page: nothing to split, any form will do.
  return after === undefined ? "id" : detectCodec(prev, after);
}

/** An exponentially weighted mean, seeded with a guess. */
class Mean {
  constructor(private value: number) {}
  add(x: number): void {
    this.value = 0.8 * this.value + 0.2 * x;
  }
  get(): number {
    return this.value;
  }
}

export function readBackfill(
  ctx: CrmContext,
  ready: Ready,
  plan: BackfillPlan,
  report: BackfillReport,
): Observable<Page> {
  return defer(() => {
    const { transport, scheduler } = ctx;
    const { space } = plan;
    const now = () => scheduler.now();
    const lanes$ = new Subject<Observable<Page>>();
    const active: Record<LaneKind, number> = { list: 0, search: 0 };
    const cycle: Record<LaneKind, Mean> = { list: new Mean(400), search: new Mean(600) };
    const timing = { fetchMs: 0, fetches: 0, sinkMs: 0, waits: 0 };
    const withAssociations = associationsOf(ctx, new Set());
    let codec = plan.codec;
    let searchOn = plan.search;
    let emitted = 0;
    let delivered = 0;
    let finished = false;

    const budgetOf = (kind: LaneKind) => transport.budgets[kind === "list" ? "standard" : "search"];
    const capOf = (kind: LaneKind) => {
      const needed = Math.ceil(pagesPerMs(ctx, kind) * cycle[kind].get() * crmReadTuning.laneHeadroom);
      const hard =
        kind === "list"
          ? Math.min(plan.maxLanes ?? Number.POSITIVE_INFINITY, crmReadTuning.listChainsPerStream)
          : crmReadTuning.searchChainsPerStream;
      return Math.min(hard, Math.max(1, needed));
    };
    const sinkKeepsUp = () =>
      timing.fetches > 0 && timing.waits > 0 && timing.sinkMs / timing.waits < timing.fetchMs / timing.fetches;
    /** Records left: HubSpot's count less what was read beats the id-density estimate (ids are spread unevenly). */
    const recordsLeft = () => (plan.total !== undefined ? Math.max(0, plan.total - delivered) : space.totalRemaining());
    /** Ms the list alone needs for what is left, at what its rolling window still grants. */
    const listEtaMs = () => budgetOf("list").etaMs((recordsLeft() / LIST_PAGE_SIZE) * requestsPerPage(ctx, "list"));
    // Search keeps reading while the list alone would need longer than the settle time: then the read ends at
    // least that long after search's last answer, and the catch-up need not wait.
    const searchWorthIt = () => searchOn && listEtaMs() > crmReadTuning.searchSettleMs;

    const stateNow = (): Record<string, unknown> | undefined => {
      if (!plan.stateOf) return undefined;
      if (!codec) {
        const opening = space.lanes[0];
        return plan.stateOf(opening && !opening.done ? { after: opening.after } : {});
      }
      return plan.stateOf({ ranges: space.snapshot(), codec });
    };

    const pageOf = (records: Row[]): Page => {
      const kept =
        plan.minModified === undefined
          ? records
          : records.filter((r) => !(modifiedMillis(r, ctx.source.modifiedProperty) < (plan.minModified as number)));
      const from = report.recentFrom;
      if (from !== undefined) {
        report.recent ??= new Map();
        for (const r of kept) {
          const ms = modifiedMillis(r, ctx.source.modifiedProperty);
          if (ms >= from) report.recent.set(String(r.id), ms);
        }
      }
      delivered += records.length;
      const page: Page = { stream: ctx.stream, records: kept };
      const state = stateNow();
      if (state) page.state = state;
      if (plan.total !== undefined) page.total = plan.total;
      return page;
    };

    /**
     * Records of a lane's page below its bound, checked when the page is emitted: the lane may have been split
     * while the page fetched its associations, and the ids above the new bound belong to the new lane.
     */
    const withinBound = (lane: Lane, rows: Row[]): { rows: Row[]; cut: boolean } => {
      if (!codec) return { rows, cut: false };
      const cut = rows.findIndex((r) => Number(r.id) >= lane.to);
      return cut < 0 ? { rows, cut: false } : { rows: rows.slice(0, cut), cut: true };
    };

    const grantedAt = new Map<Lane, number>();
    const granted = (lane: Lane) => () => {
      grantedAt.set(lane, now());
    };

    const listStep =
      (lane: Lane) =>
      (cursor: string | undefined): Observable<Step<string | undefined>> =>
        fetchListPage(transport, ctx.source.objectType, ctx.chunks, cursor, !!ctx.source.archived, granted(lane)).pipe(
          concatMap(({ records, after }) => {
            if (codec === undefined) codec = listPaging(records, after) ?? null;
            const parsed = withinBound(lane, records);
            return withAssociations(parsed.rows).pipe(
              map((fetched) => {
                const { rows, cut } = withinBound(lane, fetched);
                const reachedBound = parsed.cut || cut;
                lane.after = after;
                const more = after !== undefined && !reachedBound;
                if (codec) {
                  const full = records.length >= LIST_PAGE_SIZE && !reachedBound;
                  space.advance(
                    lane,
                    rows.map((r) => Number(r.id)),
                    full,
                    more,
                  );
                } else if (!more) lane.done = true;
                return { page: pageOf(rows), next: lane.done ? undefined : after };
              }),
            );
          }),
        );

    const searchStep =
      (lane: Lane) =>
      (from: number): Observable<Step<number>> =>
        defer(() => {
          // Near the end search hands its range to list lanes, so its last answer is old enough for the catch-up.
          if (!searchWorthIt()) {
            space.giveBack(lane);
            return of(undefined);
          }
          return transport.request<SearchBody>({
            ...rangeSearchRequest(ctx.source.objectType, from, lane.to, ctx.names),
            onGranted: granted(lane),
          });
        }).pipe(
          concatMap((res) => {
            if (!res) return of({ page: { stream: ctx.stream, records: [] } });
            // When the answer came back: HubSpot ran the query no later than this (a request may queue first).
            report.lastSearchAt = now();
            const p = parseRangePage(res.body ?? {}, from, lane.to);
            if (!p.sorted) throw new UnsortedSearch();
            return withAssociations(p.records).pipe(
              map((fetched) => {
                const { rows, cut } = withinBound(lane, fetched);
                space.advance(
                  lane,
                  rows.map((r) => Number(r.id)),
                  p.full && !cut,
                  p.more && !cut,
                );
                return { page: pageOf(rows), next: lane.done ? undefined : lane.pos };
              }),
            );
          }),
        );

    const runLane = (lane: Lane): Observable<Page> => {
      active[lane.kind]++;
      const globalIndex: number[] = [];
      let lastStart: number | undefined;
      let lastEmit: number | undefined;
      const laneReady: Ready = (k) => defer(() => ready(globalIndex[k - 1] as number));
      const timed =
        <C>(step: (c: C) => Observable<Step<C>>) =>
        (cursor: C) =>
          defer(() => {
            const started = now();
            if (lastEmit !== undefined) {
              timing.sinkMs += started - lastEmit;
              timing.waits++;
            }
            // The lane's cycle without its wait for a grant: what Little's law multiplies the budget's rate by.
            if (lastStart !== undefined) {
              const queued = Math.max(0, (grantedAt.get(lane) ?? lastStart) - lastStart);
              cycle[lane.kind].add(Math.max(1, started - lastStart - queued));
            }
            lastStart = started;
            evaluate();
            return step(cursor).pipe(
              tap(() => {
                timing.fetchMs += now() - started;
                timing.fetches++;
              }),
            );
          });
      const pages =
        lane.kind === "list"
          ? pullPages<string | undefined>(
              lane.after ?? (lane.pos > 0 ? encodeCursor(codec || "id", lane.pos) : undefined),
              timed(listStep(lane)),
              laneReady,
            )
          : pullPages<number>(lane.pos, timed(searchStep(lane)), laneReady);
      const tracked = pages.pipe(
        tap(() => {
          globalIndex.push(++emitted);
          lastEmit = now();
          evaluate();
        }),
        catchError((err) => {
          // Search refused for this object (or unsorted) before the lane read anything: list lanes take its range.
          if (lane.kind === "search" && !globalIndex.length && (searchRefused(err) || err instanceof UnsortedSearch)) {
            searchOn = false;
            ctx.warn(
              `${ctx.stream}: search cannot page by id here (${(err as Error).message}); reading through the list`,
            );
            space.giveBack(lane);
            return EMPTY;
          }
          throw err;
        }),
      );
      // The lane's slot is free once the sink took its last page: only then may another lane take its place.
      const released = defer(() =>
        globalIndex.length ? ready(globalIndex[globalIndex.length - 1] as number) : ready(0),
      ).pipe(
        take(1),
        tap(() => {
          active[lane.kind]--;
          evaluate();
        }),
        ignoreElements(),
      );
      return concat(tracked, released);
    };

    const spawn = (lane: Lane) => {
      lanes$.next(runLane(lane));
    };

    function evaluate(): void {
      if (finished) return;
      const running = active.list + active.search;
      if (codec && space.maxId !== undefined && (running === 0 || sinkKeepsUp())) {
        const rules = { minRecordsToSplit: crmReadTuning.minPagesToSplit * LIST_PAGE_SIZE };
        for (const kind of ["search", "list"] as const) {
          if (kind === "search" && !searchWorthIt()) continue;
          while (active[kind] < capOf(kind) && budgetOf(kind).stats().waiting === 0) {
            const lane = space.take(kind, rules);
            if (!lane) break;
            spawn(lane);
          }
        }
      }
      if (active.list + active.search === 0) {
        // Work left that no lane owns (a range given back): a list lane takes it whatever the budgets say.
        const lane = space.busy ? space.take("list", { minRecordsToSplit: Number.POSITIVE_INFINITY }) : undefined;
        if (lane) spawn(lane);
        else {
          finished = true;
          lanes$.complete();
        }
      }
    }

    const opening = space.openingLane();
    if (plan.after !== undefined) opening.after = plan.after;
    // The lane subject is subscribed first, so lanes spawned while the opening lane starts are not lost.
    return merge(
      lanes$.pipe(mergeAll()),
      defer(() => runLane(opening)),
    );
  });
}

/** A search that ignored the id sort: keyset paging would skip records, so the range goes to list pagers. */
class UnsortedSearch extends Error {
  constructor() {
    super("search results are not sorted by hs_object_id");
  }
}
