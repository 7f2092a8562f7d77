import { type DuckDBAppender, DuckDBDataChunk } from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import { compileFunction, readKey } from "../operators/record-shape.js";
import type { Row } from "../sources/page.js";
import { type Cast, castFor, toJson, UNCASTABLE } from "./column-cast.js";
import type { ColumnType } from "./sink.js";

/** Name of the JSON column that keeps, per row, every value that has no typed place in the table. */
export const RAW_COLUMN = "_raw";

/** A column of the appender's table, in table order. `raw` and `seq` columns are filled by the appender itself. */
export interface AppendColumn {
  name: string;
  type: ColumnType;
  /** `raw`: the `_raw` leftovers column; `seq`: a running row number (BIGINT) the caller sets the start of. */
  role?: "raw" | "seq";
}

export interface RowAppenderOptions {
  /**
   * Store `row[field]` in `_raw` only when the `prefix + key` columns do not already hold all of it: the unnested
   * copies of a CRM record's `properties` (see ParquetSinkOptions.omitUnnestedJson).
   */
  mirrored?: { field: string; prefix: string };
}

/** DuckDB's SQL type for a column; `json` is `JSON` where the reader should see JSON, `VARCHAR` in Parquet parts. */
export function sqlType(type: ColumnType, json: "JSON" | "VARCHAR" = "JSON"): string {
  switch (type) {
    case "string":
      return "VARCHAR";
    case "json":
      return json;
    case "number":
      return "DOUBLE";
    case "integer":
      return "BIGINT";
    case "boolean":
      return "BOOLEAN";
    case "timestamp":
      return "TIMESTAMPTZ";
    case "date":
      return "DATE";
    case "string[]":
      return "VARCHAR[]";
  }
}

/** A SQL identifier in double quotes. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const TWO_32 = 4294967296;
const CHUNK = duckdb.vector_size();

/** Per-chunk scratch buffers, shared by every column (they are copied into the vector before the next column). */
class Scratch {
  readonly f64 = new Float64Array(CHUNK);
  readonly i32 = new Int32Array(CHUNK * 2);
  readonly u8 = new Uint8Array(CHUNK);
  readonly validity = new Uint8Array(CHUNK / 8);
  /** duckdb_list_entry {uint64 offset, uint64 length}, as int32 halves. */
  readonly entries = new Int32Array(CHUNK * 4);
}

/** Writes a non-negative or negative safe integer as a little-endian int64 at `i32[2 * at]`. */
function setInt64(i32: Int32Array, at: number, n: number): void {
  const hi = Math.floor(n / TWO_32);
  i32[2 * at] = n - hi * TWO_32;
  i32[2 * at + 1] = hi;
}

type Extract = (rows: readonly Row[], from: number, n: number, out: unknown[][]) => void;

/**
 * Appends rows to one DuckDB table through its Appender, one data chunk (2,048 rows) at a time: each column is
 * read out of the rows by a compiled accessor (monomorphic property loads, not `row[name]`), cast once, and handed to
 * DuckDB in bulk — fixed-width columns as one typed-array copy, strings one call each (the C API has no bulk string
 * call). A value that does not fit its column is stored as NULL there and kept, under its field name, in `_raw`.
 *
 * The column list is fixed for the appender's life; the owner adds columns to the table and makes a new appender.
 *
 * @example
 * const rows = new RowAppender(await conn.createAppender("contacts"), [{ name: "id", type: "string" }, rawColumn]);
 * rows.append(page.records);
 * rows.flush();
 */
