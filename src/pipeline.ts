import {
  asyncScheduler,
  concatMap,
  defer,
  firstValueFrom,
  from,
  fromEvent,
  lastValueFrom,
  mergeMap,
  NEVER,
  type Observable,
  type OperatorFunction,
  of,
  type SchedulerLike,
  take,
  takeUntil,
  tap,
  toArray,
} from "rxjs";
import { SourceError } from "./errors.js";
import { castTypes } from "./operators/cast-types.js";
import { splitChildren } from "./operators/split-children.js";
import { unnestProperties } from "./operators/unnest-properties.js";
import type { Sink, TableSpec } from "./sinks/sink.js";
import type { Page, StreamState } from "./sources/page.js";
import type { PropertyCatalog, PropertyDef } from "./sources/properties.js";
import { pageGate } from "./sources/pull.js";
import { readStream } from "./sources/read-stream.js";
import { streamColumns, streamProperties } from "./sources/schema.js";
import { missingScopes } from "./sources/scopes.js";
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
  /**
   * Records accepted by the sink, for progress displays; `total` is what HubSpot reports for the stream (or its
   * current window) when it does.
   */
  progress?(stream: string, records: number, total?: number): void;
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
  /** Tombstones for deleted CRM records in incremental reads (default true). */
  emitDeletes?: boolean;
  maxConcurrentStreams: number;
  /** Granted scopes when known; undefined = unknown, rely on 403s. */
  grantedScopes?: ReadonlySet<string>;
  /** Checkpoint at most this often per stream (and always at its end). */
  checkpointEveryMs: number;
  /** ...or once this many records were written since the last one. */
  checkpointEveryRecords: number;
  /** The clock of the checkpoint cadence and of every reader (default: asyncScheduler, the wall clock). */
  scheduler?: SchedulerLike;
  /**
   * Aborting stops every running stream after the page being written: it checkpoints the newest state its
   * written records cover, reports INCOMPLETE and the summary `interrupted`; streams not started yet do not start.
   */
  signal?: AbortSignal;
}

export interface StreamSummary {
  stream: string;
  records: number;
  status: "complete" | "skipped" | "failed" | "interrupted";
  reason?: string;
}

function typesOf(props: readonly PropertyDef[]): Record<string, string> {
  const types: Record<string, string> = {};
  for (const p of props) types[p.name] = p.type;
  return types;
}

/** The record transforms a stream's table entry asks for, in the design's order. */
function transforms(
  def: StreamDef,
  declared: readonly PropertyDef[] | undefined,
  warn: (m: string) => void,
): OperatorFunction<Page, Page>[] {
  const ops: OperatorFunction<Page, Page>[] = [];
  if (def.unnest) ops.push(unnestProperties());
  const props = declared && streamProperties(def, declared);
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
  if (opts.signal?.aborted) return { stream: name, records: 0, status: "interrupted", reason: "not started" };
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
  const clock = opts.scheduler ?? asyncScheduler;

  let records = 0;
  let sinceCheckpoint = 0;
  let lastCheckpointAt = clock.now();
  let pending: StreamState | undefined;
  // The newest state of the run, checkpointed or not: the final checkpoint repeats it, never the starting state.
  let latest: StreamState | undefined;
  let total: number | undefined;
  let interrupted = false;
  const gate = pageGate();
  const openedTables = new Set<string>();
  const mode = incremental ? "append" : "overwrite";

  const checkpoint = async (final: boolean) => {
    if (!pending && !final) return;
    await sink.flush();
    await events.state(name, latest ?? state ?? {}, sinceCheckpoint);
    pending = undefined;
    sinceCheckpoint = 0;
    lastCheckpointAt = clock.now();
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
        transport: opts.transport.forStream(name),
        properties: opts.properties,
        syncMode,
        state,
        startDate: opts.startDate,
        lookbackMs: opts.lookbackMs,
        emitDeletes: opts.emitDeletes,
        warn,
        scheduler: clock,
      },
      gate.ready,
    );
    for (const op of transforms(def, props, warn)) pages = pages.pipe(op);
    await lastValueFrom(
      pages.pipe(
        // After the reader and the transforms: a client-side stream's end-of-stream state (emitted once its read
        // completed) cannot slip out of an interrupted read.
        takeUntil(
          aborted(opts.signal).pipe(
            tap(() => {
              interrupted = true;
            }),
          ),
        ),
        concatMap((page) =>
          defer(async () => {
            if (opts.signal?.aborted) {
              interrupted = true; // fetched but not written: its state must not be checkpointed
              return;
            }
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
            total = page.total ?? total;
            events.progress?.(name, records, total);
            if (page.state) pending = latest = page.state;
            gate.written();
            const due =
              sinceCheckpoint >= opts.checkpointEveryRecords ||
              clock.now() - lastCheckpointAt >= opts.checkpointEveryMs;
            if (pending && due) await checkpoint(false);
          }),
        ),
        toArray(),
      ),
    );
    if (interrupted) {
      await checkpoint(false);
      await events.status(name, "INCOMPLETE");
      return { stream: name, records, status: "interrupted", reason: "interrupted" };
    }
    await checkpoint(true);
    await sink.complete?.(name);
    await events.status(name, "COMPLETE");
    return { stream: name, records, status: "complete" };
  } catch (err) {
    // A 403, or a 404 before any record (the account has no such API), means nothing to read here: skip.
    const absent = err instanceof SourceError && err.code === "NOT_FOUND" && records === 0;
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

/** Emits once the signal is aborted (at once if it already is); never without a signal. */
function aborted(signal: AbortSignal | undefined): Observable<unknown> {
  if (!signal) return NEVER;
  return signal.aborted ? of(true) : fromEvent(signal, "abort").pipe(take(1));
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
