/**
 * Memory (question 3): peak RSS of the connector syncing N contacts × 50 properties to Parquet and to NDJSON.
 *
 * What is measured: the peak resident set (VmHWM, polled from /proc/<pid>/status every 100 ms and read once more
 * at exit; the child also reports getrusage maxRSS and its own heap / Buffer peaks) of a child process
 * `node --import tsx bench/memory/runner.ts` that runs a full refresh of `contacts` through the real source,
 * pipeline and file sink (`createSink("parquet" | "ndjson" | "duckdb")`, the `sync` command's checkpoint cadence). The
 * simulator runs in ANOTHER process (bench/memory/sim-server.ts = the `simulate` command with rate limits off), so
 * its memory is not counted; its own peak RSS is reported beside it. Output goes to a temp dir on disk, deleted
 * after each run.
 *
 * Data: simulator seed 1, N contacts (default runs: 100,000 and 1,000,000; smoke: 2,000), 50 custom properties
 * plus HubSpot's defaults, associations to companies; no latency, no rate limits (memory, not speed: the runner
 * also ignores the simulator's rate-limit headers, which it sends even with its limits off).
 *
 * Run: node --import tsx bench/memory.ts [--smoke] [--sizes 100000,1000000] [--sinks parquet,ndjson,duckdb] [--pagers N]
 *        [--part-rows N] [--node-flags "--max-old-space-size=128"]
 *
 * Last numbers (2026-11-29, Node 20.20.2, shared 2-core AMD EPYC VM; more in bench/README.md): peak RSS
 *   Parquet 401.5 MB @ 100 k / 406.6 MB @ 1 M; NDJSON 181.0 MB @ 100 k / 214.8 MB @ 1 M (167.8 MB @ 1 M with
 *   --max-old-space-size=64).
 * Reading: the goal is ≤ 256 MB and flat in N: the same peak at 100 k and 1 M means nothing grows with the record
 * count (pages stream through; buffers are bounded by page and row-group size, not by N).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchReport, flag, isMain, machine, numberOption, option, round } from "./lib.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..");

export interface MemoryOptions {
  smoke?: boolean;
  /** List pagers per stream (default: the engine's). */
  pagers?: number;
  /** Parquet rows buffered per part (default: the sink's). */
  partRows?: number;
  /** Extra node flags for the connector process, e.g. ["--max-old-space-size=128"] (a heap experiment). */
  nodeFlags?: string[];
  sizes?: readonly number[];
  sinks?: readonly ("parquet" | "ndjson" | "duckdb")[];
  log?: (line: string) => void;
}

export interface MemoryRun {
  sink: "parquet" | "ndjson" | "duckdb";
  contacts: number;
  records: number;
  wallS: number;
  peakRssMB: number;
  childMaxRssMB: number;
  peakHeapUsedMB: number;
  peakExternalMB: number;
  peakArrayBuffersMB: number;
  simulatorPeakRssMB: number;
  failed: string[];
  /** Live (not archived) contacts in the portal: what a complete run delivers. */
  live: number;
}