export class RowAppender {
  private readonly chunk: DuckDBDataChunk;
  private readonly casts: Cast[];
  private readonly extract: Extract;
  private readonly values: unknown[][];
  private readonly scratch = new Scratch();
  private leftovers: (Record<string, unknown> | undefined)[] = new Array(CHUNK);
  private mirrorCheck?: { keys: string[]; same: (row: Row, nested: Row) => boolean };
  /**
   * About how many bytes DuckDB holds for them in memory: 16 per value (its string slot; a fixed-width value takes
   * less), plus the text of strings too long to be inlined. Lets owners bound what they buffer by size, not rows.
   */
  bytes = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly AppendColumn[],
    private readonly options: RowAppenderOptions = {},
  ) {
    if (appender.columnCount !== columns.length) {
      throw new Error(`appender has ${appender.columnCount} columns, ${columns.length} were described`);
    }
    const types = columns.map((_, i) => appender.columnType(i));
    this.chunk = DuckDBDataChunk.create(types);
    this.casts = columns.map((c) => castFor(c.type));
    const data = columns.map((c, i) => [c, i] as const).filter(([c]) => !c.role);
    const body = data.map(([c, i]) => `out[${i}][r] = ${readKey("x", c.name)};`).join("\n");
    this.extract = compileFunction(
      ["rows", "from", "n", "out"],
      `for (let r = 0; r < n; r++) { const x = rows[from + r];\n${body}\n}`,
    );
    this.values = columns.map(() => new Array(CHUNK));
  }

  /** Append rows; `seq` numbers them from `seqStart` when the table has a `seq` column. */
  append(rows: readonly Row[], seqStart = 0): void {
    for (let from = 0; from < rows.length; from += CHUNK) {
      const n = Math.min(CHUNK, rows.length - from);
      this.bytes += n * this.columns.length * 16;
      this.fill(rows, from, n, seqStart + from);
      this.appender.appendDataChunk(this.chunk);
      this.chunk.reset();
    }
  }

  /** Hand every appended row to the table (the appender also does so by itself as its buffer fills). */
  flush(): void {
    this.appender.flushSync();
  }

  close(): void {
    this.appender.closeSync();
  }

  private fill(rows: readonly Row[], from: number, n: number, seq: number): void {
    const raw = this.chunk.chunk;
    duckdb.data_chunk_set_size(raw, n);
    this.extract(rows, from, n, this.values);
    this.leftovers.fill(undefined, 0, n);
    this.collectMirrored(rows, from, n);
    let rawAt = -1;
    for (let ci = 0; ci < this.columns.length; ci++) {
      const col = this.columns[ci]!;
      const vec = duckdb.data_chunk_get_vector(raw, ci);
      if (col.role === "seq") {
        const { i32 } = this.scratch;
        for (let r = 0; r < n; r++) setInt64(i32, r, seq + r);
        duckdb.copy_data_to_vector(vec, 0, i32.buffer, 0, n * 8);
      } else if (col.role === "raw") rawAt = ci;
      else this.fillColumn(col, this.casts[ci]!, this.values[ci]!, n, vec);
    }
    // last: it collects what every other column could not take
    if (rawAt >= 0) this.fillRaw(rows, from, n, duckdb.data_chunk_get_vector(raw, rawAt));
  }

  /** Casts and copies one data column; uncastable values go to `leftovers`. */
  private fillColumn(col: AppendColumn, cast: Cast, vals: unknown[], n: number, vec: duckdb.Vector): void {
    const { f64, i32, u8, validity } = this.scratch;
    validity.fill(0, 0, Math.ceil(n / 8));
    let nulls = 0;
    const keep = (r: number, x: unknown) => {
      nulls++;
      this.leftover(r)[col.name] = x;
    };
    const type = col.type;
    for (let r = 0; r < n; r++) {
      const x = vals[r];
      vals[r] = undefined;
      if (x === null || x === undefined) {
        nulls++;
        continue;
      }
      // the common case needs no cast call: a string for a text column, a number for a double
      const v =
        type === "string" && typeof x === "string" ? x : type === "number" && typeof x === "number" ? x : cast(x);
      if (v === UNCASTABLE) {
        keep(r, x);
        continue;
      }
      if (v === null) {
        nulls++;
        continue;
      }
      validity[r >> 3]! |= 1 << (r & 7);
      switch (type) {
        case "string":
        case "json":
          duckdb.vector_assign_string_element(vec, r, v as string);
          if ((v as string).length > 12) this.bytes += (v as string).length;
          break;
        case "number":
          f64[r] = v as number;
          break;
        case "integer":
          setInt64(i32, r, v as number);
          break;
        case "timestamp":
          // TIMESTAMPTZ holds microseconds; a millisecond count below 2^53 / 1000 times 1000 is exact
          setInt64(i32, r, (v as number) * 1000);
          break;
        case "date":
          i32[r] = v as number;
          break;
        case "boolean":
          u8[r] = v ? 1 : 0;
          break;
        case "string[]":
          vals[r] = v;
          break;
      }
    }
    switch (type) {
      case "number":
        duckdb.copy_data_to_vector(vec, 0, f64.buffer, 0, n * 8);
        break;
      case "integer":
      case "timestamp":
        duckdb.copy_data_to_vector(vec, 0, i32.buffer, 0, n * 8);
        break;
      case "date":
        duckdb.copy_data_to_vector(vec, 0, i32.buffer, 0, n * 4);
        break;
      case "boolean":
        duckdb.copy_data_to_vector(vec, 0, u8.buffer, 0, n);
        break;
      case "string[]":
        this.fillLists(vals, n, vec);
        break;
    }
    if (nulls > 0) this.setValidity(vec, n);
  }

  /** LIST(VARCHAR): offsets and lengths in the parent, every element in the child vector. */
  private fillLists(vals: unknown[], n: number, vec: duckdb.Vector): void {
    const { entries } = this.scratch;
    let total = 0;
    for (let r = 0; r < n; r++) {
      const list = vals[r] as (string | null)[] | undefined;
      const len = list ? list.length : 0;
      entries[4 * r] = total;
      entries[4 * r + 1] = 0;
      entries[4 * r + 2] = len;
      entries[4 * r + 3] = 0;
      total += len;
    }
    duckdb.list_vector_reserve(vec, total);
    duckdb.list_vector_set_size(vec, total);
    const child = duckdb.list_vector_get_child(vec);
    let at = 0;
    let childNulls = false;
    const childValidity = new Uint8Array(Math.ceil(total / 64) * 8);
    for (let r = 0; r < n; r++) {
      const list = vals[r] as (string | null)[] | undefined;
      vals[r] = undefined;
      if (!list) continue;
      this.bytes += list.length * 16;
      for (const s of list) {
        if (s === null) childNulls = true;
        else {
          duckdb.vector_assign_string_element(child, at, s);
          if (s.length > 12) this.bytes += s.length;
          childValidity[at >> 3]! |= 1 << (at & 7);
        }
        at++;
      }
    }
    if (childNulls) {
      duckdb.vector_ensure_validity_writable(child);
      duckdb.copy_data_to_vector_validity(child, 0, childValidity.buffer, 0, childValidity.byteLength);
    }
    duckdb.copy_data_to_vector(vec, 0, entries.buffer, 0, n * 16);
  }

  private setValidity(vec: duckdb.Vector, n: number): void {
    duckdb.vector_ensure_validity_writable(vec);
    duckdb.copy_data_to_vector_validity(vec, 0, this.scratch.validity.buffer, 0, Math.ceil(n / 64) * 8);
  }

  /** The `_raw` column: uncastable values, the nested object when its copies do not mirror it, the row's own `_raw`. */
  private fillRaw(rows: readonly Row[], from: number, n: number, vec: duckdb.Vector): void {
    const { validity } = this.scratch;
    validity.fill(0, 0, Math.ceil(n / 8));
    let nulls = 0;
    for (let r = 0; r < n; r++) {
      let left = this.leftovers[r];
      const own = rows[from + r]![RAW_COLUMN];
      if (own !== undefined && own !== null) {
        left ??= {};
        left[RAW_COLUMN] = own;
      }
      if (left === undefined) {
        nulls++;
        continue;
      }
      validity[r >> 3]! |= 1 << (r & 7);
      const json = toJson(sortedKeys(left));
      duckdb.vector_assign_string_element(vec, r, json);
      this.bytes += json.length;
    }
    if (nulls > 0) this.setValidity(vec, n);
  }

  private leftover(r: number): Record<string, unknown> {
    let left = this.leftovers[r];
    if (left === undefined) {
      left = {};
      this.leftovers[r] = left;
    }
    return left;
  }

  private collectMirrored(rows: readonly Row[], from: number, n: number): void {
    const mirrored = this.options.mirrored;
    if (!mirrored) return;
    for (let r = 0; r < n; r++) {
      const row = rows[from + r]!;
      const nested = row[mirrored.field];
      if (nested === null || nested === undefined) continue;
      const plain = typeof nested === "object" && !Array.isArray(nested);
      if (plain && this.mirrors(row, nested as Row, mirrored.prefix)) continue;
      this.leftover(r)[mirrored.field] = nested;
    }
  }

  /** Whether every key of `nested` has a `prefix + key` copy on the row holding the very same value. */
  private mirrors(row: Row, nested: Row, prefix: string): boolean {
    let check = this.mirrorCheck;
    if (!check || !hasKeys(nested, check.keys)) {
      const keys = Object.keys(nested);
      const body = keys.length
        ? `return ${keys.map((k) => `${readKey("row", prefix + k)} === ${readKey("nested", k)}`).join(" && ")};`
        : "return true;";
      check = { keys, same: compileFunction(["row", "nested"], body) };
      this.mirrorCheck = check;
    }
    return check.same(row, nested);
  }
}

function hasKeys(obj: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in obj) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** Leftovers in name order, so `_raw` reads the same whatever column order the table has. */
function sortedKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(obj);
  if (keys.length < 2) return obj;
  const out: Record<string, unknown> = {};
  for (const k of keys.sort()) out[k] = obj[k];
  return out;
}
