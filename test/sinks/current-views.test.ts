import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CURRENT_SQL } from "../../src/sinks/current-views.js";
import { multiSink } from "../../src/sinks/multi.js";
import { ndjsonSink } from "../../src/sinks/ndjson.js";
import { newRunId, parquetSink } from "../../src/sinks/parquet.js";
import type { Sink, TableSpec } from "../../src/sinks/sink.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "current-views-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Load `current.sql` into a fresh DuckDB, as `duckdb -init out/current.sql` would, and run `sql`. */
async function current(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  try {
    const conn = await db.connect();
    await conn.run(await readFile(join(dir, CURRENT_SQL), "utf8"));
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    db.closeSync();
  }
}

const contacts: TableSpec = {
  name: "contacts",
  mode: "append",
  primaryKey: [["id"]],
  columns: [
    { name: "id", type: "string" },
    { name: "firstname", type: "string" },
    { name: "_ab_cdc_deleted_at", type: "timestamp" },
  ],
};
const engagements: TableSpec = { name: "engagements", mode: "append", primaryKey: [["id"]] };
const to: TableSpec = {
  name: "engagements_metadata_to",
  mode: "append",
  parent: { table: "engagements", key: "engagement_id" },
};
const deleted = (id: string) => ({ id, _ab_cdc_deleted_at: "2024-07-01T00:00:00.000Z" });

async function run(sink: Sink, writes: [TableSpec, unknown[]][]): Promise<void> {
  for (const [spec] of writes) await sink.open(spec);
  for (const [spec, rows] of writes) {
    await sink.write(spec.name, rows as Record<string, unknown>[]);
    await sink.flush();
  }
  await sink.close();
}

const first: [TableSpec, unknown[]][] = [
  [
    contacts,
    [
      { id: "1", firstname: "a" },
      { id: "2", firstname: "b" },
      { id: "3", firstname: "c" },
    ],
  ],
  [engagements, [{ id: 10 }, { id: 11 }]],
  [
    to,
    [
      { engagement_id: 10, _index: 0, email: "x" },
      { engagement_id: 10, _index: 1, email: "y" },
      { engagement_id: 11, _index: 0, email: "w" },
    ],
  ],
];
const second: [TableSpec, unknown[]][] = [
  [contacts, [{ id: "2", firstname: "b2" }, deleted("3"), { id: "2", firstname: "b3" }]],
  [engagements, [{ id: 10 }]],
  [to, [{ engagement_id: 10, _index: 0, email: "z" }]],
];

describe("current.sql", () => {
  it("gives the Parquet parts' newest row per key, without deleted keys, and the children of each parent's newest version", async () => {
    await run(parquetSink({ dir, runId: newRunId(new Date(Date.UTC(2026, 0, 1))) }), first);
    await run(parquetSink({ dir, runId: newRunId(new Date(Date.UTC(2026, 0, 2))) }), second);
    expect(await current("SELECT id, firstname FROM contacts ORDER BY id")).toEqual([
      { id: "1", firstname: "a" },
      { id: "2", firstname: "b3" },
    ]);
    expect(await current("SELECT engagement_id AS e, email FROM engagements_metadata_to ORDER BY e, _index")).toEqual([
      { e: 10, email: "z" },
      { e: 11, email: "w" },
    ]);
  });

  it("gives the same current rows over NDJSON files", async () => {
    await run(ndjsonSink({ dir }), first);
    await run(ndjsonSink({ dir }), second);
    expect(await current("SELECT id, firstname FROM contacts ORDER BY id")).toEqual([
      { id: "1", firstname: "a" },
      { id: "2", firstname: "b3" },
    ]);
  });

  it("keeps the views of tables an earlier sync wrote and prefers Parquet when both formats are there", async () => {
    await run(multiSink([ndjsonSink({ dir }), parquetSink({ dir })]), first);
    await run(parquetSink({ dir }), [[contacts, [{ id: "4", firstname: "d" }]]]);
    const sql = await readFile(join(dir, CURRENT_SQL), "utf8");
    expect(sql).not.toContain("read_ndjson");
    expect(await current("SELECT count(*)::INT AS n FROM engagements")).toEqual([{ n: 2 }]);
    expect(await current("SELECT id FROM contacts ORDER BY id")).toEqual([
      { id: "1" },
      { id: "2" },
      { id: "3" },
      { id: "4" },
    ]);
  });

  it("drops deleted keys from a Parquet view even when no run declared the delete column", async () => {
    const plain: TableSpec = { ...contacts, columns: contacts.columns?.filter((c) => c.name !== "_ab_cdc_deleted_at") };
    await run(parquetSink({ dir, runId: newRunId(new Date(Date.UTC(2026, 0, 1))) }), [
      [plain, [{ id: "1" }, { id: "2" }]],
    ]);
    await run(parquetSink({ dir, runId: newRunId(new Date(Date.UTC(2026, 0, 2))) }), [[plain, [deleted("2")]]]);
    await run(parquetSink({ dir, runId: newRunId(new Date(Date.UTC(2026, 0, 3))) }), [[plain, [{ id: "3" }]]]);
    expect(await current("SELECT id FROM contacts ORDER BY id")).toEqual([{ id: "1" }, { id: "3" }]);
  });

  it("names parts so that their names sort in the order the runs started", () => {
    const ids = [0, 1, 999, 60_000, 86_400_000].map((ms) => newRunId(new Date(Date.UTC(2026, 11, 3) + ms)));
    expect([...ids].sort()).toEqual(ids);
  });
});