/** Search's `total` counts live records: the seeded portal archives a few of the N. */
async function liveContacts(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/crm/v3/objects/contacts/search`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ limit: 1 }),
  });
  return ((await res.json()) as { total: number }).total;
}

/** Peak RSS so far of a live process, in MB (VmHWM); undefined once it is gone. */
function vmHwmMB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The heap cap the CLI runs with (its shebang, the image's entrypoint): the connector is measured as it runs. */
const CLI_NODE_FLAGS = ["--max-old-space-size=1024"];

function nodeTs(script: string, args: string[], flags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...flags, "--import", "tsx", join(here, script), ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    let err = "";
    child.stderr?.on("data", (d) => {
      err += String(d);
      if (err.length > 4000) err = err.slice(-4000);
    });
    child.stdout?.on("data", (d) => {
      buf += String(d);
      const i = buf.indexOf("\n");
      if (i >= 0) resolve(buf.slice(0, i));
    });
    child.once("exit", (code) => reject(new Error(`process exited (${code}) before reporting: ${err.trim()}`)));
    child.once("error", reject);
  });
}

async function runOnce(
  contacts: number,
  sink: "parquet" | "ndjson" | "duckdb",
  extra: string[],
  flags: string[],
): Promise<MemoryRun> {
  const sim = nodeTs("memory/sim-server.ts", ["--contacts", String(contacts), "--seed", "1"]);
  const out = await mkdtemp(join(tmpdir(), "hubspot-mem-"));
  try {
    const hello = JSON.parse(await firstLine(sim)) as { url: string; private_app_token: string };
    const live = await liveContacts(hello.url, hello.private_app_token);
    const child = nodeTs(
      "memory/runner.ts",
      ["--url", hello.url, "--token", hello.private_app_token, "--sink", sink, "--out", out, ...extra],
      flags,
    );
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, vmHwmMB(child.pid) ?? 0);
    }, 100);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    let line: string;
    try {
      line = await firstLine(child);
      // The report is printed right before exit: one more read catches the final high-water mark.
      peak = Math.max(peak, vmHwmMB(child.pid) ?? 0);
    } finally {
      clearInterval(poll);
    }
    const code = await exited;
    if (code !== 0) throw new Error(`runner exited with ${code}`);
    const r = JSON.parse(line) as {
      records: number;
      wallS: number;
      failed: string[];
      maxRssMB: number;
      peakHeapUsedMB: number;
      peakExternalMB: number;
      peakArrayBuffersMB: number;
    };
    return {
      sink,
      contacts,
      records: r.records,
      wallS: r.wallS,
      peakRssMB: round(Math.max(peak, r.maxRssMB), 1),
      childMaxRssMB: r.maxRssMB,
      peakHeapUsedMB: r.peakHeapUsedMB,
      peakExternalMB: r.peakExternalMB,
      peakArrayBuffersMB: r.peakArrayBuffersMB,
      simulatorPeakRssMB: round(vmHwmMB(sim.pid) ?? Number.NaN, 1),
      failed: r.failed,
      live,
    };
  } finally {
    const gone = new Promise((resolve) => sim.once("exit", resolve));
    sim.kill("SIGTERM");
    await gone;
    await rm(out, { recursive: true, force: true });
  }
}

export async function run(options: MemoryOptions = {}): Promise<BenchReport> {
  const smoke = options.smoke ?? false;
  const sizes = options.sizes ?? (smoke ? [2_000] : [100_000, 1_000_000]);
  const sinks = options.sinks ?? ["parquet", "ndjson", "duckdb"];
  const log = options.log ?? (() => {});
  const m = machine();
  const runs: MemoryRun[] = [];
  const extra = [
    ...(options.pagers ? ["--pagers", String(options.pagers)] : []),
    ...(options.partRows ? ["--part-rows", String(options.partRows)] : []),
  ];
  for (const size of sizes) {
    for (const sink of sinks) {
      const r = await runOnce(size, sink, extra, options.nodeFlags ?? CLI_NODE_FLAGS);
      log(
        `memory ${sink} ${size}: ${r.records} records in ${r.wallS} s, peak RSS ${r.peakRssMB} MB ` +
          `(heap ${r.peakHeapUsedMB}, external ${r.peakExternalMB}, simulator ${r.simulatorPeakRssMB} MB)`,
      );
      runs.push(r);
    }
  }
  const worst = Math.max(...runs.map((r) => r.peakRssMB));
  const bySink = sinks.map((sink) => {
    const of = runs.filter((r) => r.sink === sink);
    return `${sink} ${of.map((r) => `${r.peakRssMB} MB @ ${r.contacts / 1000}k`).join(" / ")}`;
  });
  const complete = runs.every((r) => r.records === r.live && !r.failed.length);
  const big = Math.max(...sizes);
  const small = Math.min(...sizes);
  // "Flat": the largest run's peak within 15 % (or 20 MB) of the smallest run's, per sink.
  const flat = sinks.every((sink) => {
    const a = runs.find((r) => r.sink === sink && r.contacts === small);
    const b = runs.find((r) => r.sink === sink && r.contacts === big);
    return !a || !b || b.peakRssMB <= Math.max(a.peakRssMB * 1.15, a.peakRssMB + 20);
  });
  return {
    name: "memory",
    question: "3. Memory (N contacts × 50 properties → Parquet / NDJSON)",
    goal: "peak RSS ≤ 256 MB, flat in N (100 k vs 1 M)",
    measured: `${bySink.join("; ")}${complete ? "" : " (INCOMPLETE RUN)"}`,
    met: smoke ? null : worst <= 256 && flat && complete,
    method: `child process per run (node ${(options.nodeFlags ?? CLI_NODE_FLAGS).join(" ")}, as the CLI runs), VmHWM polled from /proc; simulator in a separate process, rate limits off${extra.length ? ` (${extra.join(" ")})` : ""}`,
    machine: m,
    details: { runs, flat, worstPeakRssMB: worst },
  };
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const report = await run({
    smoke: flag(argv, "smoke"),
    sizes: option(argv, "sizes")?.split(",").map(Number),
    sinks: option(argv, "sinks")?.split(",") as ("parquet" | "ndjson" | "duckdb")[] | undefined,
    pagers: numberOption(argv, "pagers"),
    partRows: numberOption(argv, "part-rows"),
    nodeFlags: option(argv, "node-flags")?.split(" ").filter(Boolean),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
