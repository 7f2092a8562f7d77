import { runSource } from "../../src/commands/connector.js";
import { parseConfig } from "../../src/config.js";
import type { PipelineEvents, StreamSummary } from "../../src/pipeline.js";
import type { ConfiguredCatalog } from "../../src/protocol/catalog.js";
import type { SimulatorHandle } from "../../src/simulator/index.js";
import { HubSpotSource } from "../../src/source.js";
import type { StreamState } from "../../src/sources/page.js";
import type { TransportStats } from "../../src/sources/transport.js";
import { MemorySink } from "./memory-sink.js";

export interface SyncResult {
  sink: MemorySink;
  states: Map<string, StreamState>;
  /** Every STATE checkpoint, in order. */
  checkpoints: { stream: string; state: StreamState; count: number }[];
  statuses: { stream: string; status: string }[];
  summaries: StreamSummary[];
  logs: string[];
  errors: unknown[];
  stats: TransportStats;
  rotated: string[];
}

export interface SyncOptions {
  streams: string[];
  mode?: "incremental" | "full_refresh";
  state?: Map<string, StreamState>;
  /** Extra raw config keys (snake_case), e.g. lookback_window. */
  config?: Record<string, unknown>;
  /** Credentials override (raw). Default: the simulator's all-scope private app token. */
  credentials?: Record<string, unknown>;
  checkpointEveryRecords?: number;
}

/** Run the real source + pipeline in-process against a simulator, into a memory sink. */
export async function syncFrom(sim: SimulatorHandle, opts: SyncOptions): Promise<SyncResult> {
  const { config } = parseConfig({
    credentials: opts.credentials ?? { access_token: sim.credentials.privateAppToken },
    base_url: sim.url,
    requests_per_10s: 100_000,
    search_requests_per_second: 1_000,
    max_concurrent_streams: 4,
    ...opts.config,
  });
  const logs: string[] = [];
  const rotated: string[] = [];
  const source = new HubSpotSource(config, {
    log: (level, m) => logs.push(`${level}: ${m}`),
    onRefreshTokenRotated: (t) => rotated.push(t),
  });
  const sink = new MemorySink();
  const states = new Map(opts.state ?? []);
  const result: SyncResult = {
    sink,
    states,
    checkpoints: [],
    statuses: [],
    summaries: [],
    logs,
    errors: [],
    stats: source.transport.stats(),
    rotated,
  };
  const events: PipelineEvents = {
    status: (stream, status) => {
      result.statuses.push({ stream, status });
    },
    state: (stream, state, count) => {
      states.set(stream, state);
      result.checkpoints.push({ stream, state, count });
    },
    log: (level, m) => logs.push(`${level}: ${m}`),
    streamError: () => {},
  };
  const catalog: ConfiguredCatalog = {
    streams: opts.streams.map((name) => ({
      name,
      syncMode: opts.mode ?? "incremental",
      destinationSyncMode: "append",
    })),
  };
  try {
    result.summaries = await runSource(source, sink, events, catalog, states, result.errors, {
      everyMs: 60_000,
      everyRecords: opts.checkpointEveryRecords ?? 1_000,
    });
  } finally {
    result.stats = source.transport.stats();
    source.close();
  }
  return result;
}

export const ids = (rows: { id?: unknown }[]) => rows.map((r) => String(r.id));
export const unique = <T>(xs: T[]) => [...new Set(xs)];

/** Rows that are records, not tombstones of deleted ones (`_ab_cdc_deleted_at`). */
export const liveRows = <T extends Record<string, unknown>>(rows: T[]) => rows.filter((r) => !r._ab_cdc_deleted_at);
/** Tombstones of deleted records. */
export const tombstoneRows = <T extends Record<string, unknown>>(rows: T[]) =>
  rows.filter((r) => !!r._ab_cdc_deleted_at);
