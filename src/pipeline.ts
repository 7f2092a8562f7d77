import {
  concatMap,
  defer,
  firstValueFrom,
  from,
  lastValueFrom,
  mergeMap,
  type Observable,
  type OperatorFunction,
  toArray,
} from "rxjs";
import { HttpError, SourceError } from "./errors.js";
import { castTypes } from "./operators/cast-types.js";
import { filterByCursor } from "./operators/filter-by-cursor.js";
import { splitChildren } from "./operators/split-children.js";
import { trackState } from "./operators/track-state.js";
import { unnestProperties } from "./operators/unnest-properties.js";
import type { Sink, TableSpec } from "./sinks/sink.js";
import type { Page, StreamState } from "./sources/page.js";
import type { PropertyCatalog, PropertyDef } from "./sources/properties.js";
import { pageGate } from "./sources/pull.js";
import { readStream } from "./sources/read-stream.js";
import { streamColumns } from "./sources/schema.js";
import type { StreamDef, SyncMode } from "./sources/stream-def.js";
import type { Transport } from "./sources/transport.js";

export type StreamStatus = "STARTED" | "RUNNING" | "COMPLETE" | "INCOMPLETE";

/** What the pipeline reports; the CLI turns these into Airbyte messages or human progress. */
export interface PipelineEvents {
  status(stream: string, status: StreamStatus): void | Promise<void>;
  /** A checkpoint: every record it covers was accepted (and flushed) by the sink. */
  state(stream: string, state: StreamState, recordCount: number): void | Promise<void>;
  log(level: "info" | "warn" | "error", message: string): void;
  /** A stream failed for good; the run goes on with the other streams unless the error is a config error. */
  streamError(stream: string, err: unknown): void | Promise<void>;
  /** Records accepted by the sink, for progress displays. */
  progress?(stream: string, records: number): void;
}

export interface PlannedStream {
  def: StreamDef;
  syncMode: SyncMode;
  state?: StreamState;
}

export interface PipelineOptions {
  transport: Transport;
  properties: PropertyCatalog;
  streams: readonly PlannedStream[];
  sink: Sink;
  events: PipelineEvents;
  /** Epoch ms. */
  startDate: number;
  lookbackMs: number;
  maxConcurrentStreams: number;
  /** Granted scopes when known; undefined = unknown, rely on 403s. */
  grantedScopes?: ReadonlySet<string>;
  /** Checkpoint at most this often per stream (and always at its end). */
  checkpointEveryMs: number;
  /** ...or once this many records were written since the last one. */
  checkpointEveryRecords: number;
}

export interface StreamSummary {
  stream: string;
  records: number;
  status: "complete" | "skipped" | "failed";
  reason?: string;
}

/**
 * Scopes HubSpot has renamed or split over time: holding any alternative satisfies the requirement,
 * so a token granted the newer granular scope is not refused a stream (a false skip loses data).
 */
const SCOPE_ALTERNATIVES: Record<string, readonly string[]> = {
  tickets: ["crm.objects.tickets.read"],
  "e-commerce": ["crm.objects.products.read", "crm.objects.line_items.read"],
  "crm.objects.custom.read": ["crm.objects.custom.highly_sensitive.read.v2", "crm.objects.custom.sensitive.read.v2"],
  "sales-email-read": [],
};

/** Missing scopes of a stream, given what the token was granted (undefined: unknown, rely on 403s). */
export function missingScopes(def: StreamDef, granted: ReadonlySet<string> | undefined): string[] {
  if (!granted) return [];
  return def.scopes.filter((s) => !granted.has(s) && !(SCOPE_ALTERNATIVES[s] ?? []).some((a) => granted.has(a)));
}

function typesOf(props: readonly PropertyDef[]): Record<string, string> {
  const types: Record<string, string> = {};
  for (const p of props) types[p.name] = p.type;
  return types;
}

/** The record transforms a stream's table entry asks for, in the design's order. */
function transforms(
  def: StreamDef,
  props: readonly PropertyDef[] | undefined,
  since: unknown,
  warn: (m: string) => void,
): OperatorFunction<Page, Page>[] {
  const ops: OperatorFunction<Page, Page>[] = [];
  if (def.cursorField && since !== undefined) ops.push(filterByCursor({ cursorField: def.cursorField, since }));
  if (def.unnest) ops.push(unnestProperties());
  if (props) {
    ops.push(
      castTypes(typesOf(props), {
        onUncastable: (property, value) =>
          warn(
            `${def.name}: property ${property} has a value that is not a valid ${typesOf(props)[property]}: ${JSON.stringify(value).slice(0, 80)} (kept as is)`,
          ),
      }),
    );
  }
  if (def.children?.length) ops.push(splitChildren(def.children));
  return ops;
}

