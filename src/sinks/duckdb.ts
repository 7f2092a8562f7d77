import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { Row } from "../sources/page.js";
import { type AppendColumn, ident, RAW_COLUMN, RowAppender, sqlType } from "./row-appender.js";
import { serial } from "./serial.js";
import { type ColumnSpec, type ColumnType, DELETED_COLUMN, type Sink, type TableSpec } from "./sink.js";
import { TableColumns } from "./table-columns.js";

export interface DuckdbSinkOptions {
  /** Output directory; the database is `<dir>/<file>`. */
  dir: string;
  /** Database file name (default `hubspot.duckdb`). */
  file?: string;
  /**
   * DuckDB's `memory_limit` (default 64MB): its cache of the file's blocks stays within it, and merges that need
   * more spill to `<file>.tmp/`. A table of several thousand columns may need more.
   */
  memoryLimit?: string;
  /** DuckDB's worker threads (default 2). */
  threads?: number;
  /**
   * Keep the nested `properties` JSON of CRM records as a column (default false): its `properties_*` columns hold the
   * same values typed; a record whose copies differ keeps the object in `_raw`.
   */
  keepNestedProperties?: boolean;
  /**
   * Merge and commit once the staged rows take about this much memory (default 8 MB by RowAppender's estimate, ~5,000
   * rows of a 100-column contact; DuckDB holds them about three times over until the commit: staged, merged,
   * logged), besides at every `flush()`. Committing early is safe: a checkpoint still only follows a `flush()`, and
   * re-delivered rows merge by key.
   */
  bufferBytes?: number;
}

const SEQ_COLUMN = "_seq";
const RAW: AppendColumn = { name: RAW_COLUMN, type: "json", role: "raw" };
const SEQ: AppendColumn = { name: SEQ_COLUMN, type: "integer", role: "seq" };
const NESTED = { field: "properties", prefix: "properties_" };

interface DuckTable {
  spec: TableSpec;
  /** Table merged into: the table itself, or its shadow in overwrite mode until the stream completes. */
  target: string;
  stage: string;
  /** Columns of the stage table (the target's, then `_seq`); the target has the same minus `_seq`. */
  columns: TableColumns;
  appender?: RowAppender;
  staged: number;
  key: string[];
  /** Whether the nested `properties` object is left to its typed copies (and `_raw` when they differ). */
  mirrored: boolean;
}

/** DuckDB's type names back to ours, for tables an earlier run created. */
function columnTypeOf(duckType: string): ColumnType | undefined {
  switch (duckType) {
    case "VARCHAR":
      return "string";
    case "JSON":
      return "json";
    case "DOUBLE":
      return "number";
    case "BIGINT":
      return "integer";
    case "BOOLEAN":
      return "boolean";
    case "TIMESTAMP WITH TIME ZONE":
      return "timestamp";
    case "DATE":
      return "date";
    case "VARCHAR[]":
      return "string[]";
    default:
      return undefined;
  }
}

const shadowOf = (name: string) => `${name}__next`;
const stageOf = (name: string) => `_stage_${name}`;

/**
 * The current state of every stream as DuckDB tables in `<dir>/hubspot.duckdb`: one table per stream and per child
 * table, typed from `TableSpec.columns` (undeclared fields typed at first sight; a value that does not fit its column
 * is kept in `_raw`), **merged by primary key**.
 *
 * - Rows go through DuckDB's Appender into a staging table; SQL merges them (delete by key, insert the newest
 *   version of each key). A row with a non-null `_ab_cdc_deleted_at` deletes its key and is never inserted. Tables
 *   without a primary key append.
 * - A child table (`TableSpec.parent`) loses the rows of every parent that was re-written or deleted, and keeps
 *   the rows that came with the parent's newest version.
 * - All of it happens in one transaction; `flush()` commits it, so a checkpoint written after `flush()` never
 *   covers a record the file does not hold. A killed run rolls back to the last commit.
 * - `overwrite` (full refresh) fills a shadow table that replaces the table only in `complete()`: a run that dies
 *   midway leaves the previous table as it was.
 *
 * @example
 * const sink = duckdbSink({ dir: "out" });
 * await sink.open({ name: "contacts", mode: "append", primaryKey: [["id"]], columns });
 * await sink.write("contacts", rows);
 * await sink.flush(); // committed: safe to checkpoint
 */
