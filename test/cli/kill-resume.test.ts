import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { runCli, tempFiles } from "./run-cli.js";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({
    seed: 41,
    counts: { contacts: 3_000 },
    scale: "small",
    rateLimits: false,
    latencyMs: [3, 6],
  });
});
afterAll(() => sim.close());

const ROOT = new URL("../..", import.meta.url).pathname;

function syncArgs(files: Record<string, string>) {
  return [
    "sync",
    "--config",
    files["config.json"] as string,
    "--streams",
    "contacts,companies",
    "--sink",
    "ndjson,parquet",
    "--out",
    join(files.dir as string, "out"),
    "--state",
    join(files.dir as string, "state.json"),
    "--checkpoint-records",
    "200",
    "--checkpoint-seconds",
    "1",
  ];
}

/** Start a sync and SIGKILL it as soon as its state file holds a mid-stream checkpoint. */
function killAfterFirstCheckpoint(args: string[], statePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli.ts"), ...args], {
      cwd: ROOT,
      stdio: "ignore",
    });
    const poll = setInterval(() => {
      if (existsSync(statePath) && readFileSync(statePath, "utf8").includes("contacts")) {
        clearInterval(poll);
        child.kill("SIGKILL");
      }
    }, 5);
    child.on("error", reject);
    child.on("close", () => {
      clearInterval(poll);
      resolve();
    });
  });
}

describe("killing a sync at a checkpoint and resuming", () => {
  it("loses no record: NDJSON and Parquet together hold every contact", async () => {
    const files = tempFiles({
      "config.json": {
        credentials: { access_token: sim.credentials.privateAppToken },
        base_url: sim.url,
        requests_per_10s: 100000,
      },
    });
    const statePath = join(files.dir, "state.json");
    await killAfterFirstCheckpoint(syncArgs(files), statePath);
    const midState = JSON.parse(readFileSync(statePath, "utf8")) as unknown[];
    expect(JSON.stringify(midState)).toContain("backfill");

    const resumed = await runCli(syncArgs(files));
    expect(resumed.code).toBe(0);

    const want = new Set(
      Array.from({ length: sim.portal.count("contacts") }, (_, i) => sim.portal.idAt("contacts", i)),
    );
    const ndjson = readFileSync(join(files.dir, "out", "contacts.ndjson"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => String(JSON.parse(l).id));
    expect(new Set(ndjson)).toEqual(want);

    const parts = readdirSync(join(files.dir, "out", "contacts"));
    expect(parts.every((p) => p.endsWith(".parquet"))).toBe(true);
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(
      `SELECT DISTINCT id FROM read_parquet('${join(files.dir, "out", "contacts", "*.parquet")}', union_by_name = true)`,
    );
    expect(new Set(reader.getRowObjects().map((r) => String(r.id)))).toEqual(want);
  }, 120_000);
});
