import { open, rename } from "node:fs/promises";
import type { SchemaElement } from "hyparquet";
import { type ColumnSource, ParquetWriter } from "hyparquet-writer";
import { AsyncFileWriter } from "./async-file-writer.js";
import { type Cast, castFor, inferType, UNCASTABLE } from "./column-cast.js";
import type { ColumnType } from "./sink.js";

/** Name of the JSON column that keeps, per row, every value that has no typed place in the part. */
export const RAW_COLUMN = "_raw";

export type Codec = "SNAPPY" | "GZIP" | "UNCOMPRESSED";

export interface PartOptions {
  tmpPath: string;
  finalPath: string;
  codec: Codec;
  compressors?: ConstructorParameters<typeof ParquetWriter>[0]["compressors"];
  /** Called when an undeclared field gets its type at first sight, so the next part starts with it. */
  onInfer: (name: string, type: ColumnType) => void;
  /** Store `row[field]` only where `prefix + key` columns do not already hold it (see ParquetSinkOptions). */
  mirrored?: { field: string; prefix: string };
}

interface Column {
  name: string;
  /** Undefined until the first non-null value of an undeclared field is seen. */
  type: ColumnType | undefined;
  cast: Cast;
  values: unknown[];
}

const noCast: Cast = () => UNCASTABLE;

/**
 * The strings as UTF-8 views into one shared buffer. hyparquet-writer would otherwise `TextEncoder.encode` each
 * value into an allocation of its own: kilobyte JSON values × a row group is megabytes of short-lived external
 * memory that drives GC.
 */
function utf8Views(values: readonly (string | null)[]): (Uint8Array | null)[] {
  let size = 0;
  for (const v of values) if (v !== null) size += Buffer.byteLength(v);
  const buf = Buffer.allocUnsafe(size);
  const out = new Array<Uint8Array | null>(values.length);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null) {
      out[i] = null;
      continue;
    }
    const n = buf.write(v, at);
    out[i] = new Uint8Array(buf.buffer, buf.byteOffset + at, n);
    at += n;
  }
  return out;
}

function schemaElement(name: string, type: ColumnType): SchemaElement {
  const repetition_type = "OPTIONAL";
  switch (type) {
    case "string":
    case "json":
    case "string[]":
      return { name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type };
    case "number":
      return { name, type: "DOUBLE", repetition_type };
    case "integer":
      return { name, type: "INT64", repetition_type };
    case "boolean":
      return { name, type: "BOOLEAN", repetition_type };
    case "timestamp":
      // converted type only (no isAdjustedToUTC logical type): readers show TIMESTAMP, values are UTC
      return { name, type: "INT64", converted_type: "TIMESTAMP_MILLIS", repetition_type };
    case "date":
      return { name, type: "INT32", converted_type: "DATE", repetition_type };
  }
}

/**
 * One part file being written. Rows are buffered column-wise for one row group; the schema is fixed
 * when the first row group is encoded, until then undeclared fields become new columns. Afterwards
 * `accepts()` says whether a row still fits, and the caller rolls over to a new part when it does not.
 */
export class ParquetPart {
  readonly columns: Column[] = [];
  private readonly byName = new Map<string, Column>();
  private raw: (string | null)[] = [];
  private pw?: ParquetWriter;
  /** Rows buffered in the current row group. */
  buffered = 0;
  /** Rows in the part, buffered or written. */
  rows = 0;

  constructor(
    known: ReadonlyMap<string, ColumnType | undefined>,
    private readonly opts: PartOptions,
  ) {
    for (const [name, type] of known) if (name !== opts.mirrored?.field) this.addColumn(name, type);
  }

  get frozen(): boolean {
    return this.pw !== undefined;
  }

  private addColumn(name: string, type: ColumnType | undefined): Column {
    const col: Column = {
      name,
      type,
      cast: type ? castFor(type) : noCast,
      values: new Array(this.buffered).fill(null),
    };
    this.columns.push(col);
    this.byName.set(name, col);
    return col;
  }

  /** False when the schema is fixed and the row carries a field it has no column for. */
  accepts(row: Record<string, unknown>): boolean {
    if (!this.frozen) return true;
    const skip = this.opts.mirrored?.field;
    for (const key in row) {
      if (row[key] !== undefined && !this.byName.has(key) && key !== RAW_COLUMN && key !== skip) return false;
    }
    return true;
  }

