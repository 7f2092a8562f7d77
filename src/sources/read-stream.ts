import { catchError, concat, defer, EMPTY, map, type Observable } from "rxjs";
import { HttpError } from "../errors.js";
import { type CrmState, readCrmIncremental, readCrmList } from "./crm-read.js";
import type { Page, Row, StreamState } from "./page.js";
import type { PropertyCatalog } from "./properties.js";
import { pullPages, type Ready, type Step } from "./pull.js";
import type { EndpointSource, StreamDef, SyncMode } from "./stream-def.js";
import type { Transport } from "./transport.js";

export interface ReadOptions {
  transport: Transport;
  properties: PropertyCatalog;
  syncMode: SyncMode;
  state?: StreamState;
  /** Epoch ms: nothing modified before it is read. */
  startDate: number;
  lookbackMs: number;
  warn(message: string): void;
}

function valueAt(body: unknown, path: string): unknown {
  if (!path) return body;
  let v: unknown = body;
  for (const key of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[key];
  return v;
}

/** Per-record normalisation the table asks for: aliases and cursor fallbacks. */
export function normalizeRecord(def: StreamDef, row: Row): Row {
  if (def.aliases) for (const [from, to] of Object.entries(def.aliases)) if (row[to] === undefined) row[to] = row[from];
  if (def.cursorField && def.cursorFallback && (row[def.cursorField] === undefined || row[def.cursorField] === null)) {
    for (const field of def.cursorFallback) {
      if (row[field] !== undefined && row[field] !== null) {
        row[def.cursorField] = row[field];
        break;
      }
    }
  }
  return row;
}

function readEndpoint(def: StreamDef, src: EndpointSource, opts: ReadOptions, ready: Ready): Observable<Page> {
  const one = (path: string, tag?: [string, string]): Observable<Page> => {
    const step = (after: string | undefined): Observable<Step<string | undefined>> =>
      opts.transport
        .request({
          method: "GET",
          path,
          query: { ...src.query, ...(src.paginator.kind === "after" ? { limit: src.paginator.limit, after } : {}) },
          budget: "standard",
        })
        .pipe(
          map((res) => {
            const found = valueAt(res.body, src.recordsPath);
            const records = (Array.isArray(found) ? found : []) as Row[];
            if (tag) for (const r of records) r[tag[0]] = tag[1];
            const next =
              src.paginator.kind === "after"
                ? (valueAt(res.body, "paging.next.after") as string | undefined)
                : undefined;
            return { page: { stream: def.name, records }, next: next || undefined };
          }),
        );
    return pullPages<string | undefined>(undefined, step, ready);
  };
  if (!src.fanOut) return one(src.path);
  const { fanOut } = src;
  return concat(
    ...fanOut.values.map((value) =>
      defer(() => one(src.path.replace(`{${fanOut.param}}`, encodeURIComponent(value)), [fanOut.as, value])).pipe(
        catchError((err) => {
          if (
            fanOut.ignoreForbidden &&
            err instanceof HttpError &&
            (err.kind === "permission" || err.failure.status === 404)
          ) {
            opts.warn(`${def.name}: ${value} skipped: ${err.message}`);
            return EMPTY;
          }
          throw err;
        }),
      ),
    ),
  );
}

/**
 * Interpret one stream of the table into an Observable of pages, requesting each next page only
 * when `ready` says the sink took the previous one.
 */
export function readStream(def: StreamDef, opts: ReadOptions, ready: Ready): Observable<Page> {
  const src = def.source;
  let pages: Observable<Page>;
  if (src.kind === "endpoint") {
    pages = readEndpoint(def, src, opts, ready);
  } else {
    const ctx = {
      transport: opts.transport,
      properties: opts.properties,
      stream: def.name,
      source: src,
      warn: opts.warn,
    };
    const serverIncremental = opts.syncMode === "incremental" && def.incremental === "server" && !src.archived;
    pages = serverIncremental
      ? readCrmIncremental(ctx, ready, opts.state as CrmState | undefined, opts.startDate, opts.lookbackMs)
      : readCrmList(ctx, ready);
  }
  if (!def.aliases && !def.cursorFallback) return pages;
  return pages.pipe(
    map((page) => {
      for (const r of page.records) normalizeRecord(def, r);
      return page;
    }),
  );
}
