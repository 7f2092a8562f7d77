/**
 * Airbyte protocol messages: the types of what `spec`, `check`, `discover` and `read` print, one
 * JSON object per line, and small builders for each. Field names are the wire names (snake_case,
 * with the protocol's own camelCase exceptions: connectionStatus, sourceStats, connectorConfig).
 *
 * Only the parts of the protocol a source emits are typed; every builder's output is checked
 * against the official schema in test/protocol.
 */
import type { StreamState } from "../sources/page.js";
import type { AirbyteStream } from "./catalog.js";

/** Identifies a stream in STATE and TRACE messages. */
export interface StreamDescriptor {
  name: string;
  namespace?: string;
}

/** One row of one stream; `emitted_at` is epoch ms. */
export interface RecordMessage {
  type: "RECORD";
  record: { stream: string; data: Record<string, unknown>; emitted_at: number; namespace?: string };
}

/** Per-stream state; the only state type this source emits. */
export interface StreamStateMessage {
  type: "STREAM";
  stream: { stream_descriptor: StreamDescriptor; stream_state: StreamState };
  /** Records emitted for this stream since its previous STATE. */
  sourceStats?: { recordCount: number };
}

/** A checkpoint: the platform persists it and passes it back as `--state`. */
export interface StateMessage {
  type: "STATE";
  state: StreamStateMessage;
}

/** Levels the protocol allows in a LOG message. */
export type LogLevel = "FATAL" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";

/** A human-readable log line, shown by the platform in the sync log. */
export interface LogMessage {
  type: "LOG";
  log: { level: LogLevel; message: string; stack_trace?: string };
}

/** A stream's lifecycle: STARTED, RUNNING (first record), then COMPLETE or INCOMPLETE. */
export type StreamStatus = "STARTED" | "RUNNING" | "COMPLETE" | "INCOMPLETE";

/** Why a stream is in its status; only RATE_LIMITED exists in the protocol. */
export interface StreamStatusReason {
  type: "RATE_LIMITED";
  /** Epoch ms when the quota resets, if known. */
  rate_limited?: { quota_reset?: number };
}

/** config_error: the user must fix something; transient_error: a retry may work; system_error: our bug. */
export type FailureType = "config_error" | "system_error" | "transient_error";

/** Why the sync (or one stream) failed, for the platform's UI and retry policy. */
export interface ErrorTrace {
  type: "ERROR";
  emitted_at: number;
  error: {
    message: string;
    internal_message?: string;
    stack_trace?: string;
    failure_type: FailureType;
    stream_descriptor?: StreamDescriptor;
  };
}

/** A stream status change. */
export interface StreamStatusTrace {
  type: "STREAM_STATUS";
  emitted_at: number;
  stream_status: { stream_descriptor: StreamDescriptor; status: StreamStatus; reasons?: StreamStatusReason[] };
}

/** How many rows a stream is about to emit, for progress bars. */
export interface EstimateTrace {
  type: "ESTIMATE";
  emitted_at: number;
  estimate: {
    name: string;
    type: "STREAM" | "SYNC";
    row_estimate?: number;
    byte_estimate?: number;
    namespace?: string;
  };
}

/** The TRACE envelope around ERROR, STREAM_STATUS and ESTIMATE. */
export interface TraceMessage {
  type: "TRACE";
  trace: ErrorTrace | StreamStatusTrace | EstimateTrace;
}

/** What `spec` prints. `connectionSpecification` is the config's JSON Schema. */
export interface ConnectorSpecification {
  connectionSpecification: Record<string, unknown>;
  documentationUrl?: string;
  changelogUrl?: string;
  supportsIncremental?: boolean;
  protocol_version?: string;
  [extra: string]: unknown;
}

/** What `spec` prints. */
export interface SpecMessage {
  type: "SPEC";
  spec: ConnectorSpecification;
}

/** What `check` prints. */
export interface ConnectionStatusMessage {
  type: "CONNECTION_STATUS";
  connectionStatus: { status: "SUCCEEDED" | "FAILED"; message?: string };
}

/** What `discover` prints. */
export interface CatalogMessage {
  type: "CATALOG";
  catalog: { streams: AirbyteStream[] };
}

/** Asks the platform to persist a new config, e.g. after HubSpot rotated the refresh token. */
export interface ControlMessage {
  type: "CONTROL";
  control: { type: "CONNECTOR_CONFIG"; emitted_at: number; connectorConfig: { config: Record<string, unknown> } };
}

/** Any message a source prints. Discriminate on `type`. */
export type AirbyteMessage =
  | RecordMessage
  | StateMessage
  | LogMessage
  | TraceMessage
  | SpecMessage
  | ConnectionStatusMessage
  | CatalogMessage
  | ControlMessage;

/** The protocol declares epoch-ms `emitted_at` an integer for records; callers may pass performance-ish floats. */
const ms = (t: number) => Math.trunc(t);

