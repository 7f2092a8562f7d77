/**
 * CPU path: records/s of filterByCursor → unnestProperties → castTypes alone, and of the same operators feeding
 * ndjsonSink / parquetSink (each `write()` awaited, as the pipeline does), on one core.
 *
 * Data: synthetic HubSpot contacts, 100 per page, 50 properties each of mixed HubSpot types (string, enumeration,
 * number as "123.0", ISO datetime, date, bool; ~12 % null, some ""), written as `{"results":[…],"paging":…}` JSON
 * texts and turned back into pages by JSON.parse, so the records have the shape of parsed HTTP responses. 40 distinct
 * page texts are cycled; every page is parsed afresh and parse time is excluded. The cursor filter keeps every
 * record (its cost is the check), so all rates count the same records.
 *
 * Run: node --import tsx bench/cpu-path.ts [--smoke] [--pages N] [--repeat R] [--only ops,ndjson,parquet,parquet-omit]
 *        [--part-rows N] [--out DIR]   (output goes to /dev/shm by default: tmpfs keeps disk speed out of it)
 *
 * Last numbers (2026-12-03, Node 20.20.2, shared 2-core VM, load ~1.5, 100k records, median of 3; records/s per CPU
 * second, end to end): operators alone 209k, NDJSON 44.5k, Parquet (DuckDB writer) 21.2k with the `properties` JSON
 * column, 34.0k without it (sink alone 40.9k). Writers side by side: bench/sinks.ts and bench/README.md, "Sinks".
 * Reading: "endToEnd" is the rate the pipeline's CPU path can sustain for this stream on one core (operators plus
 * sink, parse excluded); "sinkOnly" isolates the sink's share; the per-CPU-second rates are the steadier ones on a
 * shared box. Goals: NDJSON ≥ 200k/s, Parquet ≥ 100k/s end to end: not met; NDJSON is bound by JSON.stringify,
 * Parquet by handing every string value to DuckDB one call at a time (see bench/README.md).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type OperatorFunction, Subject } from "rxjs";
import { castTypes } from "../src/operators/cast-types.js";
import { filterByCursor } from "../src/operators/filter-by-cursor.js";
import { unnestProperties } from "../src/operators/unnest-properties.js";
import { ndjsonSink } from "../src/sinks/ndjson.js";
import { parquetSink } from "../src/sinks/parquet.js";
import type { ColumnSpec, Sink } from "../src/sinks/sink.js";
import type { Page } from "../src/sources/page.js";
import { propertyColumn } from "../src/sources/schema.js";

export type Stage = "ops" | "ndjson" | "parquet" | "parquet-omit";

export interface CpuPathOptions {
  /** Pages of 100 records per measured run. */
  pages?: number;
  /** Runs per stage; the report gives the median. */
  repeat?: number;
  stages?: readonly Stage[];
  /** Parquet rows buffered per part (default: the sink's). */
  partRows?: number;
  /**
   * Where the sinks write (default /dev/shm when it exists, else the OS temp dir): on tmpfs, disk speed and
   * fsync stay out of the numbers, which then measure CPU.
   */
  outDir?: string;
}

export interface StageResult {
  stage: Stage;
  records: number;
  /** Median records/s of operators + sink (operators alone for "ops"). */
  endToEnd: number;
  /** Median records/s counting only time inside `sink.write()` and `close()`; null for "ops". */
  sinkOnly: number | null;
  /** Like `endToEnd`, per second of process CPU time (all threads) instead of wall time: robust to other load. */
  endToEndCpu: number;
  /** Like `sinkOnly`, per second of process CPU time. */
  sinkOnlyCpu: number | null;
  /** Every run's end-to-end records/s, to judge the noise. */
  runs: number[];
  outputBytes: number | null;
}

export interface CpuPathReport {
  node: string;
  date: string;
  pages: number;
  recordsPerPage: number;
  properties: number;
  repeat: number;
  results: StageResult[];
}

const PAGE_SIZE = 100;
const DISTINCT_PAGES = 40;
const BASE = Date.UTC(2024, 0, 1);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 50 property names with their HubSpot types, in the proportions of a typical contact schema. */
export function contactProperties(): Record<string, string> {
  const mix: [string, number][] = [
    ["string", 15],
    ["enumeration", 10],
    ["number", 10],
    ["datetime", 7],
    ["date", 4],
    ["bool", 4],
  ];
  const types: Record<string, string> = {};
  for (const [type, n] of mix) for (let i = 0; i < n; i++) types[`${type}_${String(i).padStart(2, "0")}`] = type;
  return types;
}

