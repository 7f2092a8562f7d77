import { asyncScheduler, defer, map, type Observable, type SchedulerLike } from "rxjs";
import { cursorMillis, filterByCursor } from "../operators/filter-by-cursor.js";
import { trackState } from "../operators/track-state.js";
import type { ReadContext } from "./kinds/context.js";
import { type CrmState, readCrmObject } from "./kinds/crm-object.js";
import { checkpointsPosition, readSource } from "./kinds/read-source.js";
import { valueAt } from "./kinds/records.js";
import type { Page, Row, StreamState } from "./page.js";
import type { PropertyCatalog } from "./properties.js";
import type { Ready } from "./pull.js";
import { usableState } from "./saved-state.js";
import type { CrmObjectSource, StreamDef, SyncMode } from "./stream-def.js";
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
  warn(message: string): void;
  /** Every "now" of the readers comes from here (default: asyncScheduler, the wall clock). */
  scheduler?: SchedulerLike;
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

/**
 * The records that carry every primary key field, and how many did not: a record without its identity cannot be
 * deduplicated or updated downstream, so it is reported rather than emitted.
 *
 * @example
 * keyedRecords([["id"]], [{ id: "1" }, { name: "x" }]); // { kept: [{ id: "1" }], dropped: 1 }
 */
export function keyedRecords(primaryKey: readonly string[][], rows: Row[]): { kept: Row[]; dropped: number } {
  if (!primaryKey.length) return { kept: rows, dropped: 0 };
  const paths = primaryKey.map((k) => k.join("."));
  const kept = rows.filter((r) => paths.every((p) => valueAt(r, p) !== undefined && valueAt(r, p) !== null));
  return { kept, dropped: rows.length - kept.length };
}

/** Table transforms, aliases and cursor fallbacks, then the primary-key check, on every page. */
function shapePages(def: StreamDef, warn: (m: string) => void) {
  const transforms = def.transforms ?? [];
  const key = def.primaryKey.map((k) => k.join(".")).join(", ");
  return map((page: Page): Page => {
    let records = transforms.length ? applyTransforms(page.records, transforms) : page.records;
    if (def.aliases || def.cursorFallback) for (const r of records) normalizeRecord(def, r);
    const { kept, dropped } = keyedRecords(def.primaryKey, records);
    if (dropped) warn(`${def.name}: ${dropped} record(s) without primary key ${key} left out`);
    records = kept;
    return records === page.records ? page : { ...page, records };
  });
}

function readCrm(
  def: StreamDef,
  src: CrmObjectSource,
  opts: ReadOptions,
  state: StreamState | undefined,
  ready: Ready,
): Observable<Page> {
  return readCrmObject(
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
      state: state as CrmState | undefined,
      startDate: opts.startDate,
      lookbackMs: opts.lookbackMs,
      emitDeletes: opts.emitDeletes,
    },
  );
}

/**
 * Interpret one stream of the table into an Observable of pages, requesting each next page only when `ready`
 * says the sink took the previous one. Saved cursors are checked here, before any reader sees them; the
 * client-side cursor filter and the newest-cursor state of streams whose reader keeps no position are applied
 * here too, so every stream's state is decided in one place.
 */
export function readStream(def: StreamDef, opts: ReadOptions, ready: Ready): Observable<Page> {
  return defer(() => {
    const src = def.source;
    const field = def.cursorField;
    const incremental = opts.syncMode === "incremental" && !!def.incremental && !!field;
    const state = incremental ? usableState(def, opts.state, opts.warn) : undefined;
    const cursorMs = field ? cursorMillis(state?.[field]) : undefined;
    const clientSince =
      incremental && def.incremental === "client" ? Math.max(opts.startDate, cursorMs ?? -Infinity) : undefined;
    let pages: Observable<Page>;
    let readerKeepsState: boolean;
    if (src.kind === "crm-object") {
      pages = readCrm(def, src, opts, state, ready);
      readerKeepsState = opts.syncMode === "incremental" && def.incremental === "server" && !src.archived;
    } else {
      const ctx: ReadContext = {
        def,
        opts,
        now: (opts.scheduler ?? asyncScheduler).now(),
        cursorMs,
        state,
        clientSince,
        read: (s, r) => readSource(s, ctx, r),
      };
      pages = readSource(src, ctx, ready);
      readerKeepsState = checkpointsPosition(src);
    }
    pages = pages.pipe(shapePages(def, opts.warn));
    // CRM records modified before start_date are left out in every mode, as the seed connector does.
    const since = src.kind === "crm-object" ? Math.max(opts.startDate, clientSince ?? -Infinity) : clientSince;
    if (field && since !== undefined) pages = pages.pipe(filterByCursor({ cursorField: field, since }));
    if (incremental && !readerKeepsState) {
      pages = pages.pipe(
        trackState({ cursorField: field as string, start: state?.[field as string], stream: def.name }),
      );
    }
    return pages;
  });
}
