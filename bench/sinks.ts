/**
 * Sinks: records/s per CPU-second, peak RSS and output size of each way of writing the same rows, side by side in one
 * run — Parquet through DuckDB (the sink: Appender → in-memory table → `COPY … TO … (FORMAT parquet)`), through
 * parquet-wasm + apache-arrow (Arrow vectors built from raw buffers, no builders), through hyparquet-writer (the sink
 * before this bench: `--legacy DIR` = a `git archive c63d0d4 src` export); NDJSON; the DuckDB current-table sink; and
 * what a worker thread would take off the main thread for NDJSON (structured clone vs JSON.stringify).
 *
 * Data: bench/cpu-path.ts's synthetic HubSpot contacts (100 per page, 50 properties of mixed types), parsed and sent
 * through filterByCursor → unnestProperties → castTypes first (not timed), so each sink gets the rows the pipeline
 * gives it. Columns as src/sources/schema.ts declares them for a CRM object; Parquet writers leave out the nested
 * `properties` JSON (the CLI's setting), NDJSON keeps it.
 *
 * Method: every writer runs in its own child process (`--child WRITER`), `repeat` times, interleaved; the child
 * times only `sink.write()`/`close()` (wall, and process CPU = user + system of all threads, DuckDB's included)
 * and reports getrusage's peak RSS. Output goes to /dev/shm (no disk in the figures). The parent reads every output
 * back with DuckDB and fails unless row count, each column's type and each column's null count are as expected.
 * Medians are reported.
 *
 * Run: node --import tsx bench/sinks.ts [--smoke] [--records N] [--repeat R] [--writers parquet,ndjson,duckdb,...]
 *        [--legacy DIR]   (wasm needs `npm i --no-save parquet-wasm@0.8.0 apache-arrow@21.2.0`; legacy needs
 *                          hyparquet-writer@0.17.0 and `git archive c63d0d4 src | tar -x -C DIR`)
 *
 * Last numbers (2026-12-03, Node 20.20.2, shared 2-core AMD EPYC VM, load ~1.5; 100k records, median of 3; records/s
 * per CPU-second, peak RSS): Parquet via DuckDB 45.9k, 259 MB; via parquet-wasm 27.5k, 378 MB; via hyparquet-writer
 * (before) 23.8k, 223 MB; NDJSON 62.9k, 161 MB; DuckDB current tables 24.0k, 291 MB. Structured clone of a page
 * costs 6.0 ms per 1,000 records against 10.7 ms to JSON.stringify it. More in bench/README.md, "Sinks".
 * Reading: per-CPU-second rates are the figures to compare on a shared box (wall rates move with other load);
 * the goals are Parquet ≥ 100k and NDJSON ≥ 200k records/s, neither met.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { duckdbSink } from "../src/sinks/duckdb.js";
import { ndjsonSink } from "../src/sinks/ndjson.js";
import { parquetSink } from "../src/sinks/parquet.js";
import { RAW_COLUMN, sqlType } from "../src/sinks/row-appender.js";
import type { ColumnSpec, Sink } from "../src/sinks/sink.js";
import type { Row } from "../src/sources/page.js";
import { chain, contactProperties, operators, pageText, parquetColumns } from "./cpu-path.js";
import { type BenchReport, flag, isMain, machine, numberOption, option } from "./lib.js";

const WRITERS = ["parquet", "wasm", "legacy", "ndjson", "duckdb", "ndjson-clone"] as const;
type Writer = (typeof WRITERS)[number];

interface ChildResult {
  writer: Writer;
  records: number;
  cpuMs: number;
  wallMs: number;
  maxRssMB: number;
  /** Per column: rows whose value the writer must store as NULL (null, "" outside strings). */
  nulls: Record<string, number>;
  /** ndjson-clone only: main-thread ms to structured-clone vs to JSON.stringify the same pages. */
  cloneMs?: number;
  stringifyMs?: number;
}

interface Run extends ChildResult {
  bytes: number;
}

const here = fileURLToPath(new URL(".", import.meta.url));

