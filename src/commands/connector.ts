import { type Config, readConfigFile, serializeConfig } from "../config.js";
import { exitCodeOf, SourceError } from "../errors.js";
import { type PipelineEvents, runPipeline, type StreamSummary } from "../pipeline.js";
import { readCatalogFile } from "../protocol/catalog.js";
import { catalogMessage, connectionStatus, controlConfigMessage, specMessage, toLine } from "../protocol/messages.js";
import { connectorSpecification } from "../protocol/spec.js";
import { readStateFile } from "../protocol/state.js";
import { redactorFor } from "../redact.js";
import { LineWriter } from "../sinks/line-writer.js";
import type { Sink } from "../sinks/sink.js";
import { stdoutSink } from "../sinks/stdout.js";
import { HubSpotSource } from "../source.js";
import type { StreamState } from "../sources/page.js";
import { airbyteEvents, MessageOut } from "./airbyte-events.js";
import { didYouMean } from "./cli-options.js";
import { listenForInterrupts } from "./interrupt.js";

/** Checkpoint cadence when stdout is the sink (cheap to checkpoint). */
export const STDOUT_CHECKPOINT = { everyMs: 5_000, everyRecords: 10_000 };

async function loadConfig(path: string, out: MessageOut): Promise<Config> {
  const { config, warnings } = await readConfigFile(path);
  for (const w of warnings) await out.log("WARN", `config ${w}`);
  return config;
}

function plainOut(): MessageOut {
  return new MessageOut(new LineWriter(process.stdout), (t) => t);
}

/** Run a protocol command: any error becomes a TRACE ERROR and an exit code. */
async function guarded(out: MessageOut, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    await out.error(err);
    await out.lines.flush();
    return exitCodeOf(err);
  }
}

export async function specCommand(): Promise<number> {
  const out = plainOut();
  await out.emit(specMessage(connectorSpecification));
  return 0;
}

export async function checkCommand(configPath: string): Promise<number> {
  let out = plainOut();
  try {
    const { config, warnings } = await readConfigFile(configPath);
    out = new MessageOut(out.lines, redactorFor(config));
    for (const w of warnings) await out.log("WARN", `config ${w}`);
    const source = new HubSpotSource(config, { log: (l, m) => void out.log(l === "warn" ? "WARN" : "INFO", m) });
    try {
      const result = await source.check();
      await out.emit(connectionStatus(result.ok, result.ok ? undefined : result.message));
    } finally {
      source.close();
    }
  } catch (err) {
    await out.emit(connectionStatus(false, err instanceof Error ? err.message : String(err)));
  }
  return 0;
}

export async function discoverCommand(configPath: string): Promise<number> {
  const out = plainOut();
  return guarded(out, async () => {
    const config = await loadConfig(configPath, out);
    const redacted = new MessageOut(out.lines, redactorFor(config));
    const source = new HubSpotSource(config, { log: (l, m) => void redacted.log(l === "warn" ? "WARN" : "INFO", m) });
    try {
      await redacted.emit(catalogMessage(await source.discover()));
    } finally {
      source.close();
    }
    return 0;
  });
}

/** Exit code of a finished run: the first failed stream's kind, else 0. */
export function exitCodeOfRun(summaries: readonly StreamSummary[], errors: readonly unknown[]): number {
  if (!summaries.some((s) => s.status === "failed")) return 0;
  return errors.length ? exitCodeOf(errors[0]) || 1 : 1;
}

export interface ReadInputs {
  configPath: string;
  catalogPath: string;
  statePath?: string;
}

/**
 * `read`: RECORD/STATE/TRACE/LOG/CONTROL on stdout, nothing else. SIGTERM (how the platform cancels a sync) or
 * SIGINT ends it as `sync` does: the pages being written are finished and their STATE emitted first.
 */
export async function readCommand(inputs: ReadInputs): Promise<number> {
  const sink = stdoutSink({ out: process.stdout });
  let out = new MessageOut(sink.lines, (t) => t);
  return guarded(out, async () => {
    const config = await loadConfig(inputs.configPath, out);
    const redactor = redactorFor(config);
    out = new MessageOut(sink.lines, redactor);
    const catalog = await readCatalogFile(inputs.catalogPath);
    const states = inputs.statePath ? await readStateFile(inputs.statePath) : new Map<string, StreamState>();
    const source = new HubSpotSource(config, {
      log: (l, m) => void out.log(l === "warn" ? "WARN" : "INFO", m),
      onRefreshTokenRotated: (token) => {
        if (config.credentials.kind === "oauth") config.credentials.refreshToken = token;
        // CONTROL must carry the real secrets (the platform stores the whole config): not redacted.
        void sink.lines.write(toLine(controlConfigMessage(serializeConfig(config), Date.now())).trimEnd());
        redactor.add(token);
      },
    });
    const errors: unknown[] = [];
    const interrupts = listenForInterrupts(
      (signal) => void out.log("WARN", `${signal}: stopping after the pages being written`),
    );
    try {
      const events = airbyteEvents(out);
      const summaries = await runSource(source, sink, events, catalog, states, errors, {
        ...STDOUT_CHECKPOINT,
        signal: interrupts.signal,
      });
      await sink.close();
      return interrupts.exitCode() ?? exitCodeOfRun(summaries, errors);
    } finally {
      interrupts.dispose();
      source.close();
    }
  });
}

/** Plan, learn scopes, run the pipeline; collects stream errors into `errors`. */
export async function runSource(
  source: HubSpotSource,
  sink: Sink,
  events: PipelineEvents,
  catalog: Awaited<ReturnType<typeof readCatalogFile>>,
  states: ReadonlyMap<string, StreamState>,
  errors: unknown[],
  run: { everyMs: number; everyRecords: number; signal?: AbortSignal },
): Promise<StreamSummary[]> {
  // Independent look-ups (token info, custom object schemas) go out together: the sync starts a round trip sooner.
  const [granted, { planned, unknown }] = await Promise.all([source.grantedScopes(), source.plan(catalog, states)]);
  if (unknown.length) {
    const available = (await source.streams()).map((d) => d.name);
    for (const name of unknown) {
      events.log("warn", `stream ${name} is not available in this account; skipped${didYouMean(name, available)}`);
    }
  }
  const config = source.config;
  const collecting: PipelineEvents = {
    ...events,
    streamError: (stream, err) => {
      errors.push(err);
      return events.streamError(stream, err);
    },
  };
  try {
    return await runPipeline({
      transport: source.transport,
      properties: source.properties,
      streams: planned,
      sink,
      events: collecting,
      startDate: Date.parse(config.startDate),
      lookbackMs: config.lookbackWindowMinutes * 60_000,
      emitDeletes: config.emitDeletes,
      maxConcurrentStreams: config.maxConcurrentStreams,
      grantedScopes: granted,
      checkpointEveryMs: run.everyMs,
      checkpointEveryRecords: run.everyRecords,
      signal: run.signal,
    });
  } catch (err) {
    if (err instanceof SourceError) errors.push(err);
    throw err;
  }
}
