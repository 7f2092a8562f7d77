import { existsSync } from "node:fs";
import { access, constants, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Config, parseConfig, readConfigFile, serializeConfig } from "../config.js";
import { SourceError } from "../errors.js";
import type { PipelineEvents, StreamSummary } from "../pipeline.js";
import type { ConfiguredCatalog } from "../protocol/catalog.js";
import { readStateFile, type StateMap, writeStateFileAtomic } from "../protocol/state.js";
import { redactorFor } from "../redact.js";
import { createSink, multiSink } from "../sinks/index.js";
import type { Sink } from "../sinks/sink.js";
import { HubSpotSource } from "../source.js";
import type { StreamState } from "../sources/page.js";
import { didYouMean } from "./cli-options.js";
import { exitCodeOfRun, runSource } from "./connector.js";
import { listenForInterrupts } from "./interrupt.js";
import { Progress } from "./progress.js";

export interface SyncInputs {
  configPath?: string;
  streams?: string[];
  sinks: string[];
  out: string;
  /** The state file; default `<out>/state.json`; false (`--no-state`): neither read nor write one. */
  statePath?: string | false;
  fullRefresh?: boolean;
  demo?: boolean;
  scale?: string;
  /** Checkpoint cadence: at most every this many seconds / records per stream (and always at its end). */
  checkpointSeconds?: number;
  checkpointRecords?: number;
}

/** File sinks checkpoint less often: each checkpoint finishes a Parquet part file. */
const FILE_CHECKPOINT = { everyMs: 60_000, everyRecords: 500_000 };

async function demoConfig(scale: string): Promise<{ config: Config; stop: () => Promise<void> }> {
  const { startSimulator } = await import("../simulator/index.js");
  const sim = await startSimulator({ seed: 1, scale: scale as "small", tier: "pro", latencyMs: [5, 20] });
  const { config } = parseConfig({
    credentials: { credentials_title: "Private App Credentials", access_token: sim.credentials.privateAppToken },
    base_url: sim.url,
    rate_limit_tier: "professional",
    max_concurrent_streams: 6,
  });
  return { config, stop: () => sim.close() };
}

/** Human mode: sync streams into files with progress on a TTY, state in a file, a summary at the end. */
export async function syncCommand(inputs: SyncInputs): Promise<number> {
  for (const kind of inputs.sinks) sinkFor(kind, inputs.out); // a bad --sink is reported before anything starts
  await usableFolder("--out", inputs.out);
  const statePath = statePathOf(inputs);
  if (statePath) await usableFolder("--state", dirname(statePath));
  if (!inputs.demo) {
    if (!inputs.configPath) throw new SourceError("sync needs --config FILE (or --demo)", "CONFIG_MISSING", "config");
    const parsed = await readConfigFile(inputs.configPath);
    for (const w of parsed.warnings) process.stderr.write(`warning: config ${w}\n`);
    return syncWith(parsed.config, inputs);
  }
  const demo = await demoConfig(inputs.scale ?? "small");
  process.stderr.write(`demo: syncing from the embedded HubSpot simulator at ${demo.config.baseUrl}\n`);
  try {
    return await syncWith(demo.config, inputs);
  } finally {
    await demo.stop();
  }
}

/** The state file a sync uses: `--state`, else `<out>/state.json`, none with `--no-state`. */
function statePathOf(inputs: Pick<SyncInputs, "statePath" | "out">): string | undefined {
  if (inputs.statePath === false) return undefined;
  return inputs.statePath || join(inputs.out, "state.json");
}

/** A folder the sync can write into, created if missing; one line naming the flag when it cannot be. */
async function usableFolder(flag: string, dir: string): Promise<void> {
  const refuse = (why: string) => new SourceError(`${flag} ${dir}: ${why}`, "OUTPUT_UNUSABLE", "config");
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") throw refuse("is a file (or under one), not a folder");
    throw refuse(`cannot be created (${code ?? (err as Error).message})`);
  }
  if (!(await stat(dir)).isDirectory()) throw refuse("is a file, not a folder");
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw refuse("is not writable");
  }
}