/** Run one stream end to end: read → transform → sink → checkpoints. */
async function runStream(planned: PlannedStream, opts: PipelineOptions): Promise<StreamSummary> {
  const { def, syncMode } = planned;
  const { events, sink } = opts;
  const name = def.name;
  const warn = (m: string) => events.log("warn", m);
  await events.status(name, "STARTED");

  const missing = missingScopes(def, opts.grantedScopes);
  if (missing.length) {
    warn(`stream ${name} skipped: the token lacks scope(s) ${missing.join(", ")}`);
    await events.state(name, planned.state ?? {}, 0);
    await events.status(name, "COMPLETE");
    return { stream: name, records: 0, status: "skipped", reason: `missing scopes: ${missing.join(", ")}` };
  }

  const incremental = syncMode === "incremental" && !!def.incremental && !!def.cursorField;
  const state = incremental ? planned.state : undefined;
  const clientCursor = incremental && def.incremental === "client" ? state?.[def.cursorField as string] : undefined;
  const since = def.source.kind === "crm-object" ? laterOf(opts.startDate, clientCursor) : clientCursor;

  let records = 0;
  let sinceCheckpoint = 0;
  let lastCheckpointAt = Date.now();
  let pending: StreamState | undefined;
  const gate = pageGate();
  const openedTables = new Set<string>();
  const mode = incremental ? "append" : "overwrite";

  const checkpoint = async (final: boolean) => {
    if (!pending && !final) return;
    await sink.flush();
    await events.state(name, pending ?? state ?? {}, sinceCheckpoint);
    pending = undefined;
    sinceCheckpoint = 0;
    lastCheckpointAt = Date.now();
  };

  const open = async (table: string, spec: Omit<TableSpec, "name" | "mode"> = {}) => {
    if (openedTables.has(table)) return;
    openedTables.add(table);
    await sink.open({ name: table, mode, ...spec });
  };

  try {
    const props =
      def.source.kind === "crm-object" ? await firstValueFrom(opts.properties.of(def.source.objectType)) : undefined;
    await open(name, { columns: streamColumns(def, props), primaryKey: def.primaryKey });
    // child tables up front, so a sink can replace their rows with the parent's even when no record has children
    for (const c of def.children ?? []) await open(c.table, { parent: { table: name, key: c.parentKeyAs } });
    let running = false;
    let pages: Observable<Page> = readStream(
      def,
      {
        transport: opts.transport,
        properties: opts.properties,
        syncMode,
        state,
        startDate: opts.startDate,
        lookbackMs: opts.lookbackMs,
        warn,
      },
      gate.ready,
    );
    for (const op of transforms(def, props, since, warn)) pages = pages.pipe(op);
    if (incremental && def.incremental === "client") {
      pages = pages.pipe(trackState({ cursorField: def.cursorField as string, start: clientCursor, stream: name }));
    }
    await lastValueFrom(
      pages.pipe(
        concatMap((page) =>
          defer(async () => {
            if (!running) {
              running = true;
              await events.status(name, "RUNNING");
            }
            if (page.records.length) await sink.write(name, page.records);
            for (const [table, rows] of Object.entries(page.children ?? {})) {
              await open(table);
              if (rows.length) await sink.write(table, rows);
            }
            records += page.records.length;
            sinceCheckpoint += page.records.length;
            events.progress?.(name, records);
            if (page.state) pending = page.state;
            gate.written();
            const due =
              sinceCheckpoint >= opts.checkpointEveryRecords || Date.now() - lastCheckpointAt >= opts.checkpointEveryMs;
            if (pending && due) await checkpoint(false);
          }),
        ),
        toArray(),
      ),
    );
    await checkpoint(true);
    await sink.complete?.(name);
    await events.status(name, "COMPLETE");
    return { stream: name, records, status: "complete" };
  } catch (err) {
    // A 403, or a 404 before any record (the account has no such API), means nothing to read here: skip.
    const absent = err instanceof HttpError && err.failure.status === 404 && records === 0;
    if ((err instanceof SourceError && err.kind === "permission") || absent) {
      warn(`stream ${name} skipped: ${err.message}`);
      await Promise.resolve(events.state(name, planned.state ?? {}, 0)).catch(() => {});
      await events.status(name, "COMPLETE");
      return { stream: name, records, status: "skipped", reason: err.message };
    }
    await events.status(name, "INCOMPLETE");
    await events.streamError(name, err);
    if (err instanceof SourceError && err.kind === "config") throw err;
    return { stream: name, records, status: "failed", reason: err instanceof Error ? err.message : String(err) };
  }
}

function laterOf(startDate: number, cursor: unknown): unknown {
  if (cursor === undefined || cursor === null) return startDate;
  const ms = typeof cursor === "number" ? cursor : Date.parse(String(cursor));
  return Number.isFinite(ms) && ms > startDate ? cursor : startDate;
}

/**
 * Streams → operators → sink, `maxConcurrentStreams` at a time, sharing one transport (and so one
 * rate budget). The only place that subscribes.
 */
export async function runPipeline(opts: PipelineOptions): Promise<StreamSummary[]> {
  const summaries = await lastValueFrom(
    from(opts.streams).pipe(
      mergeMap((s) => defer(() => runStream(s, opts)), Math.max(1, opts.maxConcurrentStreams)),
      toArray(),
    ),
    { defaultValue: [] as StreamSummary[] },
  );
  return summaries;
}
