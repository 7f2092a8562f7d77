import type { Row } from "../sources/page.js";

/** The column holding a CRM delete's archive time (Airbyte's CDC convention): a row with it set is a tombstone. */
export const DELETED_COLUMN = "_ab_cdc_deleted_at";

/** Column types a sink can store; `string[]` is a list of strings (a CRM record's associated ids). */
export type ColumnType = "string" | "number" | "integer" | "boolean" | "timestamp" | "date" | "json" | "string[]";

/** A typed, nullable column of a table (Parquet and DuckDB use it; NDJSON and stdout ignore it). */
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
  /**
   * Airbyte's shape: one field path per key column, e.g. `[["id"]]` or `[["listId"], ["recordId"]]`.
   * Absent or empty: rows have no identity and are only ever appended.
   */
  primaryKey?: string[][];
  /** A child table: `key` is its column holding the parent's primary key; re-written parents replace their children. */
  parent?: { table: string; key: string };
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
  /**
   * A stream finished successfully (after its last checkpoint): an `overwrite` table (and its child tables) may now
   * replace the previous output. Optional: sinks that replace in place ignore it.
   */
  complete?(table: string): Promise<void>;
  /** Flush and release every table. */
  close(): Promise<void>;
}
