/**
 * Shared plumbing of the bench scripts: machine description, argument parsing, an in-process sync against a
 * simulator, and a sink that only counts (so that disk speed stays out of request-bound benches).
 */
import { cpus, loadavg } from "node:os";
import { runSource } from "../src/commands/connector.js";
import { parseConfig } from "../src/config.js";
import type { PipelineEvents, StreamSummary } from "../src/pipeline.js";
import type { ConfiguredCatalog } from "../src/protocol/catalog.js";
import type { Sink, TableSpec } from "../src/sinks/sink.js";
import { HubSpotSource } from "../src/source.js";
import type { Row, StreamState } from "../src/sources/page.js";
import type { TransportStats } from "../src/sources/transport.js";

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  /** 1-minute load average when the bench started: above the core count the box was busy with other work. */
  load1: number;
  date: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? "unknown",
    node: process.version,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString().slice(0, 10),
  };
}

export function flag(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

export function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function numberOption(argv: readonly string[], name: string): number | undefined {
  const v = option(argv, name);
  return v === undefined ? undefined : Number(v);
}

/** Counts rows per table and remembers which primary keys were seen, to catch loss or duplication cheaply. */
export class CountingSink implements Sink {
  readonly name = "counting";
  readonly counts = new Map<string, number>();
  readonly duplicates = new Map<string, number>();
  /** Tombstones of deleted records (`_ab_cdc_deleted_at`) per table; not counted as duplicates. */
  private readonly deleted = new Map<string, number>();
  private readonly seen = new Map<string, Set<string>>();

  async open(table: TableSpec): Promise<void> {
    if (!this.counts.has(table.name)) this.counts.set(table.name, 0);
  }
  async write(table: string, rows: readonly Row[]): Promise<void> {
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
    let seen = this.seen.get(table);
    if (!seen) {
      seen = new Set();
      this.seen.set(table, seen);
    }
    for (const r of rows) {
      if (r._ab_cdc_deleted_at) {
        this.deleted.set(table, (this.deleted.get(table) ?? 0) + 1);
        continue;
      }
      if (r.id === undefined) continue;
      const id = String(r.id);
      if (seen.has(id)) this.duplicates.set(table, (this.duplicates.get(table) ?? 0) + 1);
      else seen.add(id);
    }
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  tombstones(table: string): number {
    return this.deleted.get(table) ?? 0;
  }
  total(tables?: readonly string[]): number {
    let n = 0;
    for (const [t, c] of this.counts) if (!tables || tables.includes(t)) n += c;
    return n;
  }
}

export interface InProcessSync {
  summaries: StreamSummary[];
  states: Map<string, StreamState>;
  stats: TransportStats;
  errors: unknown[];
  warnings: string[];
  wallMs: number;
}

/** One sync through the real source and pipeline, exactly as `sync` runs it, into `sink`. */
export async function syncInProcess(opts: {
  url: string;
  token: string;
  streams: readonly string[];
  mode: "incremental" | "full_refresh";
  sink: Sink;
  config?: Record<string, unknown>;
  states?: Map<string, StreamState>;
  /** Stream status changes (STARTED, RUNNING, COMPLETE, INCOMPLETE), e.g. for a timeline. */
  onStatus?: (stream: string, status: string) => void;
  /** Called with the source before the sync starts (e.g. to watch its rate budgets). */
  onSource?: (source: HubSpotSource) => void;
}): Promise<InProcessSync> {
  const { config } = parseConfig({
    credentials: { access_token: opts.token },
    base_url: opts.url,
    ...opts.config,
  });
  const warnings: string[] = [];
  const source = new HubSpotSource(config, {
    log: (level, m) => {
      if (level === "warn") warnings.push(m);
    },
  });
  opts.onSource?.(source);
  const states = new Map(opts.states ?? []);
  const events: PipelineEvents = {
    status: (stream, status) => opts.onStatus?.(stream, status),
    state: (stream, state) => {
      states.set(stream, state);
    },
    log: (level, m) => {
      if (level !== "info") warnings.push(m);
    },
    streamError: () => {},
  };
  const catalog: ConfiguredCatalog = {
    streams: opts.streams.map((name) => ({ name, syncMode: opts.mode, destinationSyncMode: "append" })),
  };
  const errors: unknown[] = [];
  const t0 = performance.now();
  let summaries: StreamSummary[] = [];
  try {
    summaries = await runSource(source, opts.sink, events, catalog, states, errors, {
      everyMs: 60_000,
      everyRecords: 500_000,
    });
    await opts.sink.close();
  } finally {
    source.close();
  }
  return { summaries, states, stats: source.transport.stats(), errors, warnings, wallMs: performance.now() - t0 };
}

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const pct = (x: number, digits = 1): string => `${round(x * 100, digits)} %`;

/** True when this module is the entry point (`node --import tsx bench/x.ts`). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  return metaUrl === new URL(`file://${entry.startsWith("/") ? entry : `${process.cwd()}/${entry}`}`).href;
}

/** What every bench's `run()` resolves to; bench/run.ts prints these as the results table. */
export interface BenchReport {
  /** Script name, e.g. "ceiling". */
  name: string;
  question: string;
  goal: string;
  /** The headline figure(s), human-readable. */
  measured: string;
  /** Whether the goal was met; null when the bench has no goal of its own (or ran at smoke size). */
  met: boolean | null;
  method: string;
  machine: Machine;
  /** Everything else measured, for the README and for debugging. */
  details: unknown;
}

/**
 * The simulator sends HubSpot's rate-limit headers even with its limits off, and the transport adopts them (190 per
 * 10 s). Benches that measure memory or request counts, not rate limiting, switch that adoption off.
 */
export function ignoreRateHeaders(source: HubSpotSource): void {
  source.transport.budgets.standard.setMax = () => {};
  source.transport.budgets.standard.observeRemaining = () => {};
}
