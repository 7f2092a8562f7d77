import { mkdir, open, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Row } from "../sources/page.js";
import { type Codec, ParquetPart } from "./parquet-part.js";
import type { ColumnType, Sink, TableSpec } from "./sink.js";
import { snappyCompress } from "./snappy.js";

export { RAW_COLUMN } from "./parquet-part.js";

export interface ParquetSinkOptions {
  /** Output directory; each table gets `<dir>/<table>/part-<runId>-<seq>.parquet`. */
  dir: string;
  /** Rows per row group, also the most rows buffered per table (default 10,000). */
  rowGroupSize?: number;
  /** Page compression (default SNAPPY). */
  compression?: Codec;
  /** Sortable id of this run used in part names (default: UTC timestamp like `20260102T030405123Z-ab12`). */
  runId?: string;
  /**
   * Leave out the `properties` JSON column of unnested records (default false: it is written). Lossless: a
   * row's `properties` is dropped only when every one of its keys has a `properties_<key>` field holding the
   * very same value, which is what unnestProperties + castTypes produce; any other row keeps it in `_raw`.
   * Only the distinction between a key that was null and one that was absent is not kept. It halves the CPU
   * cost of a 50-property contact (the JSON text is the widest column to serialize, encode and compress).
   */
  omitUnnestedJson?: boolean;
}

interface ParquetTable {
  spec: TableSpec;
  dir: string;
  /** Declared columns, then inferred ones in order of first sight; every new part starts with all of them. */
  known: Map<string, ColumnType | undefined>;
  part?: ParquetPart;
  seq: number;
  /** Serialises work on the table: writes and flushes may be issued concurrently. */
  queue: Promise<void>;
  error?: unknown;
}

const PART = /^part-.*\.parquet$/;
const TMP = /^part-.*\.parquet\.tmp$/;

/** A run id that sorts by time and does not collide between runs started in the same millisecond. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  return `${stamp}-${Math.random().toString(16).slice(2, 6).padEnd(4, "0")}`;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Parquet part files per table, typed from `TableSpec.columns`, readable by DuckDB with
 * `read_parquet('<dir>/<table>/*.parquet', union_by_name = true)`.
 *
 * - Undeclared fields get a column typed at first sight (string, number, boolean, json for
 *   objects/arrays). One that first appears after the part's schema was fixed starts a new part.
 * - A value that does not fit its column is stored as null there and kept, under its field name,
 *   in the row's `_raw` JSON column (present in every part, null when nothing was left over).
 * - Timestamps (ISO strings, epoch-ms numbers or digit strings) become TIMESTAMP(MILLIS) in UTC;
 *   an ISO string without a zone is read as UTC. Empty strings are null in non-string columns.
 * - Parts are written as `.parquet.tmp`, then fsynced and renamed by `flush()`/`close()`.
 *   Row groups are encoded synchronously (one event-loop block per group) and written asynchronously.
 *
 * @example
 * const sink = parquetSink({ dir: "out" });
 * await sink.open({ name: "contacts", mode: "append", columns: [{ name: "id", type: "string" }] });
 * await sink.write("contacts", rows);
 * await sink.flush(); // every part so far is complete and on disk
 */
export function parquetSink(options: ParquetSinkOptions): Sink {
  const { dir, rowGroupSize = 10_000, compression = "SNAPPY", runId = newRunId(), omitUnnestedJson = false } = options;
  if (!(Number.isInteger(rowGroupSize) && rowGroupSize > 0)) throw new Error("rowGroupSize must be a positive integer");
  const compressors =
    compression === "GZIP" ? { GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)) } : { SNAPPY: snappyCompress };
  const tables = new Map<string, ParquetTable>();

  const run = (t: ParquetTable, fn: () => Promise<void>): Promise<void> => {
    const p = t.queue.then(() => {
      if (t.error) throw t.error;
      return fn();
    });
    t.queue = p.catch((err) => {
      t.error ??= err;
    });
    return p;
  };

  const startPart = (t: ParquetTable): ParquetPart => {
    const base = join(t.dir, `part-${runId}-${String(t.seq++).padStart(5, "0")}.parquet`);
    return new ParquetPart(t.known, {
      tmpPath: `${base}.tmp`,
      finalPath: base,
      codec: compression,
      compressors,
      mirrored: omitUnnestedJson ? { field: "properties", prefix: "properties_" } : undefined,
      onInfer: (name, type) => {
        if (t.known.get(name) === undefined) t.known.set(name, type);
      },
    });
  };

  const finishPart = async (t: ParquetTable): Promise<void> => {
    const part = t.part;
    t.part = undefined;
    if (part && (await part.finish())) await fsyncDir(t.dir);
  };

  const writeRows = async (t: ParquetTable, rows: readonly Row[]): Promise<void> => {
    for (const row of rows) {
      let part = t.part;
      if (part && !part.accepts(row)) {
        await finishPart(t);
        part = undefined;
      }
      if (!part) {
        part = startPart(t);
        t.part = part;
      }
      part.add(row);
      if (part.buffered >= rowGroupSize) await part.writeGroup();
    }
  };

  return {
    name: "parquet",

    async open(spec: TableSpec): Promise<void> {
      if (tables.has(spec.name)) return;
      const tableDir = join(dir, spec.name);
      await mkdir(tableDir, { recursive: true });
      // leftovers of a killed run are never complete files; overwrite also drops finished parts
      const stale = spec.mode === "overwrite" ? (f: string) => PART.test(f) || TMP.test(f) : (f: string) => TMP.test(f);
      for (const f of await readdir(tableDir)) if (stale(f)) await rm(join(tableDir, f), { force: true });
      const known = new Map<string, ColumnType | undefined>();
      for (const c of spec.columns ?? []) known.set(c.name, c.type);
      tables.set(spec.name, { spec, dir: tableDir, known, seq: 0, queue: Promise.resolve() });
    },

    write(name: string, rows: readonly Row[]): Promise<void> {
      const t = tables.get(name);
      if (!t) return Promise.reject(new Error(`parquet sink: table "${name}" was not opened`));
      if (rows.length === 0) return Promise.resolve();
      return run(t, () => writeRows(t, rows));
    },

    async flush(): Promise<void> {
      await Promise.all([...tables.values()].map((t) => run(t, () => finishPart(t))));
    },

    async close(): Promise<void> {
      await this.flush();
      tables.clear();
    },
  };
}
