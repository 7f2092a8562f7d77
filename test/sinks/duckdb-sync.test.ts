import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { duckdbSink } from "../../src/sinks/duckdb.js";
import { runCli, tempFiles } from "../cli/run-cli.js";
import { queryDuckDb } from "../helpers/duckdb.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const MINUTE = 60_000;

const query = queryDuckDb;

/** Run the writer fixture and SIGKILL it once it has flushed and written more. */
function killAfterFlush(dir: string, mode: string, committed: number, pending: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "test/sinks/fixtures/killed-duckdb-writer.ts"),
        dir,
        mode,
        String(committed),
        String(pending),
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    child.stdout.on("data", (d) => {
      if (String(d).includes("flushed")) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", () => resolve());
  });
}

describe("duckdb sink, killed and resumed", () => {
  it("keeps exactly the rows of its last flush when the process is killed", async () => {
    const { dir } = tempFiles({});
    await killAfterFlush(dir, "append", 3000, 500);
    expect(
      await query(join(dir, "hubspot.duckdb"), "SELECT count(*)::INT AS n, max(v)::INT AS last FROM contacts"),
    ).toEqual([{ n: 3000, last: 2999 }]);
  }, 60_000);

  it("leaves the previous table whole when a full refresh is killed before it completes", async () => {
    const { dir } = tempFiles({});
    const before = duckdbSink({ dir });
    await before.open({ name: "contacts", mode: "overwrite", primaryKey: [["id"]] });
    await before.write("contacts", [{ id: "old", v: -1 }]);
    await before.complete?.("contacts");
    await before.close();
    await killAfterFlush(dir, "overwrite", 100, 10);
    expect(await query(join(dir, "hubspot.duckdb"), "SELECT id FROM contacts")).toEqual([{ id: "old" }]);
  }, 60_000);
});

describe("sync --sink duckdb against the simulator", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, scale: "small", rateLimits: false, latencyMs: [1, 3] });
  });
  afterAll(() => sim.close());

  it("holds one row per record with the newest values after a second, incremental sync", async () => {
    const files = tempFiles({
      "config.json": {
        credentials: { access_token: sim.credentials.privateAppToken },
        base_url: sim.url,
        requests_per_10s: 100_000,
      },
    });
    const out = join(files.dir, "out");
    const args = ["sync", "--config", files["config.json"]!, "--streams", "contacts,engagements", "--sink", "duckdb"];
    const sync = () => runCli([...args, "--out", out, "--state", join(files.dir, "state.json")]);
    const first = await sync();
    expect(first.code, first.stderr).toBe(0);

    sim.portal.advance(MINUTE);
    const changed = sim.portal.idAt("contacts", 5) as string;
    sim.portal.update("contacts", changed, { firstname: "Renamed" });
    sim.portal.advance(MINUTE);
    const second = await sync();
    expect(second.code, second.stderr).toBe(0);

    const db = join(out, "hubspot.duckdb");
    const live = Array.from({ length: sim.portal.count("contacts") }, (_, i) => sim.portal.idAt("contacts", i));
    const [counts] = await query(db, "SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM contacts");
    expect(counts).toEqual({ n: live.length, ids: live.length });
    const ids = await query(db, "SELECT id FROM contacts ORDER BY id");
    expect(ids.map((r) => r.id).sort()).toEqual([...live].sort());
    expect(await query(db, `SELECT properties_firstname AS f FROM contacts WHERE id = '${changed}'`)).toEqual([
      { f: "Renamed" },
    ]);
    // the v1 engagements stream and its child tables arrive alongside, each child row under a stored engagement
    const [orphans] = await query(
      db,
      "SELECT count(*)::INT AS n FROM engagements_metadata m WHERE NOT EXISTS (SELECT 1 FROM engagements e WHERE e.id = m.engagement_id)",
    );
    expect(orphans).toEqual({ n: 0 });
    const [engagements] = await query(db, "SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM engagements");
    expect(engagements?.n).toBeGreaterThan(0);
    expect(engagements?.n).toBe(engagements?.ids);

    // a full refresh replaces the table once the stream completed: a record archived since is gone
    const archived = sim.portal.idAt("contacts", 9) as string;
    sim.portal.archive("contacts", archived);
    const refresh = await runCli([...args, "--out", out, "--full-refresh"]);
    expect(refresh.code, refresh.stderr).toBe(0);
    const [after] = await query(
      db,
      `SELECT count(*)::INT AS n, count(*) FILTER (WHERE id = '${archived}')::INT AS archived FROM contacts`,
    );
    expect(after).toEqual({ n: live.length - 1, archived: 0 });
    expect(
      await query(db, "SELECT table_name AS t FROM information_schema.tables WHERE table_name LIKE '%next'"),
    ).toEqual([]);
  }, 180_000);
});
