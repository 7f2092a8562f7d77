/**
 * The endpoint reader: interprets an `EndpointSource` of the table (paginator, fan-out, parent ids,
 * detail enrichment, property chunks, time windows, the engagements recent endpoint) into pages, each
 * requested only when the sink took the previous one. Pure paging rules live in paginators.ts and
 * time-windows.ts.
 */
import { catchError, concat, concatMap, defer, EMPTY, map, type Observable, throwError } from "rxjs";
import { HttpError } from "../errors.js";
import { cursorMillis } from "../operators/filter-by-cursor.js";
import { trackState } from "../operators/track-state.js";
import { type Call, type Ctx, callOf, childCall, fetchPage, readPaged, withQuery } from "./endpoint-page.js";
import type { Page, StreamState } from "./page.js";
import { PageSequence } from "./page-sequence.js";
import type { PageCursor } from "./paginators.js";
import { chunkProperties } from "./properties.js";
import { pageGate, pullPages, type Ready } from "./pull.js";
import type { ReadOptions } from "./read-stream.js";
import type { EndpointSource, ParentSpec, StreamDef } from "./stream-def.js";
import { formatBound, nextStart, windowsBetween } from "./time-windows.js";

function ignorable(parent: ParentSpec, err: unknown): boolean {
  if (!(err instanceof HttpError)) return false;
  const sub = (err.failure.body as { subCategory?: unknown } | undefined)?.subCategory;
  return (parent.ignore ?? []).some(
    (i) => i.status === err.failure.status && (!i.subCategory || i.subCategory === sub),
  );
}

/**
 * One child read per parent record id. Parent page n+1 is requested only after the children of page n
 * were written; `stateAfter(next)` may checkpoint after each parent page (next = the parent cursor left).
 */
function readWithParent(
  ctx: Ctx,
  seq: PageSequence,
  parent: ParentSpec,
  child: (id: unknown, ready: Ready) => Observable<Page>,
  o: { first?: PageCursor; stateAfter?: (next: PageCursor | undefined) => StreamState | undefined } = {},
): Observable<Page> {
  // The parent's pages are "written" once all their children are: the same gate the pipeline uses for a sink.
  const parentGate = pageGate();
  const parentCtx: Ctx = { ...ctx, src: parent.source, chunks: undefined, clientSince: undefined };
  const seen = new Set<string>();
  const step = (cursor: PageCursor | undefined) =>
    fetchPage(parentCtx, callOf(parent.source), cursor).pipe(
      map(({ records, next }) => ({ page: { stream: ctx.def.name, records, state: { next } }, next })),
    );
  return pullPages<PageCursor | undefined>(o.first, step, parentGate.ready).pipe(
    concatMap((parentPage) => {
      const next = parentPage.state?.next as PageCursor | undefined;
      const ids = parentPage.records.map((r) => r[parent.idField]).filter((v) => v !== undefined && v !== null);
      const fresh = parent.dedupe ? ids.filter((id) => !seen.has(String(id)) && seen.add(String(id))) : ids;
      const reads = fresh.map((id) =>
        seq
          .run((ready) => child(id, ready))
          .pipe(
            catchError((err) => {
              if (!ignorable(parent, err)) return throwError(() => err);
              ctx.opts.warn(`${ctx.def.name}: ${parent.param} ${String(id)} skipped: ${(err as Error).message}`);
              return EMPTY;
            }),
          ),
      );
      const state = o.stateAfter?.(next);
      return concat(
        ...reads,
        state ? seq.emit({ stream: ctx.def.name, records: [], state }) : EMPTY,
        defer(() => {
          parentGate.written();
          return EMPTY;
        }),
      );
    }),
  );
}

function savedMillis(ctx: Ctx, key: string | undefined): number | undefined {
  if (!key || ctx.opts.syncMode !== "incremental" || !ctx.def.incremental) return undefined;
  return cursorMillis(ctx.opts.state?.[key]);
}

/** Server-side time windows, optionally per parent id (one window per parent, resumable per parent page). */
function readWindows(ctx: Ctx, seq: PageSequence, now: number): Observable<Page> {
  const { src, def } = ctx;
  const tw = src.timeWindow as NonNullable<EndpointSource["timeWindow"]>;
  const key = def.cursorField as string;
  const bound = (ms: number) => formatBound(ms, tw.format);
  const base = callOf(src);
  const saved = savedMillis(ctx, key);
  if (src.parent) {
    const parent = src.parent;
    const resume = (ctx.opts.syncMode === "incremental" ? ctx.opts.state?.resume : undefined) as
      | { [k: string]: unknown; parentAfter?: PageCursor }
      | undefined;
    const resumeEnd = resume ? cursorMillis(resume[tw.endParam]) : undefined;
    const lo = Math.max(ctx.opts.startDate, saved ?? Number.NEGATIVE_INFINITY);
    const hi = resumeEnd ?? now;
    if (!(lo <= hi)) return EMPTY;
    const window = { [tw.startParam]: bound(lo), [tw.endParam]: bound(hi) };
    return readWithParent(
      ctx,
      seq,
      parent,
      (id, ready) => readPaged(ctx, withQuery(childCall(base, parent.param, id), window), ready),
      {
        first: resumeEnd === undefined ? undefined : resume?.parentAfter,
        stateAfter: (next) =>
          next === undefined
            ? { [key]: bound(hi) }
            : { [key]: bound(lo), resume: { [tw.endParam]: bound(hi), parentAfter: next } },
      },
    );
  }
  const lo = Math.max(ctx.opts.startDate, saved ?? Number.NEGATIVE_INFINITY);
  return concat(
    ...windowsBetween(lo, now, tw.stepMs).map((w) =>
      seq.run((ready) =>
        readPaged(ctx, withQuery(base, { [tw.startParam]: bound(w[0]), [tw.endParam]: bound(w[1]) }), ready, {
          endState: { [key]: bound(nextStart(w, now)) },
        }),
      ),
    ),
  );
}

