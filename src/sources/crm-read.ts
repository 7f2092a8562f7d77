import { catchError, concatMap, defer, forkJoin, map, Observable, of, Subscription, take, tap } from "rxjs";
import type { HttpError } from "../errors.js";
import { cursorMillis } from "../operators/filter-by-cursor.js";
import { attachAssociations } from "./associations.js";
import { orListWhenSearchUnavailable } from "./crm-search-fallback.js";
import type { Page, Row, StreamState } from "./page.js";
import { chunkProperties, type PropertyCatalog } from "./properties.js";
import type { Ready, Step } from "./pull.js";
import { pullPages } from "./pull.js";
import {
  cursorStart,
  modifiedMillis,
  SEARCH_PAGE_SIZE,
  type SearchCursor,
  searchBody,
  searchCheckpoint,
  stepSearch,
} from "./search-cursor.js";
import type { CrmObjectSource } from "./stream-def.js";
import type { Transport } from "./transport.js";

export const LIST_PAGE_SIZE = 100;

/**
 * Engine levers of the CRM readers (the bench varies them in-process). `listChainsPerStream`: how many list pagers
 * one full read may run side by side over disjoint id ranges. One pager is latency-bound (list request, then the
 * association reads, then the sink) at ~4–5 pages/s, a quarter of a Professional portal's 19 requests/s, so a sync
 * whose last stream is read by one pager leaves most of the budget unused while that stream finishes.
 */
export const crmReadTuning = {
  listChainsPerStream: 8,
  /** A range is split only when it holds at least this many pages (estimated from the pager's id density). */
  minPagesToSplit: 4,
};

export interface CrmReadContext {
  transport: Transport;
  properties: PropertyCatalog;
  stream: string;
  source: CrmObjectSource;
  warn(message: string): void;
}

interface ListBody {
  results?: Row[];
  paging?: { next?: { after?: string } };
}

