import type { Row } from "../sources/page.js";

export type ColumnType = "string" | "number" | "integer" | "boolean" | "timestamp" | "date" | "json";

/** A typed, nullable column of a table (Parquet uses it; NDJSON and stdout ignore it). */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** What a sink needs to know about a table before the first write. */
export interface TableSpec {
  name: string;
  /** Declared columns. Rows may carry fields not listed here (a sink must not lose them). */
  columns?: ColumnSpec[];
  /** `overwrite` replaces the table's previous output (full refresh); `append` adds to it (incremental). */
  mode: "append" | "overwrite";
}

/**
 * Where pages end up. Every method honours backpressure: `write()` resolves only once the rows are
 * accepted (the underlying Writable drained), so the reader never runs ahead of the sink.
 */
export interface Sink {
  readonly name: string;
  /** Prepare a table; called once per table before its first write. */
  open(table: TableSpec): Promise<void>;
  /** Accept rows for an opened table; resolves when accepted. */
  write(table: string, rows: readonly Row[]): Promise<void>;
  /** Make everything accepted so far durable (on disk for file sinks) before a state checkpoint. */
  flush(): Promise<void>;
  /** Flush and release every table. */
  close(): Promise<void>;
}
