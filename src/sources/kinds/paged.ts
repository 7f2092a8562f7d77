/**
 * The reader of every paged kind: builds each page's request(s) from the kind's pure step (one per property
 * chunk, same cursor), merges per-record details, and runs the pages through the shared pull loop.
 */
import { concatMap, defer, forkJoin, map, type Observable, of } from "rxjs";
import { HttpError } from "../../errors.js";
import type { Page } from "../page.js";
import { chunkProperties } from "../properties.js";
import { pullPages, type Ready, type Step } from "../pull.js";
import type { PagedSource, SinceSpec } from "../stream-def.js";
import type { QueryValue } from "../transport.js";
import type { ReadContext, SubRead } from "./context.js";
import { enrich } from "./detail.js";
import { withErrorPolicy } from "./error-policy.js";
import { type PageCursor, type PageResult, type Paging, pagingOf } from "./paging.js";

/** A bound as the endpoint expects it: epoch ms or ISO-8601. */
export function formatBound(ms: number, format: "ms" | "iso"): string | number {
  return format === "ms" ? ms : new Date(ms).toISOString();
}

/**
 * The server-side lower bound of a `since` source: the saved cursor, never before start_date; an endpoint that
 * returns records strictly after the bound is asked for one millisecond earlier, so the cursor's own millisecond
 * is read again (at-least-once, like the client-side filter).
 *
 * @example
 * sinceBound({ param: "since", format: "ms", exclusive: true }, 1_000, 5_000); // 4999
 */
export function sinceBound(spec: SinceSpec, startDate: number, cursorMs: number | undefined): string | number {
  const lo = Math.max(startDate, cursorMs ?? Number.NEGATIVE_INFINITY);
  return formatBound(spec.exclusive ? lo - 1 : lo, spec.format);
}

/** Where one read of a paged source goes: path with placeholders filled, query, JSON body. */
export interface Target {
  method: "GET" | "POST";
  path: string;
  query: Record<string, QueryValue>;
  body?: Record<string, unknown>;
}

/**
 * The target of a read: `{param}` placeholders filled from `sub.params` (others become query parameters), the
 * window bounds and the `since` bound added to the query.
 */
export function targetOf(src: PagedSource, sub: SubRead, startDate: number, cursorMs: number | undefined): Target {
  let path = src.path;
  const query: Record<string, QueryValue> = { ...src.query, ...sub.query };
  for (const [param, value] of Object.entries(sub.params ?? {})) {
    const placeholder = `{${param}}`;
    if (path.includes(placeholder)) path = path.replace(placeholder, encodeURIComponent(value));
    else query[param] = value;
  }
  if (src.since) query[src.since.param] = sinceBound(src.since, startDate, cursorMs);
  return src.kind === "post-offset"
    ? { method: "POST", path, query, body: src.body ?? {} }
    : { method: "GET", path, query };
}

function malformed(target: Target, problem: string): HttpError {
  const route = `${target.method} ${target.path}`;
  return new HttpError(
    `HubSpot answered ${route} with a malformed body: ${problem}`,
    "MALFORMED_RESPONSE",
    "transient",
    {
      status: 200,
      route,
    },
  );
}

/** One page: every property chunk requested with the same cursor, records concatenated, the cursor from the first. */
function fetchPage(
  ctx: ReadContext,
  target: Target,
  paging: Paging,
  chunking: { param: string; chunks: string[][] } | undefined,
  cursor: PageCursor | undefined,
): Observable<PageResult> {
  const fields = paging.request(cursor);
  const chunks: (string[] | undefined)[] = chunking?.chunks.length ? chunking.chunks : [undefined];
  const requests = chunks.map((chunk) =>
    ctx.opts.transport.request({
      method: target.method,
      path: target.path,
      query: { ...target.query, ...fields.query, ...(chunk && chunking ? { [chunking.param]: chunk } : {}) },
      ...(target.method === "POST" ? { json: { ...target.body, ...fields.body } } : {}),
      budget: "standard",
      validate: paging.problem,
    }),
  );
  return forkJoin(requests).pipe(
    map((responses) => {
      // The transport retries a malformed body; should one still get here, the stream fails rather than ends.
      for (const res of responses) {
        const problem = paging.problem(res.body);
        if (problem) throw malformed(target, problem);
      }
      const results = responses.map((res) => paging.response(res.body));
      return { records: results.flatMap((r) => r.records), next: results[0]?.next };
    }),
  );
}

/** Every page of one read of a paged source, pulled through `ready`, with the source's error policy applied. */
export function readPaged(src: PagedSource, ctx: ReadContext, ready: Ready, sub: SubRead = {}): Observable<Page> {
  const target = targetOf(src, sub, ctx.opts.startDate, ctx.cursorMs);
  const read = defer(() => {
    const paging = pagingOf(src);
    const chunking = src.propertyChunks;
    const chunks$: Observable<{ param: string; chunks: string[][] } | undefined> = chunking
      ? ctx.opts.properties
          .of(chunking.objectType)
          .pipe(map((props) => ({ param: chunking.param, chunks: chunkProperties(props.map((p) => p.name)) })))
      : of(undefined);
    return chunks$.pipe(
      concatMap((chunks) => {
        const step = (cursor: PageCursor | undefined): Observable<Step<PageCursor | undefined>> =>
          fetchPage(ctx, target, paging, chunks, cursor).pipe(
            concatMap(({ records, next }) => enrich(ctx, src.detail, records).pipe(map((rows) => ({ rows, next })))),
            map(({ rows, next }) => {
              if (sub.tag) for (const r of rows) r[sub.tag[0]] = sub.tag[1];
              const page: Page = { stream: ctx.def.name, records: rows };
              if (next === undefined && sub.lastState) page.state = sub.lastState;
              return { page, next };
            }),
          );
        return pullPages<PageCursor | undefined>(undefined, step, ready);
      }),
    );
  });
  return withErrorPolicy(src.errors, read, ctx, ready, `${target.method} ${target.path}`);
}