/** The rows a sink receives, one page at a time: cpu-path's pages after the operators (their cost is not timed). */
function pageSource(records: number): { columns: ColumnSpec[]; pages: () => Generator<Row[]> } {
  const types = contactProperties();
  const texts = Array.from({ length: 40 }, (_, i) => pageText(i, types));
  const push = chain(operators(types));
  return {
    columns: parquetColumns(types),
    *pages() {
      for (let n = 0; n * 100 < records; n++) {
        const parsed = JSON.parse(texts[n % texts.length]!) as { results: Row[] };
        const page = push({ stream: "contacts", records: parsed.results }).records;
        // the 40 texts repeat their ids: give every record its own, or the DuckDB sink merges them away
        for (let i = 0; i < page.length; i++) page[i]!.id = String(n * 100 + i);
        yield page;
      }
    },
  };
}

/** Per column: how many rows must read back as NULL (null, or "" outside text columns). */
function countNulls(columns: readonly ColumnSpec[], page: readonly Row[], into: Record<string, number>): void {
  for (const c of columns) {
    if (c.name === "properties") continue;
    let n = into[c.name] ?? 0;
    for (const row of page) {
      const v = row[c.name];
      if (v === null || v === undefined || (v === "" && c.type !== "string")) n++;
    }
    into[c.name] = n;
  }
}

/** parquet-wasm + apache-arrow: each part's columns packed into Arrow buffers by hand, encoded by parquet-wasm. */
async function wasmSink(dir: string, columns: readonly ColumnSpec[]): Promise<Sink> {
  const arrow = await import(String("apache-arrow"));
  const pw = await import(String("parquet-wasm"));
  const { castFor, UNCASTABLE } = await import("../src/sinks/column-cast.js");
  const { writeFile } = await import("node:fs/promises");
  const cols = columns.filter((c) => c.name !== "properties");
  const typeOf = (t: string) =>
    t === "number"
      ? new arrow.Float64()
      : t === "boolean"
        ? new arrow.Bool()
        : t === "timestamp"
          ? new arrow.TimestampMillisecond("UTC")
          : t === "date"
            ? new arrow.DateDay()
            : new arrow.Utf8();
  const schema = new arrow.Schema(cols.map((c) => new arrow.Field(c.name, typeOf(c.type), true)));
  const extract = new Function(
    "rows",
    "out",
    `for (let r = 0; r < rows.length; r++) { const x = rows[r]; ${cols.map((c, i) => `out[${i}][r] = x[${JSON.stringify(c.name)}];`).join(" ")} }`,
  ) as (rows: Row[], out: unknown[][]) => void;
  const casts = cols.map((c) => castFor(c.type));
  const batches: unknown[] = [];
  let buffered: Row[] = [];
  const batch = (rows: Row[]) => {
    const n = rows.length;
    const values = cols.map(() => new Array<unknown>(n));
    extract(rows, values);
    const children = cols.map((c, ci) => {
      const valid = new Uint8Array((n + 7) >> 3);
      let nullCount = 0;
      const vals = values[ci]!.map((x) => {
        const v = x === null || x === undefined ? null : casts[ci]!(x);
        if (v === null || v === UNCASTABLE) {
          nullCount++;
          return null;
        }
        return v;
      });
      vals.forEach((v, r) => {
        if (v !== null) valid[r >> 3]! |= 1 << (r & 7);
      });
      const common = { length: n, nullCount, nullBitmap: valid };
      if (c.type === "number") {
        return arrow.makeData({
          type: new arrow.Float64(),
          ...common,
          data: Float64Array.from(vals, (v) => (v as number) ?? 0),
        });
      }
      if (c.type === "boolean") {
        const d = new Uint8Array((n + 7) >> 3);
        vals.forEach((v, r) => {
          if (v) d[r >> 3]! |= 1 << (r & 7);
        });
        return arrow.makeData({ type: new arrow.Bool(), ...common, data: d });
      }
      if (c.type === "timestamp") {
        const d = BigInt64Array.from(vals, (v) => BigInt((v as number) ?? 0));
        return arrow.makeData({ type: new arrow.TimestampMillisecond("UTC"), ...common, data: d });
      }
      if (c.type === "date") {
        return arrow.makeData({
          type: new arrow.DateDay(),
          ...common,
          data: Int32Array.from(vals, (v) => (v as number) ?? 0),
        });
      }
      let size = 0;
      for (const v of vals) if (v !== null) size += (v as string).length * 3;
      const buf = Buffer.allocUnsafe(size);
      const offsets = new Int32Array(n + 1);
      let at = 0;
      vals.forEach((v, r) => {
        if (v !== null) at += buf.write(v as string, at);
        offsets[r + 1] = at;
      });
      return arrow.makeData({ type: new arrow.Utf8(), ...common, valueOffsets: offsets, data: buf.subarray(0, at) });
    });
    const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children });
    const ipc = arrow.tableToIPC(new arrow.Table([new arrow.RecordBatch(schema, struct)]), "stream");
    batches.push(...pw.Table.fromIPCStream(ipc).recordBatches());
  };
  return {
    name: "wasm",
    open: async () => {},
    write: async (_t, rows) => {
      buffered.push(...rows);
      if (buffered.length >= 20_000) {
        batch(buffered);
        buffered = [];
      }
    },
    flush: async () => {},
    close: async () => {
      if (buffered.length) batch(buffered);
      const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build();
      const stream = new ReadableStream({
        pull(ctl) {
          const b = batches.shift();
          if (b) ctl.enqueue(b);
          else ctl.close();
        },
      });
      const chunks: Uint8Array[] = [];
      for await (const ch of (await pw.transformParquetStream(stream, props)) as AsyncIterable<Uint8Array>)
        chunks.push(ch);
      await writeFile(join(dir, "contacts", "part-0.parquet"), Buffer.concat(chunks));
    },
  };
}

