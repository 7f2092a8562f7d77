import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { Row } from "../sources/page.js";
import { updateCurrentViews, viewEntry } from "./current-views.js";
import { type AppendColumn, ident, RAW_COLUMN, RowAppender, sqlType } from "./row-appender.js";
import { serial } from "./serial.js";
import { type ColumnSpec, DELETED_COLUMN, type Sink, type TableSpec } from "./sink.js";
import { TableColumns } from "./table-columns.js";

export { RAW_COLUMN } from "./row-appender.js";

export type Codec = "SNAPPY" | "ZSTD" | "GZIP" | "UNCOMPRESSED";

export interface ParquetSinkOptions {
  /** Output directory; each table gets `<dir>/<table>/part-<runId>-<seq>.parquet`. */
  dir: string;
  /**
   * What all tables together may buffer before the largest is written out as a part (default 16 MB by RowAppender's
   * estimate, about 10,000 rows of a 100-column contact); every `flush()` writes a part of each table too.
   */
  bufferBytes?: number;
  /** Most rows of one part (default 1,000,000). */
  partRows?: number;
  /** Page compression (default SNAPPY). */
  compression?: Codec;
  /** Sortable id of this run used in part names (default: UTC timestamp like `20260102T030405123Z-ab12`). */
  runId?: string;
  /**
   * Leave out the `properties` JSON column of unnested records (default false: it is written). Lossless: a
   * row's `properties` is dropped only when every one of its keys has a `properties_<key>` field holding the
   * very same value, which is what unnestProperties + castTypes produce; any other row keeps it in `_raw`.
   * Only the distinction between a key that was null and one that was absent is not kept.
   */
  omitUnnestedJson?: boolean;
  /**
   * DuckDB's `memory_limit` (default 256MB), a ceiling rather than a budget (`bufferBytes` is that): writing a part
   * pins a block per column, which many wide tables at once need room for; past it, DuckDB spills to
   * `<dir>/.parquet-spill/`.
   */
  memoryLimit?: string;
  /** Write `<dir>/current.sql` (one DuckDB view per table: the newest row per key) on close (default true). */
  currentViews?: boolean;
}

interface ParquetTable {
  spec: TableSpec;
  dir: string;
  /** The in-memory table buffering the current part. */
  buffer: string;
  columns: TableColumns;
  appender?: RowAppender;
  buffered: number;
  /** RowAppender.bytes of the part so far, over the appenders it took (a new column means a new appender). */
  bytes: number;
  seq: number;
  mirrored: boolean;
}

const PART = /^part-.*\.parquet$/;
const TMP = /^part-.*\.parquet\.tmp$/;
const RAW: AppendColumn = { name: RAW_COLUMN, type: "json", role: "raw" };
const NESTED = { field: "properties", prefix: "properties_" };

