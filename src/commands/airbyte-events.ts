import { SourceError } from "../errors.js";
import type { PipelineEvents } from "../pipeline.js";
import {
  type AirbyteMessage,
  errorTrace,
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

/** Pipeline events as Airbyte messages on stdout; `onState` lets the caller persist states too. */
export function airbyteEvents(
  out: MessageOut,
  onState?: (stream: string, state: Record<string, unknown>) => void,
): PipelineEvents {
  return {
    status: (stream, status) => out.emit(streamStatus(stream, status, Date.now())),
    state: (stream, state, count) => {
      onState?.(stream, state);
      return out.emit(stateMessage(stream, state, count));
    },
    log: (level, message) => {
      void out.log(level === "warn" ? "WARN" : level === "error" ? "ERROR" : "INFO", message);
    },
    streamError: (stream, err) => out.error(err, stream),
  };
}
