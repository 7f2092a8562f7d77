/**
 * One page of an endpoint: the request(s) for a cursor (every property chunk), the records and next cursor
 * (paginators.ts), per-record detail merges, and the pull loop over pages of one call.
 */
import { catchError, concatMap, forkJoin, from, map, mergeMap, type Observable, of, throwError, toArray } from "rxjs";
import { HttpError } from "../errors.js";
import { cursorMillis } from "../operators/filter-by-cursor.js";
import { compilePath } from "../operators/path.js";
import type { Page, Row, StreamState } from "./page.js";
import { extractRecords, nextCursor, type PageCursor, pageParams } from "./paginators.js";
import { pullPages, type Ready } from "./pull.js";
import type { ReadOptions } from "./read-stream.js";
import type { EndpointSource, Paginator, StreamDef } from "./stream-def.js";
import type { QueryValue } from "./transport.js";

/** One paged call: where and how. */
export interface Call {
  method: "GET" | "POST";
  path: string;
  query: Record<string, QueryValue>;
  body?: Record<string, unknown>;
  paginator: Paginator;
}

export interface Ctx {
  def: StreamDef;
  src: EndpointSource;
  opts: ReadOptions;
  /** Property-name chunks when the source asks for them (resolved once per read). */
  chunks?: string[][];
  /** Client-side cursor of this run, for dropping old records before per-record detail calls. */
  clientSince?: number;
}

export const callOf = (src: EndpointSource): Call => ({
  method: src.method ?? "GET",
  path: src.path,
  query: { ...src.query },
  body: src.body,
  paginator: src.paginator,
});

export const withQuery = (call: Call, extra: Record<string, QueryValue>): Call => ({
  ...call,
  query: { ...call.query, ...extra },
});

/** One page of records (all property chunks of it) and the cursor of the next one. */
export function fetchPage(ctx: Ctx, call: Call, cursor: PageCursor | undefined) {
  const paging = pageParams(call.paginator, cursor);
  const chunkParam = ctx.src.propertyChunks?.param;
  const chunks: (string[] | undefined)[] = chunkParam && ctx.chunks?.length ? ctx.chunks : [undefined];
  const requests = chunks.map((chunk) =>
    ctx.opts.transport.request({
      method: call.method,
      path: call.path,
      query: { ...call.query, ...paging.query, ...(chunk && chunkParam ? { [chunkParam]: chunk } : {}) },
      ...(call.method === "POST" ? { json: { ...call.body, ...paging.body } } : {}),
      budget: "standard",
    }),
  );
  return forkJoin(requests).pipe(
    map((responses) => ({
      records: responses.flatMap((res) => extractRecords(res.body, ctx.src.recordsPath)),
      next: nextCursor(call.paginator, responses[0]?.body, cursor),
    })),
  );
}

/** Merges each record with its detail GET, `concurrency` at a time, keeping the listing's order. */
export function enrich(ctx: Ctx, records: Row[]): Observable<Row[]> {
  const detail = ctx.src.detail;
  if (!detail || !records.length) return of(records);
  const cursor = ctx.def.cursorField ? compilePath(ctx.def.cursorField) : undefined;
  const since = ctx.clientSince;
  // Records the client-side filter will drop are not worth a request each.
  const wanted =
    since === undefined || !cursor ? records : records.filter((r) => (cursorMillis(cursor(r)) ?? since) >= since);
  return from(wanted.map((r, i) => [r, i] as const)).pipe(
    mergeMap(
      ([record, i]) =>
        ctx.opts.transport
          .request<Row>({
            method: "GET",
            path: detail.path.replace(`{${detail.param}}`, encodeURIComponent(String(record[detail.idField]))),
            budget: "standard",
          })
          .pipe(
            map((res) => [i, { ...record, ...res.body }] as const),
            catchError((err) => {
              // Gone between listing and detail: keep what the listing said.
              if (err instanceof HttpError && err.failure.status === 404) {
                ctx.opts.warn(`${ctx.def.name}: no detail for ${String(record[detail.idField])} (404), summary kept`);
                return of([i, record] as const);
              }
              return throwError(() => err);
            }),
          ),
      detail.concurrency,
    ),
    toArray(),
    map((pairs) => pairs.sort((a, b) => a[0] - b[0]).map(([, r]) => r)),
  );
}

export interface PagedOptions {
  first?: PageCursor;
  /** State carried by the last page (a finished window). */
  endState?: StreamState;
  /** Field set on every record (a parent id). */
  tag?: [string, unknown];
}

/** Every page of one call, pulled through the gate. */
export function readPaged(ctx: Ctx, call: Call, ready: Ready, o: PagedOptions = {}): Observable<Page> {
  const step = (cursor: PageCursor | undefined) =>
    fetchPage(ctx, call, cursor).pipe(
      concatMap(({ records, next }) => enrich(ctx, records).pipe(map((rows) => ({ rows, next })))),
      map(({ rows, next }) => {
        if (o.tag) for (const r of rows) r[o.tag[0]] = o.tag[1];
        const page: Page = { stream: ctx.def.name, records: rows };
        if (next === undefined && o.endState) page.state = o.endState;
        return { page, next };
      }),
    );
  return pullPages<PageCursor | undefined>(o.first, step, ready);
}

/** The child call for one parent id: `{param}` in the path, else a query parameter. */
export function childCall(base: Call, param: string, id: unknown): Call {
  const placeholder = `{${param}}`;
  return base.path.includes(placeholder)
    ? { ...base, path: base.path.replace(placeholder, encodeURIComponent(String(id))) }
    : withQuery(base, { [param]: String(id) });
}