/** A run id that sorts by time and does not collide between runs started in the same millisecond. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  return `${stamp}-${Math.random().toString(16).slice(2, 6).padEnd(4, "0")}`;
}

/** fsync a file or directory by path. */
async function sync(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The run id inside a part's file name, `part-<runId>-<seq>.parquet`. */
const runOf = (file: string): string => file.slice("part-".length, file.lastIndexOf("-"));

/**
 * Parquet part files per table, typed from `TableSpec.columns`, readable by DuckDB with
 * `read_parquet('<dir>/<table>/*.parquet', union_by_name = true)`. Written by DuckDB: rows are appended to an
 * in-memory table through its Appender (see RowAppender), and each part is one `COPY … TO … (FORMAT parquet)`.
 *
 * - Undeclared fields get a column typed at first sight (string, number, boolean, json for objects/arrays).
 * - A value that does not fit its column is stored as null there and kept, under its field name, in the row's
 *   `_raw` JSON column (present in every part, null when nothing was left over).
 * - Timestamps (ISO strings, epoch-ms numbers or digit strings) are TIMESTAMP(MICROS, isAdjustedToUTC) — DuckDB
 *   reads TIMESTAMPTZ; an ISO string without a zone is read as UTC. `string[]` columns are LIST<VARCHAR>,
 *   `integer` ones INT64. Empty strings are null in non-string columns.
 * - A part is written as `.parquet.tmp`, fsynced and renamed, at every `flush()` and whenever a table has buffered
 *   `partRows` rows, so only complete parts carry the `.parquet` name.
 * - `overwrite` (full refresh) keeps the previous run's parts until `complete()`, then removes them: a run that
 *   dies midway leaves the old snapshot (next to the parts it finished).
 * - `close()` writes `<dir>/current.sql`: a DuckDB view per table with the newest row per primary key.
 *
 * @example
 * const sink = parquetSink({ dir: "out" });
 * await sink.open({ name: "contacts", mode: "append", columns: [{ name: "id", type: "string" }] });
 * await sink.write("contacts", rows);
 * await sink.flush(); // every part so far is complete and on disk
 */
export function parquetSink(options: ParquetSinkOptions): Sink {
  const {
    dir,
    bufferBytes = 16 << 20,
    partRows = 1_000_000,
    compression = "SNAPPY",
    runId = newRunId(),
    omitUnnestedJson = false,
    memoryLimit = "256MB",
    currentViews = true,
  } = options;
  if (!(Number.isInteger(partRows) && partRows > 0)) throw new Error("partRows must be a positive integer");
  const tables = new Map<string, ParquetTable>();
  let db: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  /** Every database operation runs in call order, one at a time; the first failure fails all later ones. */
  const ops = serial();
  const run = ops.run;

  const connection = async (): Promise<DuckDBConnection> => {
    if (conn) return conn;
    db = await DuckDBInstance.create(":memory:", {
      memory_limit: memoryLimit,
      threads: "2",
      temp_directory: join(dir, ".parquet-spill"),
      // one block per column is pinned while a table is appended to: small blocks keep wide tables within the limit
      default_block_size: "16384",
    });
    conn = await db.connect();
    return conn;
  };

  const sql = async (text: string) => {
    await (await connection()).run(text);
  };

  /** Data columns in declared-then-seen order, `_raw` last: the layout of every part. */
  const partColumns = (t: ParquetTable): AppendColumn[] => [...t.columns.columns.filter((c) => c.role !== "raw"), RAW];

  const createBuffer = async (t: ParquetTable) => {
    const cols = partColumns(t);
    await sql(
      `CREATE OR REPLACE TABLE ${ident(t.buffer)} (${cols.map((c) => `${ident(c.name)} ${sqlType(c.type, "VARCHAR")}`).join(", ")})`,
    );
    t.columns = new TableColumns(cols, t.columns.skipped);
    const c = await connection();
    t.appender = new RowAppender(await c.createAppender(t.buffer), cols, {
      mirrored: t.mirrored ? NESTED : undefined,
    });
  };

  const addColumns = async (t: ParquetTable, found: readonly ColumnSpec[]) => {
    t.appender?.flush();
    t.appender?.close();
    t.appender = undefined;
    for (const c of found) {
      await sql(`ALTER TABLE ${ident(t.buffer)} ADD COLUMN ${ident(c.name)} ${sqlType(c.type, "VARCHAR")}`);
    }
    t.columns.add(found);
    const c = await connection();
    t.appender = new RowAppender(await c.createAppender(t.buffer), t.columns.columns, {
      mirrored: t.mirrored ? NESTED : undefined,
    });
  };

  const finishPart = async (t: ParquetTable) => {
    if (t.buffered === 0) return;
    t.appender?.flush();
    t.appender?.close();
    t.appender = undefined;
    const final = join(t.dir, `part-${runId}-${String(t.seq++).padStart(5, "0")}.parquet`);
    const tmp = `${final}.tmp`;
    const list = partColumns(t)
      .map((c) => ident(c.name))
      .join(", ");
    const path = tmp.replaceAll("'", "''");
    await sql(
      `COPY (SELECT ${list} FROM ${ident(t.buffer)}) TO '${path}' (FORMAT parquet, COMPRESSION ${compression.toLowerCase()})`,
    );
    await sync(tmp);
    await rename(tmp, final);
    await sync(t.dir);
    t.buffered = 0;
    t.bytes = 0;
    // a new table (not DELETE): an in-memory DuckDB table gives its memory back only when dropped
    await createBuffer(t);
  };

  const openTable = async (spec: TableSpec) => {
    const tableDir = join(dir, spec.name);
    await mkdir(tableDir, { recursive: true });
    // a .tmp part is never complete: a killed run's leftovers go
    for (const f of await readdir(tableDir)) if (TMP.test(f)) await rm(join(tableDir, f), { force: true });
    const mirrored = omitUnnestedJson && !!spec.columns?.some((c) => c.name.startsWith(NESTED.prefix));
    const declared = (spec.columns ?? []).filter((c) => !(mirrored && c.name === NESTED.field));
    const t: ParquetTable = {
      spec,
      dir: tableDir,
      buffer: `part_${tables.size}`,
      columns: new TableColumns([...declared, RAW], new Set(mirrored ? [NESTED.field] : [])),
      buffered: 0,
      bytes: 0,
      seq: 0,
      mirrored,
    };
    tables.set(spec.name, t);
    await createBuffer(t);
  };

  const write = async (t: ParquetTable, rows: readonly Row[]) => {
    for (let from = 0; from < rows.length; ) {
      const batch = rows.slice(from, from + (partRows - t.buffered));
      const found = t.columns.discover(batch);
      if (found.length) await addColumns(t, found);
      const appender = t.appender as RowAppender;
      const before = appender.bytes;
      appender.append(batch);
      t.bytes += appender.bytes - before;
      t.buffered += batch.length;
      from += batch.length;
      if (t.buffered >= partRows) await finishPart(t);
    }
    // memory, not a row count, decides when a part is written: wide and narrow tables alike stay within the budget
    for (;;) {
      let largest: ParquetTable | undefined;
      let total = 0;
      for (const x of tables.values()) {
        total += x.bytes;
        if (!largest || x.bytes > largest.bytes) largest = x;
      }
      if (total < bufferBytes || !largest) break;
      await finishPart(largest);
    }
  };

  /** The previous runs' parts of an overwritten table (and its child tables) go once the stream completed. */
  const complete = async (name: string) => {
    for (const t of tables.values()) {
      if (t.spec.mode !== "overwrite" || (t.spec.name !== name && t.spec.parent?.table !== name)) continue;
      await finishPart(t);
      for (const f of await readdir(t.dir)) {
        if (PART.test(f) && runOf(f) !== runId) await rm(join(t.dir, f), { force: true });
      }
      await sync(t.dir);
    }
  };

  const flush = async () => {
    for (const t of tables.values()) await finishPart(t);
  };

  const close = async () => {
    if (!ops.failure()) await flush();
    for (const t of tables.values()) t.appender?.close();
    if (!ops.failure() && currentViews && tables.size) {
      await updateCurrentViews(
        dir,
        [...tables.values()].map((t) => viewEntry(t.spec, t.columns.has(DELETED_COLUMN))),
      );
    }
    conn?.closeSync();
    db?.closeSync();
    conn = undefined;
    db = undefined;
    tables.clear();
    await rm(join(dir, ".parquet-spill"), { recursive: true, force: true });
  };

  return {
    name: "parquet",
    open: (spec) => run(async () => (tables.has(spec.name) ? undefined : openTable(spec))),
    write: (name, rows) =>
      run(async () => {
        const t = tables.get(name);
        if (!t) throw new Error(`parquet sink: table "${name}" was not opened`);
        if (rows.length) await write(t, rows);
      }),
    flush: () => run(flush),
    complete: (name) => run(() => complete(name)),
    close: async () => {
      await ops.idle();
      const err = ops.failure();
      await close();
      if (err) throw err;
    },
  };
}