const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo"];
const ENUM = ["lead", "customer", "subscriber", "opportunity", "evangelist", "other", "marketingqualifiedlead"];

function propertyValue(type: string, rnd: () => number, i: number): string | null {
  const r = rnd();
  if (r < 0.12) return null;
  switch (type) {
    case "string":
      if (r < 0.17) return "";
      return `${WORDS[Math.floor(rnd() * WORDS.length)]} ${WORDS[Math.floor(rnd() * WORDS.length)]} ${i}`;
    case "enumeration":
      return ENUM[Math.floor(rnd() * ENUM.length)]!;
    case "number":
      if (r < 0.15) return "";
      return r < 0.5 ? `${Math.floor(rnd() * 1000)}.0` : String(Math.round(rnd() * 1e7) / 100);
    case "datetime":
      if (r < 0.15) return "";
      return new Date(BASE + Math.floor(rnd() * 3e10)).toISOString();
    case "date":
      return new Date(BASE + Math.floor(rnd() * 1000) * 86_400_000).toISOString().slice(0, 10);
    default:
      return rnd() < 0.5 ? "true" : "false";
  }
}

/** The JSON text of one HubSpot search/list response page. */
export function pageText(index: number, types: Record<string, string>): string {
  const rnd = mulberry32(1 + index);
  const results: unknown[] = [];
  for (let k = 0; k < PAGE_SIZE; k++) {
    const i = index * PAGE_SIZE + k;
    const properties: Record<string, string | null> = {};
    for (const [name, type] of Object.entries(types)) properties[name] = propertyValue(type, rnd, i);
    const created = BASE + i * 1000;
    results.push({
      id: String(1000 + i),
      properties,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created + 3_600_000).toISOString(),
      archived: false,
    });
  }
  return JSON.stringify({ results, paging: { next: { after: String((index + 1) * PAGE_SIZE) } } });
}

export function parquetColumns(types: Record<string, string>): ColumnSpec[] {
  // the same layout as src/sources/schema.ts streamColumns() gives an unnested CRM object
  return [
    { name: "id", type: "string" },
    { name: "createdAt", type: "timestamp" },
    { name: "updatedAt", type: "timestamp" },
    { name: "archived", type: "boolean" },
    { name: "archivedAt", type: "timestamp" },
    { name: "properties", type: "json" },
    ...Object.entries(types).map(([p, t]): ColumnSpec => ({ name: `properties_${p}`, type: propertyColumn(t) })),
  ];
}

export function operators(types: Record<string, string>): OperatorFunction<Page, Page>[] {
  return [
    filterByCursor({ cursorField: "updatedAt", since: new Date(BASE - 86_400_000).toISOString() }),
    unnestProperties(),
    castTypes(types, { onUncastable: () => {} }),
  ];
}

/** Pushes pages through a real operator chain synchronously, like one subscription in the pipeline would. */
export function chain(ops: OperatorFunction<Page, Page>[]): (page: Page) => Page {
  const input = new Subject<Page>();
  let out: Page | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: pipe's overloads do not take a spread of operators
  (input.pipe as any)(...ops).subscribe((p: Page) => {
    out = p;
  });
  return (page) => {
    out = undefined;
    input.next(page);
    if (out === undefined) throw new Error("operator chain emitted nothing");
    return out;
  };
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
  }
  return total;
}

interface RunResult {
  endToEnd: number;
  sinkOnly: number | null;
  endToEndCpu: number;
  sinkOnlyCpu: number | null;
  outputBytes: number | null;
}