/** A RECORD. `emittedAt` is epoch ms. */
export function recordMessage(stream: string, data: Record<string, unknown>, emittedAt: number): RecordMessage {
  return { type: "RECORD", record: { stream, data, emitted_at: ms(emittedAt) } };
}

/**
 * A per-stream STATE, to be printed only after every RECORD it covers.
 *
 * @param recordCount - records of this stream emitted since its previous STATE
 */
export function stateMessage(stream: string, streamState: StreamState, recordCount: number): StateMessage {
  return {
    type: "STATE",
    state: {
      type: "STREAM",
      stream: { stream_descriptor: { name: stream }, stream_state: streamState },
      sourceStats: { recordCount },
    },
  };
}

/** A LOG line; run `message` through `redact` first if it may quote a request. */
export function logMessage(level: LogLevel, message: string, stackTrace?: string): LogMessage {
  return {
    type: "LOG",
    log: stackTrace === undefined ? { level, message } : { level, message, stack_trace: stackTrace },
  };
}

/**
 * A STREAM_STATUS trace.
 *
 * @param now - epoch ms
 * @param reasons - e.g. `[{ type: "RATE_LIMITED", rate_limited: { quota_reset } }]` with RUNNING
 */
export function streamStatus(
  stream: string,
  status: StreamStatus,
  now: number,
  reasons?: StreamStatusReason[],
): TraceMessage {
  const stream_status: StreamStatusTrace["stream_status"] = { stream_descriptor: { name: stream }, status };
  if (reasons && reasons.length > 0) stream_status.reasons = reasons;
  return { type: "TRACE", trace: { type: "STREAM_STATUS", emitted_at: ms(now), stream_status } };
}

/** Input of {@link errorTrace}. `message` is for users; `internalMessage` for whoever debugs. */
export interface ErrorTraceInput {
  message: string;
  internalMessage?: string;
  failureType: FailureType;
  stream?: string;
  stackTrace?: string;
}

/** An ERROR trace, printed once before exiting non-zero (or when a stream fails). */
export function errorTrace(input: ErrorTraceInput, now: number): TraceMessage {
  const error: ErrorTrace["error"] = { message: input.message, failure_type: input.failureType };
  if (input.internalMessage !== undefined) error.internal_message = input.internalMessage;
  if (input.stackTrace !== undefined) error.stack_trace = input.stackTrace;
  if (input.stream !== undefined) error.stream_descriptor = { name: input.stream };
  return { type: "TRACE", trace: { type: "ERROR", emitted_at: ms(now), error } };
}

/** An ESTIMATE trace for one stream: how many rows it is about to emit. */
export function estimateTrace(stream: string, rows: number, now: number): TraceMessage {
  return {
    type: "TRACE",
    trace: {
      type: "ESTIMATE",
      emitted_at: ms(now),
      estimate: { name: stream, type: "STREAM", row_estimate: ms(rows) },
    },
  };
}

/** The SPEC message. */
export function specMessage(spec: ConnectorSpecification): SpecMessage {
  return { type: "SPEC", spec };
}

/** The CONNECTION_STATUS printed by `check`; `message` says what failed (redacted). */
export function connectionStatus(ok: boolean, message?: string): ConnectionStatusMessage {
  const status = ok ? "SUCCEEDED" : "FAILED";
  return { type: "CONNECTION_STATUS", connectionStatus: message === undefined ? { status } : { status, message } };
}

/** The CATALOG printed by `discover`. */
export function catalogMessage(streams: AirbyteStream[]): CatalogMessage {
  return { type: "CATALOG", catalog: { streams } };
}

/**
 * A CONTROL message carrying the full config to persist (see `serializeConfig`). It contains the
 * secrets by design: never pass it through `redact`, never log it elsewhere.
 */
export function controlConfigMessage(config: Record<string, unknown>, now: number): ControlMessage {
  return { type: "CONTROL", control: { type: "CONNECTOR_CONFIG", emitted_at: ms(now), connectorConfig: { config } } };
}

/**
 * One line of stdout: the message as JSON plus "\n". A STATE's integer `recordCount` is written
 * with a decimal point (`3.0`), as the protocol asks, so Java readers see a double.
 */
export function toLine(msg: AirbyteMessage): string {
  if (msg.type === "STATE") {
    const { sourceStats, ...rest } = msg.state;
    const count = sourceStats?.recordCount;
    if (sourceStats && Object.keys(sourceStats).length === 1 && Number.isSafeInteger(count)) {
      // Splice the stats into the serialised object: JSON.stringify has no way to print 3.0.
      const head = JSON.stringify({ type: "STATE", state: rest }).slice(0, -2);
      return `${head},"sourceStats":{"recordCount":${count}.0}}}\n`;
    }
  }
  return `${JSON.stringify(msg)}\n`;
}
