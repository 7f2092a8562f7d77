import { asyncScheduler, catchError, defer, map, type Observable, type SchedulerLike, tap } from "rxjs";
import { HttpError } from "../errors.js";
import { type CrmState, readCrmObject } from "./crm/read-crm-object.js";
import type { Page, Row, StreamState } from "./page.js";
import type { PropertyCatalog } from "./properties.js";
import type { Ready } from "./pull.js";
import { readEndpoint } from "./read-endpoint.js";
import type { EndpointSource, StreamDef, SyncMode } from "./stream-def.js";
import { applyTransforms } from "./transforms.js";
import type { Transport } from "./transport.js";

export interface ReadOptions {
  transport: Transport;
  properties: PropertyCatalog;
  syncMode: SyncMode;
  state?: StreamState;
  /** Epoch ms: nothing modified before it is read. */
  startDate: number;
  lookbackMs: number;
  /** Tombstones for deleted CRM records in incremental reads (default true). */
  emitDeletes?: boolean;
  /** Clock and timers of every decision (default asyncScheduler; tests pass a virtual one). */
  scheduler?: SchedulerLike;
  warn(message: string): void;
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

/** Read an endpoint, switching to its fallback version when HubSpot answers 404 before the first page. */
function withFallback(def: StreamDef, src: EndpointSource, opts: ReadOptions, ready: Ready): Observable<Page> {
  const fallback = src.fallback;
  if (!fallback) return readEndpoint(def, src, opts, ready);
  return defer(() => {
    let emitted = false;
    return readEndpoint(def, src, opts, ready).pipe(
      tap(() => {
        emitted = true;
      }),
      catchError((err) => {
        if (emitted || !(err instanceof HttpError) || err.failure.status !== 404) throw err;
        opts.warn(`${def.name}: ${src.path} not found; reading ${fallback.path}`);
        return withFallback({ ...def, source: fallback }, fallback, opts, ready);
      }),
    );
  });
}

/**
 * Interpret one stream of the table into an Observable of pages, requesting each next page only
 * when `ready` says the sink took the previous one.
 */
export function readStream(def: StreamDef, opts: ReadOptions, ready: Ready): Observable<Page> {
  const src = def.source;
  let pages: Observable<Page>;
  if (src.kind === "endpoint") {
    pages = withFallback(def, src, opts, ready);
  } else {
    pages = readCrmObject(
      {
        transport: opts.transport,
        stream: def.name,
        source: src,
        scheduler: opts.scheduler ?? asyncScheduler,
        warn: opts.warn,
      },
      opts.properties,
      ready,
      {
        syncMode: opts.syncMode === "incremental" && def.incremental === "server" ? "incremental" : "full_refresh",
        state: opts.state as CrmState | undefined,
        startDate: opts.startDate,
        lookbackMs: opts.lookbackMs,
        emitDeletes: opts.emitDeletes,
      },
    );
  }
  const transforms = def.transforms ?? [];
  if (!def.aliases && !def.cursorFallback && !transforms.length) return pages;
  return pages.pipe(
    map((page) => {
      const records = transforms.length ? applyTransforms(page.records, transforms) : page.records;
      for (const r of records) normalizeRecord(def, r);
      return records === page.records ? page : { ...page, records };
    }),
  );
}