async function runOnce(
  stage: Stage,
  texts: string[],
  pages: number,
  types: Record<string, string>,
  opts: CpuPathOptions,
): Promise<RunResult> {
  const push = chain(operators(types));
  let dir: string | undefined;
  let sink: Sink | undefined;
  if (stage !== "ops") {
    dir = await mkdtemp(join(opts.outDir ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir()), "cpu-path-"));
    sink =
      stage === "ndjson"
        ? ndjsonSink({ dir })
        : parquetSink({ dir, partRows: opts.partRows, omitUnnestedJson: stage === "parquet-omit" });
    await sink.open({ name: "contacts", mode: "overwrite", columns: parquetColumns(types) });
  }
  let records = 0;
  let opsMs = 0;
  let sinkMs = 0;
  let opsCpu = 0;
  let sinkCpu = 0;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (let n = 0; n < pages; n++) {
    const parsed = JSON.parse(texts[n % texts.length]!) as { results: Page["records"] };
    const c0 = cpu();
    const t0 = performance.now();
    const page = push({ stream: "contacts", records: parsed.results, state: { updatedAt: n } });
    const t1 = performance.now();
    const c1 = cpu();
    opsMs += t1 - t0;
    opsCpu += c1 - c0;
    records += page.records.length;
    if (sink) {
      await sink.write("contacts", page.records);
      sinkMs += performance.now() - t1;
      sinkCpu += cpu() - c1;
    }
  }
  let outputBytes: number | null = null;
  if (sink && dir) {
    const c = cpu();
    const t = performance.now();
    await sink.close();
    sinkMs += performance.now() - t;
    sinkCpu += cpu() - c;
    outputBytes = await dirBytes(dir);
    await rm(dir, { recursive: true, force: true });
  }
  return {
    endToEnd: Math.round(records / ((opsMs + sinkMs) / 1000)),
    sinkOnly: sink ? Math.round(records / (sinkMs / 1000)) : null,
    endToEndCpu: Math.round(records / ((opsCpu + sinkCpu) / 1000)),
    sinkOnlyCpu: sink ? Math.round(records / (sinkCpu / 1000)) : null,
    outputBytes,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Measure every requested stage `repeat` times (stages interleaved, so load spikes hit all of them alike). */
export async function run(options: CpuPathOptions = {}): Promise<CpuPathReport> {
  const { pages = 1000, repeat = 3, stages = ["ops", "ndjson", "parquet", "parquet-omit"] } = options;
  const types = contactProperties();
  const texts = Array.from({ length: Math.min(DISTINCT_PAGES, pages) }, (_, i) => pageText(i, types));
  // one untimed pass per stage so every stage is measured with warm code
  for (const stage of stages) await runOnce(stage, texts, Math.min(pages, 50), types, options);
  const runs = new Map<Stage, RunResult[]>(stages.map((s) => [s, []]));
  for (let r = 0; r < repeat; r++) {
    for (const stage of stages) runs.get(stage)!.push(await runOnce(stage, texts, pages, types, options));
  }
  return {
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    pages,
    recordsPerPage: PAGE_SIZE,
    properties: Object.keys(types).length,
    repeat,
    results: stages.map((stage) => {
      const rs = runs.get(stage)!;
      const sinkOnly = rs.map((r) => r.sinkOnly).filter((v): v is number => v !== null);
      const sinkOnlyCpu = rs.map((r) => r.sinkOnlyCpu).filter((v): v is number => v !== null);
      return {
        stage,
        records: pages * PAGE_SIZE,
        endToEnd: median(rs.map((r) => r.endToEnd)),
        sinkOnly: sinkOnly.length ? median(sinkOnly) : null,
        endToEndCpu: median(rs.map((r) => r.endToEndCpu)),
        sinkOnlyCpu: sinkOnlyCpu.length ? median(sinkOnlyCpu) : null,
        runs: rs.map((r) => r.endToEnd),
        outputBytes: rs[0]!.outputBytes,
      };
    }),
  };
}

function table(report: CpuPathReport): string {
  const k = (n: number | null) => (n === null ? "-" : `${(n / 1000).toFixed(1)}k`);
  const lines = [
    `CPU path, ${report.pages} pages × ${report.recordsPerPage} records × ${report.properties} properties, median of ${report.repeat}, Node ${report.node}`,
    "records/s    end-to-end  (per CPU-s)  sink-only  (per CPU-s)  wall runs              output",
  ];
  for (const r of report.results) {
    const cols = [k(r.endToEnd), k(r.endToEndCpu), k(r.sinkOnly), k(r.sinkOnlyCpu)];
    const out = r.outputBytes === null ? "" : `${(r.outputBytes / 1e6).toFixed(1)} MB`;
    lines.push(
      `${r.stage.padEnd(12)}${cols[0]!.padStart(10)}  ${cols[1]!.padStart(11)}  ${cols[2]!.padStart(9)}  ${cols[3]!.padStart(11)}  ${r.runs.map(k).join(" ").padEnd(22)} ${out}`,
    );
  }
  return lines.join("\n");
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const smoke = process.argv.includes("--smoke");
  const only = arg("--only");
  const rg = arg("--part-rows");
  const report = await run({
    pages: Number(arg("--pages") ?? (smoke ? 20 : 1000)),
    repeat: Number(arg("--repeat") ?? (smoke ? 1 : 3)),
    stages: only ? (only.split(",") as Stage[]) : undefined,
    partRows: rg ? Number(rg) : undefined,
    outDir: arg("--out"),
  });
  console.log(JSON.stringify(report));
  console.error(table(report));
}