  private readonly mirrorKeys = new Map<string, string>();

  /** Whether every key of the nested object has a top-level copy holding the very same value. */
  private mirroredIn(row: Record<string, unknown>, nested: Record<string, unknown>, prefix: string): boolean {
    for (const key in nested) {
      let top = this.mirrorKeys.get(key);
      if (top === undefined) {
        top = prefix + key;
        this.mirrorKeys.set(key, top);
      }
      if (row[top] !== nested[key] || !Object.hasOwn(row, top)) return false;
    }
    return true;
  }

  /** Buffer one row; the caller checked `accepts()`. */
  add(row: Record<string, unknown>): void {
    const mirrored = this.opts.mirrored;
    if (!this.frozen) {
      for (const key in row) {
        if (row[key] !== undefined && !this.byName.has(key) && key !== RAW_COLUMN && key !== mirrored?.field) {
          this.addColumn(key, undefined);
        }
      }
    }
    let raw: Record<string, unknown> | undefined;
    if (mirrored) {
      const nested = row[mirrored.field];
      if (nested !== null && nested !== undefined) {
        const plain = typeof nested === "object" && !Array.isArray(nested);
        if (!plain || !this.mirroredIn(row, nested as Record<string, unknown>, mirrored.prefix)) {
          raw = { [mirrored.field]: nested };
        }
      }
    }
    for (const col of this.columns) {
      const v = row[col.name];
      if (v === null || v === undefined) {
        col.values.push(null);
        continue;
      }
      if (col.type === undefined) {
        col.type = inferType(v);
        col.cast = castFor(col.type);
        this.opts.onInfer(col.name, col.type);
      }
      const c = col.cast(v);
      if (c === UNCASTABLE) {
        col.values.push(null);
        raw ??= {};
        raw[col.name] = v;
      } else col.values.push(c);
    }
    const own = row[RAW_COLUMN];
    if (own !== undefined) {
      raw ??= {};
      raw[RAW_COLUMN] = own;
    }
    this.raw.push(raw ? JSON.stringify(raw) : null);
    this.buffered++;
    this.rows++;
  }

  /** Encode the buffered rows as one row group and write it out (the encoding itself is synchronous). */
  async writeGroup(): Promise<void> {
    if (this.buffered === 0) return;
    if (!this.pw) {
      // a field that stayed null through the first row group has no type to go by: store it as string
      for (const col of this.columns) {
        if (col.type === undefined) {
          col.type = "string";
          col.cast = castFor("string");
          this.opts.onInfer(col.name, "string");
        }
      }
      const schema: SchemaElement[] = [
        { name: "root", num_children: this.columns.length + 1 },
        ...this.columns.map((c) => schemaElement(c.name, c.type ?? "string")),
        schemaElement(RAW_COLUMN, "json"),
      ];
      const fh = await open(this.opts.tmpPath, "w");
      this.pw = new ParquetWriter({
        writer: new AsyncFileWriter(fh),
        schema,
        codec: this.opts.codec,
        compressors: this.opts.compressors,
        createdBy: "source-hubspot",
      });
    }
    // min/max of JSON text helps no reader, and comparing kilobyte strings is a visible share of the encoding;
    // a JSON value is nearly always unique, so skip dictionary sampling too
    const columnData: ColumnSource[] = this.columns.map((c) =>
      c.type === "json"
        ? { name: c.name, data: utf8Views(c.values as (string | null)[]), statistics: false, encoding: "PLAIN" }
        : { name: c.name, data: c.values as ColumnSource["data"] },
    );
    // min/max of a grab-bag JSON column helps no reader
    columnData.push({ name: RAW_COLUMN, data: utf8Views(this.raw), statistics: false, encoding: "PLAIN" });
    const rows = this.buffered;
    for (const c of this.columns) c.values = [];
    this.raw = [];
    this.buffered = 0;
    await this.pw.write({ columnData, rowGroupSize: rows });
  }

  /** Write what is buffered, the footer, fsync, and rename the part into place. False if it held no rows. */
  async finish(): Promise<boolean> {
    if (this.rows === 0) return false;
    await this.writeGroup();
    await this.pw?.finish();
    await rename(this.opts.tmpPath, this.opts.finalPath);
    return true;
  }
}
