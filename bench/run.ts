/**
 * The bench harness: runs every question's script (ceiling, cpu-path, memory, sinks, incremental-cost, streamed-body) one
 * after another in this process's order, prints a results table, and exits non-zero only when a bench crashed or
 * returned no report — never because a goal was missed (the table says that).
 *
 * Data and method: see each script's header; all figures of one row come from the same run of its script.
 *
 * Run: npm run bench                 (full sizes: ~10–15 min on 2 cores)
 *      npm run bench:smoke           (tiny sizes, no latency, rate limits on: CI checks that benches run and report)
 *      node --import tsx bench/run.ts [--smoke] [--only ceiling,memory] [--json out.json]
 *
 * Last numbers (2026-11-29, Node 20.20.2, shared 2-core AMD EPYC VM): full run 7.7 min, smoke 10 s; the table is
 * in bench/README.md.
 * Reading: "met" is yes / no against the issue's goal, "n/a" at smoke size (tiny sizes prove nothing about goals).
 */
import { writeFile } from "node:fs/promises";
import { type BenchReport, flag, machine, option } from "./lib.js";

interface Bench {
  name: string;
  run(smoke: boolean, log: (line: string) => void): Promise<BenchReport>;
}

const BENCHES: Bench[] = [
  {
    name: "ceiling",
    run: async (smoke, log) => (await import("./ceiling.js")).run({ smoke, log }),
  },
  {
    name: "cpu-path",
    // Owned by another script's author: its own report shape, turned into a row here.
    run: async (smoke) => {
      const { run } = await import("./cpu-path.js");
      const started = machine();
      const report = await run(smoke ? { pages: 20, repeat: 1 } : {});
      if (!report || !Array.isArray(report.results) || !report.results.length) {
        throw new Error("cpu-path returned no results");
      }
      const rate = (n: number) => `${Math.round(n / 1000)}k/s`;
      const measured = report.results
        .map((r) => `${r.stage} ${rate(r.endToEnd)} (${rate(r.endToEndCpu)} per CPU-s)`)
        .join(", ");
      return {
        name: "cpu-path",
        question: "2. CPU path (operators → sink records/s)",
        goal: "NDJSON ≥ 200k/s, Parquet ≥ 100k/s end to end (see cpu-path.ts)",
        measured,
        met: null,
        method: `${report.pages} pages × ${report.recordsPerPage} records, median of ${report.repeat}`,
        machine: started,
        details: report,
      };
    },
  },
  {
    name: "memory",
    run: async (smoke, log) => (await import("./memory.js")).run({ smoke, log }),
  },
  {
    name: "sinks",
    run: async (smoke, log) => (await import("./sinks.js")).run({ smoke, log }),
  },
  {
    name: "incremental-cost",
    run: async (smoke, log) => (await import("./incremental-cost.js")).run({ smoke, log }),
  },
  {
    name: "streamed-body",
    run: async (smoke, log) => (await import("./streamed-body.js")).run({ smoke, log }),
  },
];

interface Row {
  name: string;
  report?: BenchReport;
  error?: string;
  seconds: number;
}

function isReport(r: unknown): r is BenchReport {
  const x = r as BenchReport | undefined;
  return !!x && typeof x.name === "string" && typeof x.measured === "string" && x.measured.length > 0;
}

function table(rows: Row[]): string {
  const head = ["bench", "goal", "measured", "met", "time"];
  const body = rows.map((r) => [
    r.name,
    r.report?.goal ?? "",
    r.error ? `CRASHED: ${r.error}` : (r.report?.measured ?? ""),
    r.error ? "—" : r.report?.met === null ? "n/a" : r.report?.met ? "yes" : "no",
    `${r.seconds.toFixed(0)} s`,
  ]);
  const lines = [head, ...body].map((cells) => `| ${cells.join(" | ")} |`);
  lines.splice(1, 0, `|${head.map(() => "---").join("|")}|`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const smoke = flag(argv, "smoke");
  const only = option(argv, "only")?.split(",");
  const json = option(argv, "json");
  const chosen = BENCHES.filter((b) => !only || only.includes(b.name));
  const m = machine();
  process.stderr.write(
    `bench${smoke ? " (smoke)" : ""}: ${chosen.map((b) => b.name).join(", ")} on ${m.cpus} × ${m.cpuModel}, ` +
      `Node ${m.node}, load ${m.load1}\n`,
  );
  const rows: Row[] = [];
  for (const b of chosen) {
    const t0 = performance.now();
    const log = (line: string) => process.stderr.write(`  ${line}\n`);
    try {
      const report = await b.run(smoke, log);
      const seconds = (performance.now() - t0) / 1000;
      if (!isReport(report)) rows.push({ name: b.name, error: "no report", seconds });
      else rows.push({ name: b.name, report, seconds });
    } catch (err) {
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ name: b.name, error: err instanceof Error ? err.message : String(err), seconds });
    }
    const last = rows[rows.length - 1] as Row;
    process.stderr.write(`${b.name}: ${last.error ? `CRASHED ${last.error}` : last.report?.measured}\n`);
  }
  process.stdout.write(
    `\n${table(rows)}\n\nmachine: ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.date}, load at start ${m.load1}\n`,
  );
  if (json) await writeFile(json, `${JSON.stringify({ smoke, machine: m, rows }, null, 2)}\n`);
  return rows.some((r) => r.error) ? 1 : 0;
}

process.exitCode = await main();
