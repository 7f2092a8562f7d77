import { SourceError } from "../errors.js";
import type { PipelineEvents } from "../pipeline.js";
import {
  type AirbyteMessage,
  errorTrace,
  estimateTrace,
  type FailureType,
  logMessage,
  stateMessage,
  streamStatus,
  toLine,
} from "../protocol/messages.js";
import type { LineWriter } from "../sinks/line-writer.js";

/** Airbyte's failure type for an error kind. */
export function failureTypeOf(err: unknown): FailureType {
  if (!(err instanceof SourceError)) return "system_error";
  if (err.kind === "config" || err.kind === "permission") return "config_error";
  if (err.kind === "transient") return "transient_error";
  return "system_error";
}

/** Errors already traced, so a stream error re-thrown to end the run is not reported twice. */
const reported = new WeakSet<object>();

/** Writes Airbyte messages, every string redacted, through the one stdout LineWriter. */
export class MessageOut {
  constructor(
    readonly lines: LineWriter,
    private readonly redact: (text: string) => string,
  ) {}

  emit(msg: AirbyteMessage): Promise<void> {
    return this.lines.write(this.redact(toLine(msg).trimEnd()));
  }

  log(level: "INFO" | "WARN" | "ERROR", message: string): Promise<void> {
    return this.emit(logMessage(level, message));
  }

  error(err: unknown, stream?: string): Promise<void> {
    if (typeof err === "object" && err !== null) {
      if (reported.has(err)) return Promise.resolve();
      reported.add(err);
    }
    const message = err instanceof Error ? err.message : String(err);
    const internal =
      err instanceof SourceError ? `${err.code} (${err.kind})` : err instanceof Error ? err.name : "error";
    return this.emit(
      errorTrace({ message, internalMessage: internal, failureType: failureTypeOf(err), stream }, Date.now()),
    );
  }
}

/** How often `read` reports progress as a LOG message on long syncs. */
export const PROGRESS_EVERY_MS = 30_000;

/**
 * Pipeline events as Airbyte messages on stdout. Long reads also get a progress LOG line every
 * `PROGRESS_EVERY_MS` per stream (records so far and records/s), since stdout carries no progress bar, and a
 * stream whose total HubSpot reports gets one ESTIMATE trace, which the platform shows as a progress bar.
 */
export function airbyteEvents(out: MessageOut, now: () => number = Date.now): PipelineEvents {
  const started = new Map<string, { at: number; lastReport: number; estimated: boolean }>();
  return {
    progress: (stream, records, total) => {
      const t = now();
      const s = started.get(stream) ?? { at: t, lastReport: t, estimated: false };
      started.set(stream, s);
      if (total !== undefined && !s.estimated) {
        s.estimated = true;
        void out.emit(estimateTrace(stream, total, t));
      }
      if (t - s.lastReport < PROGRESS_EVERY_MS) return;
      s.lastReport = t;
      const rate = Math.round((records * 1000) / Math.max(1, t - s.at));
      const count = total === undefined ? `${records}` : `${records} of ${total}`;
      void out.log("INFO", `${stream}: ${count} records so far (${rate} records/s)`);
    },
    status: (stream, status) => out.emit(streamStatus(stream, status, Date.now())),
    state: (stream, state, count) => out.emit(stateMessage(stream, state, count)),
    log: (level, message) => {
      void out.log(level === "warn" ? "WARN" : level === "error" ? "ERROR" : "INFO", message);
    },
    streamError: (stream, err) => out.error(err, stream),
  };
}
