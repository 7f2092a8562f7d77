import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { expectValidLines } from "../helpers/protocol-validator.js";
import { runCli, tempFiles } from "./run-cli.js";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ seed: 43, counts: { contacts: 3_000 }, scale: "small", rateLimits: false });
});
afterAll(() => sim.close());

const ROOT = new URL("../..", import.meta.url).pathname;

/** A config paced to 2 requests a second, so a sync lasts long enough to be interrupted mid-stream. */
const config = (requestsPer10s: number) => ({
  credentials: { access_token: sim.credentials.privateAppToken },
  base_url: sim.url,
  requests_per_10s: requestsPer10s,
});

/** No checkpoint before the end of a stream: a state file after an interruption is the interruption's. */
const syncArgs = (files: Record<string, string>, configName: string) => [
  "sync",
  "--config",
  files[configName] as string,
  "--streams",
  "contacts",
  "--sink",
  "ndjson,parquet",
  "--out",
  join(files.dir as string, "out"),
  "--checkpoint-seconds",
  "3600",
  "--checkpoint-records",
  "1000000",
];

const lineCount = (path: string) =>
  existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean).length : 0;

/**
 * Starts a sync, sends the first of `signals` once `ready()` holds and each next one once the sync said it heard
 * the previous (signals sent together may merge into one), and resolves with its exit code and stderr.
 */
function interruptWhen(
  args: string[],
  ready: () => boolean,
  signals: NodeJS.Signals[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli.ts"), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    const pending = [...signals];
    child.stderr.on("data", (d) => {
      stderr += d;
      if (pending.length && stderr.includes("finishing the pages")) child.kill(pending.shift());
    });
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      child.kill(pending.shift());
    }, 20);
    const guard = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, stderr });
    });
  });
}

async function parquetIds(dir: string): Promise<Set<string>> {
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(
    `SELECT DISTINCT id FROM read_parquet('${join(dir, "*.parquet")}', union_by_name = true)`,
  );
  return new Set(reader.getRowObjects().map((r) => String(r.id)));
}

describe("interrupting a sync", () => {
  it("on SIGTERM finishes the page, saves the newest state, exits 143, and a resumed run loses nothing", async () => {
    const files = tempFiles({ "paced.json": config(20), "fast.json": config(100_000) });
    const out = join(files.dir, "out");
    const ndjson = join(out, "contacts.ndjson");
    const statePath = join(out, "state.json");

    const stopped = await interruptWhen(syncArgs(files, "paced.json"), () => lineCount(ndjson) >= 200, ["SIGTERM"]);
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/SIGTERM: finishing the pages being written/);
    expect(stopped.stderr).toMatch(/contacts +\d+ {2}interrupted/);
    const written = lineCount(ndjson);
    expect(written).toBeGreaterThanOrEqual(200);
    expect(written).toBeLessThan(sim.portal.count("contacts"));
    // Checkpoints were set an hour apart: this state can only be the one saved on the way out.
    const saved = JSON.parse(readFileSync(statePath, "utf8")) as { stream: { stream_descriptor: { name: string } } }[];
    expect(saved.map((s) => s.stream.stream_descriptor.name)).toEqual(["contacts"]);
    // The interrupted run's Parquet part was finished, and holds what NDJSON holds.
    expect((await parquetIds(join(out, "contacts"))).size).toBe(
      new Set(
        readFileSync(ndjson, "utf8")
          .trim()
          .split("\n")
          .map((l) => String(JSON.parse(l).id)),
      ).size,
    );

    const resumed = await runCli(syncArgs(files, "fast.json"));
    expect(resumed.code).toBe(0);
    const ids = readFileSync(ndjson, "utf8")
      .trim()
      .split("\n")
      .map((l) => String(JSON.parse(l).id));
    const want = new Set(
      Array.from({ length: sim.portal.count("contacts") }, (_, i) => sim.portal.idAt("contacts", i)),
    );
    expect(new Set(ids)).toEqual(want);
    expect(ids.length).toBeLessThan(2 * want.size); // the resumed run went on from the saved state
    expect(await parquetIds(join(out, "contacts"))).toEqual(want);
  }, 120_000);

  it("on SIGINT exits 130 after saving the state", async () => {
    const files = tempFiles({ "paced.json": config(20) });
    const out = join(files.dir, "out");
    const stopped = await interruptWhen(
      syncArgs(files, "paced.json"),
      () => lineCount(join(out, "contacts.ndjson")) >= 100,
      ["SIGINT"],
    );
    expect(stopped.code).toBe(130);
    expect(existsSync(join(out, "state.json"))).toBe(true);
  }, 120_000);

  it("exits at once, without a summary, on a second signal", async () => {
    const files = tempFiles({ "paced.json": config(20) });
    const out = join(files.dir, "out");
    const stopped = await interruptWhen(
      syncArgs(files, "paced.json"),
      () => lineCount(join(out, "contacts.ndjson")) >= 100,
      ["SIGINT", "SIGINT"],
    );
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).not.toMatch(/synced \d+ records/);
  }, 120_000);
});

describe("interrupting a read", () => {
  it("on SIGTERM emits the STATE of the records it emitted, marks the stream INCOMPLETE and exits 143", async () => {
    const files = tempFiles({ "paced.json": config(20) });
    const catalog = join(ROOT, "config/catalog.contacts-incremental.json");
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(ROOT, "src/cli.ts"),
          "read",
          "--config",
          files["paced.json"] as string,
          "--catalog",
          catalog,
        ],
        { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] },
      );
      let out = "";
      let sent = false;
      child.stdout.on("data", (d) => {
        out += d;
        if (!sent && (out.match(/"type":"RECORD"/g) ?? []).length >= 150) {
          sent = true;
          child.kill("SIGTERM");
        }
      });
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stdout: out }));
    });
    expect(code).toBe(143);
    const msgs = expectValidLines(stdout) as Record<string, any>[];
    const records = msgs.filter((m) => m.type === "RECORD");
    expect(records.length).toBeLessThan(sim.portal.count("contacts"));
    const lastRecord = msgs.findLastIndex((m) => m.type === "RECORD");
    const lastState = msgs.findLastIndex((m) => m.type === "STATE");
    expect(lastState).toBeGreaterThan(lastRecord);
    expect(msgs[lastState]?.state.sourceStats.recordCount).toBe(records.length);
    const statuses = msgs.filter((m) => m.type === "TRACE" && m.trace.type === "STREAM_STATUS");
    expect(statuses.at(-1)?.trace.stream_status.status).toBe("INCOMPLETE");
    expect(msgs.some((m) => m.type === "LOG" && /SIGTERM/.test(m.log.message))).toBe(true);
  }, 120_000);
});