async function sinkFor(writer: Writer, dir: string, columns: readonly ColumnSpec[], legacy?: string): Promise<Sink> {
  switch (writer) {
    case "parquet":
      return parquetSink({ dir, omitUnnestedJson: true });
    case "duckdb":
      return duckdbSink({ dir });
    case "ndjson":
    case "ndjson-clone":
      return ndjsonSink({ dir, currentViews: false });
    case "wasm": {
      const { mkdir } = await import("node:fs/promises");
      await mkdir(join(dir, "contacts"), { recursive: true });
      return wasmSink(dir, columns);
    }
    case "legacy": {
      if (!legacy) throw new Error("--legacy DIR (an export of commit c63d0d4's src/) is needed for the legacy writer");
      const mod = (await import(pathToFileURL(join(legacy, "src/sinks/parquet.ts")).href)) as {
        parquetSink: (o: object) => Sink;
      };
      return mod.parquetSink({ dir, omitUnnestedJson: true, rowGroupSize: 5_000 });
    }
  }
}

/** In the child: write the rows once, timing only the sink (process CPU of all threads, and wall). */
async function child(writer: Writer, records: number, dir: string, legacy?: string): Promise<ChildResult> {
  const source = pageSource(records);
  const nulls: Record<string, number> = {};
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  if (writer === "ndjson-clone") {
    // what a serialising worker would cost the main thread: postMessage's structured clone of each page, against
    // serialising the page on the main thread itself
    const { MessageChannel } = await import("node:worker_threads");
    const { port1, port2 } = new MessageChannel();
    port2.on("message", () => {});
    let cloneMs = 0;
    let stringifyMs = 0;
    let chars = 0;
    for (const page of source.pages()) {
      let t = performance.now();
      port1.postMessage(page);
      cloneMs += performance.now() - t;
      t = performance.now();
      for (const row of page) chars += JSON.stringify(row).length;
      stringifyMs += performance.now() - t;
      await new Promise(setImmediate);
    }
    port1.close();
    port2.close();
    return { writer, records: chars > 0 ? records : 0, cpuMs: 0, wallMs: 0, maxRssMB: 0, nulls, cloneMs, stringifyMs };
  }
  const sink = await sinkFor(writer, dir, source.columns, legacy);
  await sink.open({ name: "contacts", mode: "overwrite", primaryKey: [["id"]], columns: source.columns });
  let cpuMs = 0;
  let wallMs = 0;
  const timed = async (fn: () => Promise<void>) => {
    const c0 = cpu();
    const t0 = performance.now();
    await fn();
    cpuMs += cpu() - c0;
    wallMs += performance.now() - t0;
  };
  for (const page of source.pages()) {
    countNulls(source.columns, page, nulls);
    await timed(() => sink.write("contacts", page));
  }
  await timed(async () => {
    await sink.flush();
    await sink.complete?.("contacts");
    await sink.close();
  });
  return { writer, records, cpuMs, wallMs, maxRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10, nulls };
}