/** Server-side incremental state of a CRM object stream. */
export interface CrmState extends StreamState {
  /** Every record modified before this instant was delivered (ISO-8601). */
  updatedAt?: string;
  /** Mid-drain of a millisecond shared by more than a page of records: ids up to this one were delivered. */
  drainAfterId?: string;
  /** A list-endpoint backfill in progress: resume at `after`; on completion the cursor becomes `cutoff`. */
  backfill?: { after?: string; cutoff: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

function withAssociations(ctx: CrmReadContext, records: Row[]): Observable<Row[]> {
  const warned = new Set<string>();
  return attachAssociations(
    ctx.transport,
    ctx.source.objectType,
    ctx.source.associations ?? [],
    records,
    (to, err: HttpError) => {
      if (warned.has(to)) return;
      warned.add(to);
      ctx.warn(`${ctx.stream}: associations to ${to} skipped: ${err.message}`);
    },
  );
}

/** One list page with every property, split into URL-safe chunks merged by id. */
function listPage(ctx: CrmReadContext, names: readonly string[], after: string | undefined) {
  const chunks = chunkProperties(names);
  if (!chunks.length) chunks.push([]);
  const calls = chunks.map((chunk) =>
    ctx.transport.request<ListBody>({
      method: "GET",
      path: `/crm/v3/objects/${ctx.source.objectType}`,
      query: {
        limit: LIST_PAGE_SIZE,
        after,
        archived: ctx.source.archived ? "true" : "false",
        properties: chunk.length ? chunk : undefined,
      },
      budget: "standard",
    }),
  );
  return forkJoin(calls).pipe(
    map((responses) => {
      const [first, ...rest] = responses.map((r) => r.body ?? {});
      const records = first?.results ?? [];
      if (rest.length) {
        const byId = new Map(records.map((r) => [String(r.id), r]));
        for (const body of rest) {
          for (const r of body.results ?? []) {
            const target = byId.get(String(r.id));
            if (target) target.properties = { ...(target.properties as object), ...(r.properties as object) };
          }
        }
      }
      return { records, after: first?.paging?.next?.after };
    }),
  );
}

/** Full read through the list endpoint (full refresh, archived records, or an incremental backfill). */
export function readCrmList(
  ctx: CrmReadContext,
  ready: Ready,
  options: { startAfter?: string; cutoff?: string } = {},
): Observable<Page> {
  // A backfill's resumable state is one `after`, so only a read without state may run several pagers.
  const chains = crmReadTuning.listChainsPerStream;
  if (!options.cutoff && options.startAfter === undefined && !ctx.source.archived && chains > 1) {
    return readCrmListSplit(ctx, ready, chains);
  }
  return ctx.properties.of(ctx.source.objectType).pipe(
    concatMap((defs) => {
      const names = defs.map((d) => d.name);
      const step = (after: string | undefined): Observable<Step<string | undefined>> =>
        listPage(ctx, names, after).pipe(
          concatMap(({ records, after: next }) =>
            withAssociations(ctx, records).pipe(
              map((rows) => {
                const state: CrmState | undefined = options.cutoff
                  ? next
                    ? { backfill: { after: next, cutoff: options.cutoff } }
                    : { updatedAt: options.cutoff }
                  : undefined;
                const page: Page = { stream: ctx.stream, records: rows, ...(state ? { state } : {}) };
                return next ? { page, next } : { page };
              }),
            ),
          ),
        );
      return pullPages<string | undefined>(options.startAfter, step, ready);
    }),
  );
}

/** One list pager of a split read: it owns the ids in [from, below) and asks for `after` next. */
interface ListChain {
  after: string | undefined;
  /** Exclusive upper id bound; Infinity for the top pager, which also sees records created during the read. */
  below: number;
  /** Page count of the whole read after this pager's latest page: it may ask again once the sink took that many. */
  waitFor: number;
  /** A page of this pager is being fetched (list page, then its associations). */
  busy: boolean;
  /** No page left to ask for (its last one may still be fetching its associations). */
  done: boolean;
  /** Done and its last page taken by the sink: its slot may go to a new pager. */
  released: boolean;
  /** Ids spanned by this pager's latest full page: ids are spread unevenly, so its own density predicts best. */
  span?: number;
}

/** The highest live id of the object (search sorted by hs_object_id, one result); undefined when search won't say. */
function probeMaxId(ctx: CrmReadContext): Observable<number | undefined> {
  return ctx.transport
    .request<{ results?: Row[]; paging?: { next?: unknown } }>({
      method: "POST",
      path: `/crm/v3/objects/${ctx.source.objectType}/search`,
      json: {
        filterGroups: [],
        sorts: [{ propertyName: "hs_object_id", direction: "DESCENDING" }],
        properties: ["hs_object_id"],
        limit: 1,
      },
      budget: "search",
      attempts: 2,
    })
    .pipe(
      map((res) => {
        const id = Number(res.body?.results?.[0]?.id);
        return Number.isSafeInteger(id) && id > 0 ? id : undefined;
      }),
      catchError(() => of(undefined)),
    );
}

const idOf = (r: Row): number => Number(r.id);

/**
 * Whether the list endpoint pages by id the way HubSpot's does: records ascending by numeric id and `after` a
 * number above the page's last id. Only then may a pager start at an id of our choosing (`after = id`): a cursor
 * above the last id served must include the id it names, or the endpoint's own paging would skip that id.
 */
function pagesById(records: readonly Row[], after: string | undefined): boolean {
  let prev = -1;
  for (const r of records) {
    const id = idOf(r);
    if (!Number.isSafeInteger(id) || id <= prev) return false;
    prev = id;
  }
  return after === undefined || (/^\d{1,15}$/.test(after) && Number(after) > prev);
}

/**
 * A full list read split over id ranges, each range paged by its own pager, one page in flight per pager.
 *
 * The read starts as one pager over all ids. Once the first page shows the list pages by id and a search probe
 * gave the highest id, whenever no request waits for the 10-s budget (it would idle) and a pager slot is free, a new
 * pager takes the upper half of the range with the most pages left: the owner keeps [after, mid), the new pager
 * starts at `after = mid`. Splitting only on an idle budget keeps the extra short pages (one where two ranges meet)
 * to the moments when they cost nothing: the start, and the tail where few pages are left to read. A pager drops records at or above its bound and stops
 * there, so the ranges tile the id line: nothing is read twice and nothing is skipped, whatever the id gaps.
 *
 * ```
 * ids  1 ───────────────────────────────────────────── max ─▶ (new records)
 *      [pager 0 ▸▸▸      )[pager 2 ▸▸      )[pager 1 ▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸▸
 * ```
 *
 * Backpressure as in `pullPages`: a pager asks for its next page only after `ready(n)` says the sink took the
 * n pages emitted up to its previous one.
 */
function readCrmListSplit(ctx: CrmReadContext, ready: Ready, maxChains: number): Observable<Page> {
  return ctx.properties.of(ctx.source.objectType).pipe(
    concatMap(
      (defs) =>
        new Observable<Page>((subscriber) => {
          const names = defs.map((d) => d.name);
          const budget = ctx.transport.budgets.standard;
          const subs = new Subscription();
          const chains: ListChain[] = [];
          let emitted = 0;
          let maxId: number | undefined;
          let byId: boolean | undefined;
          // Ids spanned per full page so far, to estimate how many pages a range holds.
          let spanIds = 0;
          let spanPages = 0;

          const pagesLeft = (c: ListChain): number => {
            if (c.done || c.after === undefined || !spanPages) return 0;
            const top = Number.isFinite(c.below) ? c.below : maxId === undefined ? Number.NaN : maxId + 1;
            const left = top - Number(c.after);
            return Number.isFinite(left) && left > 0 ? left / (c.span ?? spanIds / spanPages) : 0;
          };

          // Another pager only helps while the network, not the sink, is what the read waits on: it is added only
          // while pages take longer to fetch than the sink takes to accept one, so a slow sink keeps one pager
          // (one page in flight) and its memory flat.
          const timing = { fetchMs: 0, fetches: 0, sinkMs: 0, writes: 0 };
          const sinkKeepsUp = (): boolean =>
            timing.fetches > 0 && timing.writes > 0 && timing.sinkMs / timing.writes < timing.fetchMs / timing.fetches;

          const split = (): void => {
            if (!byId || maxId === undefined || !sinkKeepsUp()) return;
            while (chains.filter((c) => !c.released).length < maxChains) {
              let best: ListChain | undefined;
              for (const c of chains) if (!best || pagesLeft(c) > pagesLeft(best)) best = c;
              // A split costs about one request (the short page where two ranges meet), so it is made only while
              // no request waits for the budget: then more pagers use capacity that would otherwise go idle.
              if (!best || pagesLeft(best) < crmReadTuning.minPagesToSplit || budget.stats().waiting > 0) return;
              const from = Number(best.after);
              const top = Number.isFinite(best.below) ? best.below : (maxId as number) + 1;
              const mid = from + Math.floor((top - from) / 2);
              const fresh: ListChain = {
                after: String(mid),
                below: best.below,
                span: best.span,
                waitFor: 0,
                busy: false,
                done: false,
                released: false,
              };
              best.below = mid;
              chains.push(fresh);
              fetchNext(fresh);
            }
          };

          const finishIfIdle = (): void => {
            // `done` is set when a pager's last list page arrives, `busy` clears once its associations came too.
            if (chains.every((c) => c.done && !c.busy)) subscriber.complete();
          };

          const onPage = (c: ListChain, records: Row[], next: string | undefined): Row[] => {
            if (byId === undefined) byId = pagesById(records, next);
            let keep = records;
            let reachedBound = false;
            if (byId) {
              const cut = records.findIndex((r) => idOf(r) >= c.below);
              if (cut >= 0) {
                keep = records.slice(0, cut);
                reachedBound = true;
              }
              if (records.length >= LIST_PAGE_SIZE) {
                c.span = idOf(records[records.length - 1] as Row) - idOf(records[0] as Row) + 1;
                spanIds += c.span;
                spanPages++;
              }
            }
            c.after = next;
            if (!next || reachedBound) c.done = true;
            return keep;
          };

          const fetchNext = (c: ListChain): void => {
            c.busy = true;
            const request = defer(() => {
              const started = Date.now();
              return listPage(ctx, names, c.after).pipe(
                concatMap(({ records, after }) => withAssociations(ctx, onPage(c, records, after))),
                tap(() => {
                  timing.fetchMs += Date.now() - started;
                  timing.fetches++;
                }),
              );
            });
            const gated =
              c.waitFor > 0
                ? ready(c.waitFor).pipe(
                    take(1),
                    concatMap(() => request),
                  )
                : request;
            subs.add(
              gated.subscribe({
                next: (rows) => {
                  c.busy = false;
                  emitted++;
                  c.waitFor = emitted;
                  const handedAt = Date.now();
                  subs.add(
                    ready(emitted)
                      .pipe(take(1))
                      .subscribe(() => {
                        timing.sinkMs += Date.now() - handedAt;
                        timing.writes++;
                      }),
                  );
                  subscriber.next({ stream: ctx.stream, records: rows });
                  if (!c.done) {
                    split();
                    fetchNext(c);
                    return;
                  }
                  finishIfIdle();
                  subs.add(
                    ready(c.waitFor)
                      .pipe(take(1))
                      .subscribe(() => {
                        c.released = true;
                        split();
                      }),
                  );
                },
                error: (err) => subscriber.error(err),
              }),
            );
          };

          const first: ListChain = {
            after: undefined,
            below: Number.POSITIVE_INFINITY,
            waitFor: 0,
            busy: false,
            done: false,
            released: false,
          };
          chains.push(first);
          fetchNext(first);
          subs.add(
            probeMaxId(ctx).subscribe((id) => {
              maxId = id;
              split();
            }),
          );
          return subs;
        }),
    ),
  );
}

/** Incremental read through search, keyset-paged (see search-cursor.ts). */
export function readCrmSearch(ctx: CrmReadContext, ready: Ready, from: SearchCursor): Observable<Page> {
  const property = ctx.source.modifiedProperty;
  return ctx.properties.of(ctx.source.objectType).pipe(
    concatMap((defs) => {
      const names = defs.map((d) => d.name);
      let newest = cursorStart(from);
      const step = (cursor: SearchCursor): Observable<Step<SearchCursor>> =>
        ctx.transport
          .request<{ results?: Row[]; paging?: { next?: unknown } }>({
            method: "POST",
            path: `/crm/v3/objects/${ctx.source.objectType}/search`,
            json: searchBody(cursor, property, names, SEARCH_PAGE_SIZE),
            budget: "search",
          })
          .pipe(
            concatMap((res) => {
              const s = stepSearch(
                cursor,
                res.body?.results ?? [],
                property,
                SEARCH_PAGE_SIZE,
                !!res.body?.paging?.next,
              );
              if (s.maxModified !== undefined && s.maxModified > newest) newest = s.maxModified;
              return withAssociations(ctx, s.fresh).pipe(
                map((rows) => {
                  const state: CrmState = searchCheckpoint(s.next, newest);
                  return { page: { stream: ctx.stream, records: rows, state }, next: s.next };
                }),
              );
            }),
          );
      return pullPages(from, step, ready);
    }),
  );
}

interface SearchProbe {
  total: number;
  newest?: number;
}

/** One search request of one result: how many records match, and the newest modification time. */
function probe(ctx: CrmReadContext, since?: number): Observable<SearchProbe> {
  const property = ctx.source.modifiedProperty;
  return ctx.transport
    .request<{ total?: number; results?: Row[] }>({
      method: "POST",
      path: `/crm/v3/objects/${ctx.source.objectType}/search`,
      json: {
        filterGroups:
          since === undefined ? [] : [{ filters: [{ propertyName: property, operator: "GTE", value: String(since) }] }],
        sorts: [{ propertyName: property, direction: "DESCENDING" }],
        properties: [property],
        limit: 1,
      },
      budget: "search",
    })
    .pipe(
      map((res) => {
        const first = res.body?.results?.[0];
        const newest = first ? modifiedMillis(first, property) : undefined;
        return { total: res.body?.total ?? 0, newest: Number.isFinite(newest) ? newest : undefined };
      }),
    );
}

/** Records per second each way at HubSpot's documented limits (list 100/page on the 10-s budget, search 200/page at 5/s). */
function listIsFaster(all: number, window: number, requestsPer10s: number, searchPerSecond: number): boolean {
  const listSeconds = all / LIST_PAGE_SIZE / (requestsPer10s / 10);
  const searchSeconds = window / SEARCH_PAGE_SIZE / searchPerSecond;
  return listSeconds < searchSeconds;
}

/**
 * Server-side incremental read. With a cursor: search from it (minus the lookback window). Without
 * one: back-fill through whichever of list or search is faster for this window, then continue from
 * the newest modification seen by a probe taken before the back-fill started.
 */
export function readCrmIncremental(
  ctx: CrmReadContext,
  ready: Ready,
  state: CrmState | undefined,
  startDate: number,
  lookbackMs: number,
): Observable<Page> {
  if (state?.backfill) {
    return readCrmList(ctx, ready, { startAfter: state.backfill.after, cutoff: state.backfill.cutoff });
  }
  // Saved cursors come as ISO strings (ours, the seed connector's microsecond form) or epoch ms.
  const cursorMs = cursorMillis(state?.updatedAt) ?? Number.NaN;
  if (Number.isFinite(cursorMs)) {
    const since = iso(Math.max(startDate, cursorMs - lookbackMs));
    const searched =
      state?.drainAfterId && lookbackMs === 0
        ? readCrmSearch(ctx, ready, { mode: "drain", at: cursorMs, afterId: state.drainAfterId })
        : readCrmSearch(ctx, ready, { mode: "range", lo: Date.parse(since), seenAtLo: [] });
    return orListWhenSearchUnavailable(ctx, ready, since, searched);
  }
  const { requestsPer10s, searchPerSecond } = ctx.transport.options;
  const backfill = forkJoin([probe(ctx), probe(ctx, startDate)]).pipe(
    concatMap(([all, window]) => {
      if (all.newest !== undefined && listIsFaster(all.total, window.total, requestsPer10s, searchPerSecond)) {
        return readCrmList(ctx, ready, { cutoff: iso(all.newest) });
      }
      return readCrmSearch(ctx, ready, { mode: "range", lo: startDate, seenAtLo: [] });
    }),
  );
  return orListWhenSearchUnavailable(ctx, ready, iso(startDate), backfill);
}
