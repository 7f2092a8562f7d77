import { concatMap, forkJoin, map, type Observable } from "rxjs";
import type { HttpError } from "../errors.js";
import { attachAssociations } from "./associations.js";
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
              const s = stepSearch(cursor, res.body?.results ?? [], property, SEARCH_PAGE_SIZE, !!res.body?.paging?.next);
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
  const cursorMs = state?.updatedAt ? Date.parse(state.updatedAt) : Number.NaN;
  if (Number.isFinite(cursorMs)) {
    if (state?.drainAfterId && lookbackMs === 0) {
      return readCrmSearch(ctx, ready, { mode: "drain", at: cursorMs, afterId: state.drainAfterId });
    }
    return readCrmSearch(ctx, ready, { mode: "range", lo: Math.max(startDate, cursorMs - lookbackMs), seenAtLo: [] });
  }
  const { requestsPer10s, searchPerSecond } = ctx.transport.options;
  return forkJoin([probe(ctx), probe(ctx, startDate)]).pipe(
    concatMap(([all, window]) => {
      if (all.newest !== undefined && listIsFaster(all.total, window.total, requestsPer10s, searchPerSecond)) {
        return readCrmList(ctx, ready, { cutoff: iso(all.newest) });
      }
      return readCrmSearch(ctx, ready, { mode: "range", lo: startDate, seenAtLo: [] });
    }),
  );
}