export function duckdbSink(options: DuckdbSinkOptions): Sink {
  const {
    dir,
    file = "hubspot.duckdb",
    memoryLimit = "64MB",
    threads = 2,
    keepNestedProperties = false,
    bufferBytes = 8 << 20,
  } = options;
  const tables = new Map<string, DuckTable>();
  let db: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  let inTransaction = false;
  let seq = 0;
  let staged = 0;
  let stagedBytes = 0;
  /** Every database operation runs in call order, one at a time; the first failure fails all later ones. */
  const ops = serial();
  const run = ops.run;

  const connection = async (): Promise<DuckDBConnection> => {
    if (conn) return conn;
    await mkdir(dir, { recursive: true });
    const path = join(dir, file);
    db = await DuckDBInstance.create(path, {
      memory_limit: memoryLimit,
      threads: String(threads),
      temp_directory: `${path}.tmp`,
      // DuckDB pins a block per column of every table it writes: 16 KiB blocks (not 256 KiB) keep a table with
      // thousands of HubSpot properties within the memory limit. A file keeps the block size it was created with.
      default_block_size: "16384",
      // each checkpoint rewrites the row groups appended since the last one: with DuckDB's 16 MB of log per
      // checkpoint, a 1M-row sync spent most of its time there (bench/README.md, "Sinks")
      checkpoint_threshold: "128MB",
    });
    conn = await db.connect();
    return conn;
  };

  const sql = async (text: string): Promise<void> => {
    await (await connection()).run(text);
  };

  const begin = async () => {
    if (inTransaction) return;
    await sql("BEGIN TRANSACTION");
    inTransaction = true;
  };

  const existingColumns = async (table: string): Promise<AppendColumn[] | undefined> => {
    const c = await connection();
    const rows = (
      await c.runAndReadAll(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = '${table.replaceAll("'", "''")}' ORDER BY ordinal_position`,
      )
    ).getRowObjectsJson() as { column_name: string; data_type: string }[];
    if (rows.length === 0) return undefined;
    return rows.map((r) => {
      const type = columnTypeOf(r.data_type);
      if (!type)
        throw new Error(
          `duckdb sink: column ${table}.${r.column_name} has a type this sink cannot fill: ${r.data_type}`,
        );
      return r.column_name === RAW_COLUMN ? RAW : { name: r.column_name, type };
    });
  };

  const createTable = (name: string, columns: readonly AppendColumn[], temp = false) =>
    sql(
      `CREATE ${temp ? "TEMP " : ""}TABLE ${ident(name)} (${columns.map((c) => `${ident(c.name)} ${sqlType(c.type)}`).join(", ")})`,
    );

  const openAppender = async (t: DuckTable) => {
    const c = await connection();
    t.appender = new RowAppender(await c.createAppender(t.stage, "main", "temp"), t.columns.columns, {
      mirrored: t.mirrored ? NESTED : undefined,
    });
  };

  const closeAppender = (t: DuckTable) => {
    t.appender?.close();
    t.appender = undefined;
  };

  const open = async (spec: TableSpec) => {
    await begin();
    // an unnested CRM record's `properties` object repeats its typed `properties_*` columns: leave it out (see options)
    const mirrored = !keepNestedProperties && !!spec.columns?.some((c) => c.name.startsWith(NESTED.prefix));
    const declared: AppendColumn[] = (spec.columns ?? []).filter((c) => !(mirrored && c.name === NESTED.field));
    let target = spec.name;
    let columns: AppendColumn[];
    if (spec.mode === "overwrite") {
      // a fresh snapshot with a fresh schema; a shadow left by a killed run is partial and goes
      target = shadowOf(spec.name);
      await sql(`DROP TABLE IF EXISTS ${ident(target)}`);
      columns = [...declared, RAW];
      await createTable(target, columns);
    } else {
      const existing = await existingColumns(spec.name);
      columns = existing ?? [...declared, RAW];
      if (!existing) await createTable(target, columns);
    }
    const known = new TableColumns(columns, new Set(mirrored ? [NESTED.field] : []));
    const missing = [...declared, RAW].filter((c) => !known.has(c.name));
    for (const c of missing) await sql(`ALTER TABLE ${ident(target)} ADD COLUMN ${ident(c.name)} ${sqlType(c.type)}`);
    known.add(missing);
    const stage = stageOf(spec.name);
    await sql(`DROP TABLE IF EXISTS temp.main.${ident(stage)}`);
    await createTable(stage, [...known.columns, SEQ], true);
    known.add([SEQ]);
    const key = (spec.primaryKey ?? []).map((path) => path.join("."));
    const t: DuckTable = { spec, target, stage, columns: known, staged: 0, key, mirrored };
    tables.set(spec.name, t);
    await openAppender(t);
  };

  const addColumns = async (t: DuckTable, found: readonly ColumnSpec[]) => {
    // a new column needs a new appender; what the old one holds is handed over first
    t.appender?.flush();
    closeAppender(t);
    for (const c of found) {
      await sql(`ALTER TABLE ${ident(t.target)} ADD COLUMN ${ident(c.name)} ${sqlType(c.type)}`);
      await sql(`ALTER TABLE temp.main.${ident(t.stage)} ADD COLUMN ${ident(c.name)} ${sqlType(c.type)}`);
    }
    t.columns.add(found);
    await openAppender(t);
  };

  const write = async (t: DuckTable, rows: readonly Row[]) => {
    await begin();
    const found = t.columns.discover(rows);
    if (found.length) await addColumns(t, found);
    const appender = t.appender as RowAppender;
    const before = appender.bytes;
    appender.append(rows, seq);
    stagedBytes += appender.bytes - before;
    seq += rows.length;
    t.staged += rows.length;
    staged += rows.length;
    if (stagedBytes >= bufferBytes) await commit();
  };

  const dataColumns = (t: DuckTable) => t.columns.columns.filter((c) => c.role !== "seq").map((c) => c.name);

  const mergeChild = async (child: DuckTable, parent: DuckTable) => {
    const key = child.spec.parent!.key;
    const parentKey = parent.key[0];
    if (!parentKey || !child.columns.has(key) || !parent.columns.has(parentKey)) return false;
    // compare as text when the two sides were typed differently (e.g. one declared, one inferred)
    const same = child.columns.typeOf(key) === parent.columns.typeOf(parentKey);
    const cast = (e: string) => (same ? e : `CAST(${e} AS VARCHAR)`);
    const pstage = `temp.main.${ident(parent.stage)}`;
    if (parent.staged > 0) {
      await sql(
        `DELETE FROM ${ident(child.target)} AS c USING (SELECT DISTINCT ${ident(parentKey)} AS k FROM ${pstage}) AS p WHERE ${cast(`c.${ident(key)}`)} = ${cast("p.k")}`,
      );
    }
    if (child.staged > 0) {
      const cols = dataColumns(child);
      // a child row belongs to the newest staged version of its parent when it came after it (a larger _seq)
      await sql(
        `INSERT INTO ${ident(child.target)} (${cols.map(ident).join(", ")}) SELECT ${cols.map((c) => `c.${ident(c)}`).join(", ")} FROM temp.main.${ident(child.stage)} AS c LEFT JOIN (SELECT ${ident(parentKey)} AS k, max(${SEQ_COLUMN}) AS s FROM ${pstage} GROUP BY ALL) AS p ON ${cast(`c.${ident(key)}`)} = ${cast("p.k")} WHERE p.s IS NULL OR c.${SEQ_COLUMN} > p.s ORDER BY c.${SEQ_COLUMN}`,
      );
    }
    return true;
  };

  const mergeKeyed = async (t: DuckTable) => {
    const cols = dataColumns(t);
    const list = cols.map(ident).join(", ");
    const stage = `temp.main.${ident(t.stage)}`;
    const keyed = t.key.length > 0 && t.key.every((k) => t.columns.has(k));
    if (!keyed) {
      await sql(`INSERT INTO ${ident(t.target)} (${list}) SELECT ${list} FROM ${stage} ORDER BY ${SEQ_COLUMN}`);
      return;
    }
    const keys = t.key.map(ident);
    const match = keys.map((k) => `t.${k} IS NOT DISTINCT FROM s.${k}`).join(" AND ");
    await sql(
      `DELETE FROM ${ident(t.target)} AS t USING (SELECT DISTINCT ${keys.join(", ")} FROM ${stage}) AS s WHERE ${match}`,
    );
    const live = t.columns.has(DELETED_COLUMN) ? ` AND ${ident(DELETED_COLUMN)} IS NULL` : "";
    await sql(
      `INSERT INTO ${ident(t.target)} (${list}) SELECT ${list} FROM (SELECT *, row_number() OVER (PARTITION BY ${keys.join(", ")} ORDER BY ${SEQ_COLUMN} DESC) AS _newest FROM ${stage}) WHERE _newest = 1${live} ORDER BY ${SEQ_COLUMN}`,
    );
  };

  /** Staged rows of every table into their tables, children before the parents whose staged keys they depend on. */
  const mergeAll = async () => {
    if (staged === 0) return;
    for (const t of tables.values()) t.appender?.flush();
    for (const t of tables.values()) {
      if (!t.spec.parent) continue;
      const parent = tables.get(t.spec.parent.table);
      const replaced = parent && (parent.staged > 0 || t.staged > 0) ? await mergeChild(t, parent) : false;
      // without its parent's key to go by, a child table appends like a table without a primary key
      if (!replaced && t.staged > 0) await mergeKeyed(t);
    }
    for (const t of tables.values()) if (!t.spec.parent && t.staged > 0) await mergeKeyed(t);
    for (const t of tables.values()) {
      if (t.staged === 0) continue;
      await sql(`DELETE FROM temp.main.${ident(t.stage)}`);
      t.staged = 0;
    }
    staged = 0;
    stagedBytes = 0;
  };

  const commit = async () => {
    await mergeAll();
    if (!inTransaction) return;
    await sql("COMMIT");
    inTransaction = false;
  };

  const swap = async (name: string) => {
    await commit();
    const swapped = [...tables.values()].filter(
      (t) => (t.spec.name === name || t.spec.parent?.table === name) && t.target !== t.spec.name,
    );
    if (swapped.length === 0) return;
    await begin();
    for (const t of swapped) {
      await sql(`DROP TABLE IF EXISTS ${ident(t.spec.name)}`);
      await sql(`ALTER TABLE ${ident(t.target)} RENAME TO ${ident(t.spec.name)}`);
      t.target = t.spec.name;
    }
    await commit();
  };

  const close = async () => {
    await commit();
    if (!conn) return;
    // shadows of streams that did not complete are partial: the previous tables stay
    for (const t of tables.values()) {
      closeAppender(t);
      if (t.target !== t.spec.name) await sql(`DROP TABLE IF EXISTS ${ident(t.target)}`);
    }
    await sql("CHECKPOINT");
    conn.closeSync();
    db?.closeSync();
    conn = undefined;
    db = undefined;
    tables.clear();
  };

  return {
    name: "duckdb",
    open: (spec) => run(async () => (tables.has(spec.name) ? undefined : open(spec))),
    write: (name, rows) =>
      run(async () => {
        const t = tables.get(name);
        if (!t) throw new Error(`duckdb sink: table "${name}" was not opened`);
        if (rows.length) await write(t, rows);
      }),
    flush: () => run(commit),
    complete: (name) => run(() => swap(name)),
    close: async () => {
      await ops.idle();
      if (!ops.failure()) return run(close);
      // after a failure nothing is committed any more: release the file (rolling back) and report it
      conn?.closeSync();
      db?.closeSync();
      conn = undefined;
      db = undefined;
      throw ops.failure();
    },
  };
}