function spawnChild(writer: Writer, records: number, dir: string, legacy?: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const args = [
      "--import",
      "tsx",
      join(here, "sinks.ts"),
      "--child",
      writer,
      "--records",
      String(records),
      "--out",
      dir,
    ];
    if (legacy) args.push("--legacy", legacy);
    const p = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`${writer} exited ${code}`)),
    );
  });
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && !e.name.endsWith(".sql")) total += (await stat(join(e.parentPath, e.name))).size;
  }
  return total;
}

/** What DuckDB must read back: the row count, and per column its type and null count. */
async function verify(writer: Writer, dir: string, columns: readonly ColumnSpec[], r: ChildResult): Promise<void> {
  if (writer === "ndjson-clone") return;
  const db = await DuckDBInstance.create(writer === "duckdb" ? join(dir, "hubspot.duckdb") : ":memory:");
  try {
    const conn = await db.connect();
    const from =
      writer === "duckdb"
        ? "contacts"
        : writer === "ndjson"
          ? `read_ndjson('${join(dir, "contacts.ndjson")}')`
          : `read_parquet('${join(dir, "contacts")}/*.parquet', union_by_name = true)`;
    // NDJSON keeps values as they came (DuckDB infers its own types, an absent field is no column): rows only
    const checked = writer === "ndjson" ? [] : columns.filter((c) => c.name !== "properties");
    const select = checked
      .map(
        (c, i) =>
          `any_value(typeof(${JSON.stringify(c.name)})) AS t${i}, (count(*) - count(${JSON.stringify(c.name)}))::INT AS n${i}`,
      )
      .join(", ");
    const [got] = (
      await conn.runAndReadAll(`SELECT count(*)::INT AS rows, ${select} FROM ${from}`)
    ).getRowObjectsJson();
    if (got?.rows !== r.records) throw new Error(`${writer}: ${got?.rows} rows read back, ${r.records} written`);
    checked.forEach((c, i) => {
      const want = writer === "legacy" && c.type === "timestamp" ? "TIMESTAMP" : sqlType(c.type, "VARCHAR");
      const type = String(got[`t${i}`]).replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ");
      if (type !== want) throw new Error(`${writer}: ${c.name} read back as ${type}, not ${want}`);
      const nulls = Number(got[`n${i}`]);
      const expected = r.nulls[c.name];
      if (nulls !== expected) {
        throw new Error(`${writer}: ${c.name} has ${nulls} nulls, ${expected} expected`);
      }
    });
    // the wasm writer of this bench has no _raw column (nothing in these rows is uncastable)
    if (writer !== "ndjson" && writer !== "wasm") {
      const [raw] = (
        await conn.runAndReadAll(`SELECT count(${RAW_COLUMN})::INT AS n FROM ${from}`)
      ).getRowObjectsJson();
      if (raw?.n !== 0) throw new Error(`${writer}: ${raw?.n} rows have leftovers in _raw, none expected`);
    }
  } finally {
    db.closeSync();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export interface SinksOptions {
  records?: number;
  repeat?: number;
  writers?: readonly Writer[];
  legacy?: string;
  smoke?: boolean;
  log?: (line: string) => void;
}

export async function run(options: SinksOptions = {}): Promise<BenchReport> {
  const smoke = options.smoke ?? false;
  const records = options.records ?? (smoke ? 2_000 : 100_000);
  const repeat = options.repeat ?? (smoke ? 1 : 3);
  const available = (w: Writer) =>
    w === "legacy" ? !!options.legacy : w === "wasm" ? existsSync(join(here, "../node_modules/parquet-wasm")) : true;
  const writers = (options.writers ?? WRITERS).filter(available);
  const log = options.log ?? (() => {});
  const m = machine();
  const { columns } = pageSource(100);
  const runs = new Map<Writer, Run[]>(writers.map((w) => [w, []]));
  for (let i = 0; i < repeat; i++) {
    for (const w of writers) {
      const dir = await mkdtemp(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), `sinks-${w}-`));
      try {
        const r = await spawnChild(w, records, dir, options.legacy);
        await verify(w, dir, columns, r);
        const bytes = await dirBytes(dir);
        runs.get(w)!.push({ ...r, bytes });
        log(
          w === "ndjson-clone"
            ? `sinks ${w} run ${i + 1}: clone ${r.cloneMs?.toFixed(0)} ms vs stringify ${r.stringifyMs?.toFixed(0)} ms`
            : `sinks ${w} run ${i + 1}: ${Math.round(r.records / (r.cpuMs / 1000))} records/CPU-s, ${r.maxRssMB} MB`,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  const rows = writers.map((w) => {
    const rs = runs.get(w)!;
    return {
      writer: w,
      records,
      perCpuSecond: Math.round(median(rs.map((r) => r.records / (r.cpuMs / 1000)))),
      perWallSecond: Math.round(median(rs.map((r) => r.records / (r.wallMs / 1000)))),
      peakRssMB: median(rs.map((r) => r.maxRssMB)),
      outputMB: Math.round(median(rs.map((r) => r.bytes)) / 1e5) / 10,
      cloneMsPer1000: w === "ndjson-clone" ? median(rs.map((r) => (r.cloneMs ?? 0) / (records / 1000))) : undefined,
      stringifyMsPer1000:
        w === "ndjson-clone" ? median(rs.map((r) => (r.stringifyMs ?? 0) / (records / 1000))) : undefined,
      runs: rs.map((r) => Math.round(r.records / (r.cpuMs / 1000))),
    };
  });
  const rate = (w: Writer) => rows.find((r) => r.writer === w)?.perCpuSecond;
  const k = (n: number | undefined) => (n === undefined ? "–" : `${Math.round(n / 100) / 10}k/s`);
  return {
    name: "sinks",
    question: "Sinks: records/s per CPU-second, peak RSS, output size per writer",
    goal: "Parquet ≥ 100k/s, NDJSON ≥ 200k/s",
    measured: writers
      .filter((w) => w !== "ndjson-clone")
      .map((w) => `${w} ${k(rate(w))}`)
      .join(", "),
    met: smoke ? null : (rate("parquet") ?? 0) >= 100_000 && (rate("ndjson") ?? 0) >= 200_000,
    method: `${records} records × ${repeat} runs per writer, each in its own process, median; read back by DuckDB`,
    machine: m,
    details: rows,
  };
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const childWriter = option(argv, "child") as Writer | undefined;
  if (childWriter) {
    const r = await child(
      childWriter,
      numberOption(argv, "records") ?? 100_000,
      option(argv, "out") as string,
      option(argv, "legacy"),
    );
    process.stdout.write(JSON.stringify(r));
  } else {
    const report = await run({
      smoke: flag(argv, "smoke"),
      records: numberOption(argv, "records"),
      repeat: numberOption(argv, "repeat"),
      writers: option(argv, "writers")?.split(",") as Writer[] | undefined,
      legacy: option(argv, "legacy"),
      log: (l) => process.stderr.write(`${l}\n`),
    });
    console.log(JSON.stringify(report, null, 2));
  }
}
