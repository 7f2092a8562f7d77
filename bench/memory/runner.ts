/**
 * One connector run for bench/memory.ts: a full refresh of `contacts` from a simulator URL into one file sink,
 * exactly as `sync` wires it. Prints one JSON line: records, wall time, and this process's own memory peaks.
 *
 * Run: node --import tsx bench/memory/runner.ts --url URL --token TOKEN --sink parquet|ndjson|duckdb --out DIR
 *        [--pagers N] [--part-rows N]   (list pagers per stream; Parquet rows buffered per part)
 */
import { sinkFor } from "../../src/commands/sync.js";
import { crmReadTuning } from "../../src/sources/crm/backfill.js";
import { CountingSink, ignoreRateHeaders, numberOption, option, syncInProcess } from "../lib.js";

const argv = process.argv.slice(2);
const url = option(argv, "url");
const token = option(argv, "token");
const kind = option(argv, "sink") as "parquet" | "ndjson" | "duckdb";
const out = option(argv, "out");
if (!url || !token || !out || !["parquet", "ndjson", "duckdb"].includes(kind)) {
  throw new Error("usage: runner.ts --url URL --token TOKEN --sink parquet|ndjson|duckdb --out DIR");
}

// Heap and buffer peaks tell which part of RSS grows when it does (JS objects vs Buffers vs native).
const peak = { heapUsed: 0, external: 0, arrayBuffers: 0, rss: 0 };
const sample = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
};
const timer = setInterval(sample, 100);

const pagers = numberOption(argv, "pagers");
if (pagers) crmReadTuning.listChainsPerStream = pagers;
const partRows = numberOption(argv, "part-rows");
const counter = new CountingSink();
// The sink exactly as `sync` builds it (Parquet without the redundant `properties` JSON column).
const file = sinkFor(kind, out, partRows ? { partRows } : {});
const sink = {
  name: file.name,
  open: (t: Parameters<typeof file.open>[0]) => file.open(t),
  write: async (table: string, rows: Parameters<typeof file.write>[1]) => {
    await file.write(table, rows);
    counter.counts.set(table, (counter.counts.get(table) ?? 0) + rows.length);
  },
  flush: () => file.flush(),
  complete: (table: string) => file.complete?.(table) ?? Promise.resolve(),
  close: () => file.close(),
};
const run = await syncInProcess({
  url,
  token,
  streams: ["contacts"],
  mode: "full_refresh",
  sink,
  config: { requests_per_10s: 1_000_000, search_requests_per_second: 1_000 },
  onSource: ignoreRateHeaders,
});
sample();
clearInterval(timer);
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    records: counter.total(["contacts"]),
    wallS: Math.round(run.wallMs) / 1000,
    failed: run.summaries.filter((s) => s.status !== "complete").map((s) => s.reason),
    requests: run.stats.requests,
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
    peakHeapUsedMB: mb(peak.heapUsed),
    peakExternalMB: mb(peak.external),
    peakArrayBuffersMB: mb(peak.arrayBuffers),
  })}\n`,
);
