import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { runCli, tempFiles } from "../cli/run-cli.js";
import { queryDuckDb } from "../helpers/duckdb.js";

const MINUTE = 60_000;
const STREAMS = ["contacts", "companies", "deals"] as const;

const query = queryDuckDb;

/** Every live record of a type with its string-typed properties, as HubSpot holds them now. */
function liveRecords(sim: SimulatorHandle, type: string): Map<string, Record<string, unknown>> {
  const textual = sim.portal
    .specs(type)
    .filter((p) => p.type === "string" || p.type === "enumeration")
    .map((p) => p.name);
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < sim.portal.count(type); i++) {
    const id = sim.portal.idAt(type, i) as string;
    const rec = sim.portal.get(type, id);
    const props = (rec?.properties ?? {}) as Record<string, unknown>;
    out.set(id, Object.fromEntries(textual.map((name) => [`properties_${name}`, props[name] ?? null])));
  }
  return out;
}

describe("the current table after incremental syncs with changes, creations, deletes and merges between them", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 91, scale: "small", rateLimits: false, latencyMs: [1, 3] });
  });
  afterAll(() => sim.close());

  it("equals HubSpot's live records exactly, in hubspot.duckdb and through current.sql", async () => {
    const files = tempFiles({
      "config.json": {
        credentials: { access_token: sim.credentials.privateAppToken },
        base_url: sim.url,
        requests_per_10s: 100_000,
      },
    });
    const out = join(files.dir, "out");
    const sync = () =>
      runCli([
        "sync",
        "--config",
        files["config.json"]!,
        "--streams",
        STREAMS.join(","),
        "--sink",
        "duckdb,ndjson",
        "--out",
        out,
      ]);
    const first = await sync();
    expect(first.code, first.stderr).toBe(0);

    sim.portal.advance(MINUTE);
    const contacts = Array.from({ length: 20 }, (_, i) => sim.portal.idAt("contacts", i * 7) as string);
    for (const id of contacts.slice(0, 5)) sim.portal.update("contacts", id, { firstname: `Renamed ${id}` });
    for (const id of contacts.slice(5, 8)) sim.portal.archive("contacts", id);
    sim.portal.merge("contacts", contacts[8] as string, contacts[9] as string);
    sim.portal.create("contacts", { email: "new.one@example.com", firstname: "New" });
    sim.portal.update("companies", sim.portal.idAt("companies", 3) as string, { name: "Renamed Inc." });
    sim.portal.archive("deals", sim.portal.idAt("deals", 4) as string);
    sim.portal.advance(MINUTE);
    const second = await sync();
    expect(second.code, second.stderr).toBe(0);

    const db = join(out, "hubspot.duckdb");
    const views = readFileSync(join(out, "current.sql"), "utf8");
    for (const stream of STREAMS) {
      const want = liveRecords(sim, stream);
      const columns = Object.keys(want.values().next().value ?? {});
      const select = `SELECT id, ${columns.map((c) => `"${c}"`).join(", ")} FROM ${stream} ORDER BY id`;
      const rows = await query(db, select);
      expect(rows.map((r) => r.id).sort(), `${stream} ids`).toEqual([...want.keys()].sort());
      for (const row of rows) {
        const { id, ...values } = row;
        expect(values, `${stream} ${String(id)}`).toEqual(want.get(String(id)));
      }
      // The NDJSON files' current view: the same ids, deletes dropped.
      const fromFiles = await query(":memory:", `SELECT id FROM ${stream}`, views);
      expect(fromFiles.map((r) => String(r.id)).sort(), `${stream} current.sql`).toEqual([...want.keys()].sort());
    }
  }, 180_000);
});