/** Engagements: the recent endpoint when the cursor is young and few records changed, else the full listing. */
function readRecentOrAll(ctx: Ctx, ready: Ready, now: number): Observable<Page> {
  const recent = ctx.src.recent as NonNullable<EndpointSource["recent"]>;
  const base = callOf(ctx.src);
  const since = savedMillis(ctx, ctx.def.cursorField);
  if (since === undefined || now - since > recent.maxAgeMs) return readPaged(ctx, base, ready);
  // Inclusive of the cursor's own millisecond, like the client-side filter.
  const sinceQuery = { [recent.sinceParam]: since - 1 };
  const limitParam = recent.paginator.kind === "offset" ? recent.paginator.limitParam : "limit";
  return ctx.opts.transport
    .request<{ total?: unknown }>({
      method: "GET",
      path: recent.path,
      query: { ...ctx.src.query, ...sinceQuery, [limitParam]: 1 },
      budget: "standard",
    })
    .pipe(
      concatMap((res) => {
        const total = res.body?.total;
        const useRecent = typeof total === "number" && total <= recent.maxRecords;
        if (!useRecent) return readPaged(ctx, base, ready);
        const call: Call = {
          ...base,
          path: recent.path,
          paginator: recent.paginator,
          query: { ...base.query, ...sinceQuery },
        };
        return readPaged(ctx, call, ready);
      }),
    );
}

/** Server-side lower bound from the saved cursor; the state is the newest cursor seen, set once complete. */
function readSince(ctx: Ctx, ready: Ready): Observable<Page> {
  const since = ctx.src.sinceParam as NonNullable<EndpointSource["sinceParam"]>;
  const key = ctx.def.cursorField as string;
  const saved = ctx.opts.syncMode === "incremental" ? ctx.opts.state?.[key] : undefined;
  const lo = Math.max(ctx.opts.startDate, cursorMillis(saved) ?? Number.NEGATIVE_INFINITY);
  const call = withQuery(callOf(ctx.src), { [since.param]: formatBound(lo, since.format) });
  const pages = readPaged(ctx, call, ready);
  return ctx.opts.syncMode === "incremental"
    ? pages.pipe(trackState({ cursorField: key, start: saved, stream: ctx.def.name }))
    : pages;
}

/** Interprets one endpoint stream of the table into pages. */
export function readEndpoint(def: StreamDef, src: EndpointSource, opts: ReadOptions, ready: Ready): Observable<Page> {
  return defer(() => {
    const now = Date.now();
    const seq = new PageSequence(ready);
    const clientSince = def.incremental === "client" ? savedMillis({ def, src, opts }, def.cursorField) : undefined;
    const ctx: Ctx = { def, src, opts, clientSince };
    const start = (c: Ctx): Observable<Page> => {
      if (src.timeWindow) return readWindows(c, seq, now);
      if (src.parent) {
        const parent = src.parent;
        const base = callOf(src);
        return readWithParent(c, seq, parent, (id, r) =>
          readPaged(c, childCall(base, parent.param, id), r, { tag: parent.as ? [parent.as, id] : undefined }),
        );
      }
      if (src.fanOut) return readFanOut(c, seq, src.fanOut);
      if (src.recent) return readRecentOrAll(c, ready, now);
      if (src.sinceParam && def.incremental === "server") return readSince(c, ready);
      return readPaged(c, callOf(src), ready);
    };
    if (!src.propertyChunks) return start(ctx);
    const { objectType } = src.propertyChunks;
    return opts.properties
      .of(objectType)
      .pipe(concatMap((props) => start({ ...ctx, chunks: chunkProperties(props.map((p) => p.name)) })));
  });
}

function readFanOut(ctx: Ctx, seq: PageSequence, fanOut: NonNullable<EndpointSource["fanOut"]>): Observable<Page> {
  const base = callOf(ctx.src);
  return concat(
    ...fanOut.values.map((value) =>
      seq
        .run((ready) => readPaged(ctx, childCall(base, fanOut.param, value), ready, { tag: [fanOut.as, value] }))
        .pipe(
          catchError((err) => {
            if (
              fanOut.ignoreForbidden &&
              err instanceof HttpError &&
              (err.kind === "permission" || err.failure.status === 404)
            ) {
              ctx.opts.warn(`${ctx.def.name}: ${value} skipped: ${err.message}`);
              return EMPTY;
            }
            return throwError(() => err);
          }),
        ),
    ),
  );
}