async function syncWith(config: Config, inputs: SyncInputs): Promise<number> {
  const redact = redactorFor(config);
  const statePath = statePathOf(inputs);
  const states: StateMap = statePath && existsSync(statePath) ? await readStateFile(statePath) : new Map();
  const progress = new Progress(process.stderr, (t) => redact(t));
  const interrupts = listenForInterrupts((signal) =>
    progress.log(
      "warn",
      `${signal}: finishing the pages being written, then saving the state (send it again to exit at once)`,
    ),
  );

  const source = new HubSpotSource(config, {
    log: (level, message) => progress.log(level, message),
    onRefreshTokenRotated: async (token) => {
      redact.add(token);
      if (config.credentials.kind === "oauth") config.credentials.refreshToken = token;
      if (inputs.configPath) await persistRotatedToken(inputs.configPath, config);
      progress.log("info", "HubSpot rotated the OAuth refresh token; the config file was updated");
    },
  });
  progress.statsFrom(() => source.transport.stats());
  const sinks: Sink[] = inputs.sinks.map((kind) => sinkFor(kind, inputs.out));
  const sink = sinks.length === 1 ? (sinks[0] as Sink) : multiSink(sinks);
  const errors: unknown[] = [];
  let summaries: StreamSummary[] = [];
  try {
    const available = await source.streams();
    const wanted = inputs.streams?.length ? new Set(inputs.streams) : undefined;
    const names = available.map((d) => d.name);
    const unknown = [...(wanted ?? [])].filter((n) => !names.includes(n));
    if (unknown.length) {
      const hints = unknown.map((n) => `"${n}"${didYouMean(n, names)}`);
      throw new SourceError(
        `--streams: unknown stream ${hints.join(", ")}; \`discover\` lists all ${names.length}`,
        "STREAM_UNKNOWN",
        "config",
      );
    }
    const catalog: ConfiguredCatalog = {
      streams: available
        .filter((d) => !wanted || wanted.has(d.name))
        .map((d) => ({
          name: d.name,
          syncMode: d.incremental && !inputs.fullRefresh ? "incremental" : "full_refresh",
          destinationSyncMode: "append",
        })),
    };
    progress.expect(catalog.streams.map((s) => s.name));
    const events: PipelineEvents = {
      status: (stream, status) => progress.status(stream, status),
      state: async (stream, state: StreamState) => {
        states.set(stream, state);
        if (statePath) await writeStateFileAtomic(statePath, states);
      },
      log: (level, message) => progress.log(level, message),
      streamError: (stream, err) => progress.log("error", `${stream} failed: ${(err as Error).message ?? err}`),
      progress: (stream, records, total) => progress.records(stream, records, total),
    };
    summaries = await runSource(source, sink, events, catalog, states, errors, {
      everyMs: (inputs.checkpointSeconds ?? FILE_CHECKPOINT.everyMs / 1000) * 1000,
      everyRecords: inputs.checkpointRecords ?? FILE_CHECKPOINT.everyRecords,
      signal: interrupts.signal,
    });
    await sink.close();
  } finally {
    interrupts.dispose();
    progress.stop();
    source.close();
  }
  process.stderr.write(progress.summary(summaries, source.transport.stats(), inputs.out));
  return interrupts.exitCode() ?? exitCodeOfRun(summaries, errors);
}

/**
 * A sink by its CLI name. Parquet leaves out the `properties` JSON column (its typed `properties_*` columns hold
 * it all); bench/memory.ts measures the peak RSS of a 1M-record sync with these settings.
 */
export function sinkFor(kind: string, dir: string, parquet: { partRows?: number } = {}): Sink {
  if (kind === "ndjson") return createSink("ndjson", { dir });
  if (kind === "parquet") return createSink("parquet", { dir, omitUnnestedJson: true, ...parquet });
  if (kind === "duckdb") return createSink("duckdb", { dir });
  if (kind === "stdout") return createSink("stdout");
  throw new SourceError(
    `--sink: unknown sink "${kind}"; use ndjson, parquet, duckdb, stdout or a comma list`,
    "SINK_UNKNOWN",
    "config",
  );
}

async function persistRotatedToken(path: string, config: Config): Promise<void> {
  const raw = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  const next = { ...raw, credentials: serializeConfig(config).credentials };
  await writeFile(`${path}.tmp`, JSON.stringify(next, null, 2));
  const { rename } = await import("node:fs/promises");
  await rename(`${path}.tmp`, path);
}
