import type { WriteStream } from "node:fs";
import { type FileHandle, mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { constants, createGzip, type Gzip } from "node:zlib";
import type { Row } from "../sources/page.js";
import { updateCurrentViews, viewEntry } from "./current-views.js";
import { writeAccepted, writtenThrough } from "./drain.js";
import { DELETED_COLUMN, type Sink, type TableSpec } from "./sink.js";
import { repairTornGzip, repairTornTail } from "./torn-line.js";

export interface NdjsonSinkOptions {
  /** Output directory; created if missing. */
  dir: string;
  /** Write `<table>.ndjson.gz` through gzip instead of plain `<table>.ndjson`. */
  gzip?: boolean;
  /** Write `<dir>/current.sql` (one DuckDB view per table: the newest row per key) on close (default true). */
  currentViews?: boolean;
}

/** Bytes a table's file stream buffers before `write()` waits for the disk. */
const FILE_BUFFER = 4 << 20;

interface NdjsonTable {
  spec: TableSpec;
  path: string;
  fh: FileHandle;
  file: WriteStream;
  gzip?: Gzip;
  /** Where rows go: the gzip stream when compressing, else the file. */
  head: Writable;
  error?: Error;
  lines: LineEncoder;
  /** A row written to this file carried `_ab_cdc_deleted_at` (a delete): its current view filters on it. */
  deletes: boolean;
}

const MIN_CHUNK = 64 * 1024;

/**
 * Encodes rows as UTF-8 JSON lines, one Buffer per page. Each line goes straight into the buffer as it is made,
 * which costs about 20 % less CPU than concatenating a page-sized string and having the stream encode it (no
 * rope to flatten, no second pass). The buffer is sized from the previous page, so it is rarely grown.
 * (Carving pages out of shared multi-MB slabs measured slower than a buffer per page.)
 */
export class LineEncoder {
  private lastSize = 0;

  /** The rows as one chunk of `JSON.stringify(row) + "\n"` lines. */
  encode(rows: readonly Row[]): Buffer {
    let buf = Buffer.allocUnsafe(Math.max(MIN_CHUNK, Math.ceil(this.lastSize * 1.25)));
    let at = 0;
    for (let i = 0; i < rows.length; i++) {
      const line = JSON.stringify(rows[i]);
      // a UTF-16 code unit is at most 3 UTF-8 bytes
      const worst = line.length * 3 + 1;
      if (at + worst > buf.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * buf.length, at + worst));
        buf.copy(grown, 0, 0, at);
        buf = grown;
      }
      at += buf.write(line, at);
      buf[at++] = 0x0a;
    }
    this.lastSize = at;
    return buf.subarray(0, at);
  }
}

/**
 * One newline-delimited JSON file per table. `write()` resolves when the file stream (or the gzip
 * stream in front of it) accepted the rows; `flush()` resolves once they are on disk.
 *
 * @example
 * const sink = ndjsonSink({ dir: "out", gzip: true });
 * await sink.open({ name: "contacts", mode: "append" });
 * await sink.write("contacts", rows);
 * await sink.flush(); // now safe to checkpoint
 */
export function ndjsonSink(options: NdjsonSinkOptions): Sink {
  const { dir, gzip = false, currentViews = true } = options;
  const tables = new Map<string, NdjsonTable>();

  const table = (name: string): NdjsonTable => {
    const t = tables.get(name);
    if (!t) throw new Error(`ndjson sink: table "${name}" was not opened`);
    if (t.error) throw t.error;
    return t;
  };

  const flushTable = async (t: NdjsonTable): Promise<void> => {
    if (t.error) throw t.error;
    if (t.gzip) {
      const z = t.gzip;
      // Z_SYNC_FLUSH ends the current deflate block on a byte boundary: everything so far decodes
      await new Promise<void>((resolve) => z.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      // the flushed bytes may still sit in gzip's readable buffer while the file is draining
      while (z.readableLength > 0 && !t.error) await new Promise((r) => setTimeout(r, 1));
    }
    await writtenThrough(t.file);
    if (t.error) throw t.error;
    await t.fh.sync();
  };

  return {
    name: "ndjson",

    async open(spec: TableSpec): Promise<void> {
      if (tables.has(spec.name)) return;
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${spec.name}.ndjson${gzip ? ".gz" : ""}`);
      if (spec.mode === "append") {
        if (gzip) await repairTornGzip(path);
        else await repairTornTail(path);
      }
      const fh = await open(path, spec.mode === "append" ? "a" : "w");
      // a page of contacts is ~300 KB of text: with the default 16 KiB mark every write() would wait for the disk,
      // leaving the CPU idle; a few MB lets serializing the next page overlap the write of this one
      const file = fh.createWriteStream({ highWaterMark: FILE_BUFFER });
      const t: NdjsonTable = { spec, path, fh, file, head: file, lines: new LineEncoder(), deletes: false };
      const fail = (err: Error) => {
        t.error ??= err;
      };
      file.on("error", fail);
      if (gzip) {
        // a new gzip member per run: concatenated members are one valid gzip file
        t.gzip = createGzip();
        t.gzip.on("error", fail);
        t.gzip.pipe(file);
        t.head = t.gzip;
      }
      tables.set(spec.name, t);
    },

    write(name: string, rows: readonly Row[]): Promise<void> {
      if (rows.length === 0) return Promise.resolve();
      let t: NdjsonTable;
      try {
        t = table(name);
      } catch (err) {
        return Promise.reject(err);
      }
      if (!t.deletes) t.deletes = rows.some((r) => r[DELETED_COLUMN] != null);
      // one chunk per call: a single write() per page keeps the stream's per-chunk overhead out of the hot path
      return writeAccepted(t.head, t.lines.encode(rows));
    },

    async flush(): Promise<void> {
      await Promise.all([...tables.values()].map(flushTable));
    },

    async close(): Promise<void> {
      await this.flush();
      await Promise.all(
        [...tables.values()].map(async (t) => {
          const closed = new Promise<void>((resolve, reject) => {
            t.file.once("close", () => resolve());
            t.file.once("error", reject);
          });
          t.head.end();
          await closed;
          if (t.error) throw t.error;
          // end() wrote the gzip trailer after the last flush; fsync through a new handle (same inode)
          const fh = await open(t.path, "r");
          try {
            await fh.sync();
          } finally {
            await fh.close();
          }
        }),
      );
      if (currentViews && tables.size)
        await updateCurrentViews(
          dir,
          // a file holds the column only once a delete was written to it, whatever the table declares
          [...tables.values()].map((t) => viewEntry(t.spec, t.deletes)),
        );
      tables.clear();
    },
  };
}
