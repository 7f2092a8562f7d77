import { type DuckdbSinkOptions, duckdbSink } from "./duckdb.js";
import { type NdjsonSinkOptions, ndjsonSink } from "./ndjson.js";
import { type ParquetSinkOptions, parquetSink } from "./parquet.js";
import type { Sink } from "./sink.js";
import { type StdoutSink, type StdoutSinkOptions, stdoutSink } from "./stdout.js";

export { CURRENT_SQL } from "./current-views.js";
export { type DuckdbSinkOptions, duckdbSink } from "./duckdb.js";
export { LineWriter } from "./line-writer.js";
export { multiSink } from "./multi.js";
export { type NdjsonSinkOptions, ndjsonSink } from "./ndjson.js";
export { newRunId, type ParquetSinkOptions, parquetSink, RAW_COLUMN } from "./parquet.js";
export { type ColumnSpec, type ColumnType, DELETED_COLUMN, type Sink, type TableSpec } from "./sink.js";
export { type StdoutSink, type StdoutSinkOptions, stdoutSink } from "./stdout.js";

/** Options per sink kind, for `createSink`. */
export interface SinkOptionsByKind {
  ndjson: NdjsonSinkOptions;
  parquet: ParquetSinkOptions;
  duckdb: DuckdbSinkOptions;
  stdout: StdoutSinkOptions;
}

export type SinkKind = keyof SinkOptionsByKind;

/**
 * Build a sink by the name used on the command line.
 *
 * @example
 * const sinks = ["ndjson", "parquet"].map((k) => createSink(k as SinkKind, { dir: "out" }));
 */
export function createSink(kind: "stdout", opts?: StdoutSinkOptions): StdoutSink;
export function createSink<K extends SinkKind>(kind: K, opts: SinkOptionsByKind[K]): Sink;
export function createSink(kind: SinkKind, opts: unknown = {}): Sink {
  switch (kind) {
    case "ndjson":
      return ndjsonSink(opts as NdjsonSinkOptions);
    case "parquet":
      return parquetSink(opts as ParquetSinkOptions);
    case "duckdb":
      return duckdbSink(opts as DuckdbSinkOptions);
    case "stdout":
      return stdoutSink(opts as StdoutSinkOptions);
    default:
      throw new Error(`unknown sink kind: ${String(kind)}`);
  }
}
