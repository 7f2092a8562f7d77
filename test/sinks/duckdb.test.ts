import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { duckdbSink } from "../../src/sinks/duckdb.js";
import type { ColumnSpec, Sink, TableSpec } from "../../src/sinks/sink.js";
import { queryDuckDb } from "../helpers/duckdb.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckdb-sink-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Query the sink's database file after the sink closed it (DuckDB allows one writer per file). */
const query = (sql: string) => queryDuckDb(join(dir, "hubspot.duckdb"), sql);

const columns: ColumnSpec[] = [
  { name: "id", type: "string" },
  { name: "createdAt", type: "timestamp" },
  { name: "updatedAt", type: "timestamp" },
  { name: "archived", type: "boolean" },
  { name: "properties", type: "json" },
  { name: "properties_amount", type: "number" },
  { name: "properties_hs_object_id", type: "integer" },
  { name: "properties_closedate", type: "date" },
  { name: "properties_firstname", type: "string" },
  { name: "companies", type: "string[]" },
  { name: "_ab_cdc_deleted_at", type: "timestamp" },
];
const contacts: TableSpec = { name: "contacts", mode: "append", primaryKey: [["id"]], columns };

const T0 = Date.UTC(2024, 4, 1, 12, 30, 15, 123);
const contact = (i: number, firstname = `c${i}`) => {
  const properties = { firstname, amount: i * 1.5, hs_object_id: 100 + i };
  return {
    id: String(100 + i),
    createdAt: new Date(T0 + i * 60_000).toISOString(),
    updatedAt: T0 + i * 3_600_000,
    archived: false,
    properties,
    properties_firstname: firstname,
    properties_amount: i * 1.5,
    properties_hs_object_id: 100 + i,
    properties_closedate: i % 2 === 0 ? "2024-06-01" : null,
    companies: i % 2 === 0 ? [String(i), String(i + 1)] : [],
  };
};
const tombstone = (i: number, at = "2024-07-01T00:00:00.000Z") => ({
  id: String(100 + i),
  archived: true,
  archivedAt: at,
  _ab_cdc_deleted_at: at,
});

async function sync(sink: Sink, specs: TableSpec[], writes: [string, unknown[]][]): Promise<void> {
  for (const spec of specs) await sink.open(spec);
  for (const [table, rows] of writes) await sink.write(table, rows as Record<string, unknown>[]);
  for (const spec of specs) if (!spec.parent) await sink.complete?.(spec.name);
  await sink.close();
}

describe("duckdbSink", () => {
  it("creates typed columns whose values DuckDB reads back exactly", async () => {
    await sync(
      duckdbSink({ dir }),
      [contacts],
      [["contacts", [contact(0), contact(1), { ...contact(2), properties_amount: "12;34", createdAt: "soon" }]]],
    );
    const types = await query(
      `SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = 'contacts' ORDER BY ordinal_position`,
    );
    expect(Object.fromEntries(types.map((r) => [r.c, r.t]))).toEqual({
      id: "VARCHAR",
      createdAt: "TIMESTAMP WITH TIME ZONE",
      updatedAt: "TIMESTAMP WITH TIME ZONE",
      archived: "BOOLEAN",
      properties_amount: "DOUBLE",
      properties_hs_object_id: "BIGINT",
      properties_closedate: "DATE",
      properties_firstname: "VARCHAR",
      companies: "VARCHAR[]",
      _ab_cdc_deleted_at: "TIMESTAMP WITH TIME ZONE",
      _raw: "JSON",
    });
    const rows =
      await query(`SELECT id, epoch_ms(createdAt)::VARCHAR AS created, epoch_ms(updatedAt)::VARCHAR AS updated,
      properties_amount AS amount, properties_hs_object_id::VARCHAR AS oid, properties_closedate::VARCHAR AS closedate,
      companies, _raw FROM contacts ORDER BY id`);
    expect(rows).toEqual([
      {
        id: "100",
        created: String(T0),
        updated: String(T0),
        amount: 0,
        oid: "100",
        closedate: "2024-06-01",
        companies: ["0", "1"],
        _raw: null,
      },
      {
        id: "101",
        created: String(T0 + 60_000),
        updated: String(T0 + 3_600_000),
        amount: 1.5,
        oid: "101",
        closedate: null,
        companies: [],
        _raw: null,
      },
      {
        id: "102",
        created: null,
        updated: String(T0 + 7_200_000),
        amount: null,
        oid: "102",
        closedate: "2024-06-01",
        companies: ["2", "3"],
        // the uncastable values, and `properties` because its copy of amount differs from the unnested one
        _raw: JSON.stringify({ createdAt: "soon", properties: contact(2).properties, properties_amount: "12;34" }),
      },
    ]);
  });

  it("keeps the newest version of each primary key, within a write and across flushes", async () => {
    const sink = duckdbSink({ dir });
    await sink.open(contacts);
    await sink.write("contacts", [contact(1), contact(2)]);
    await sink.flush();
    await sink.write("contacts", [contact(1, "second"), contact(3), contact(1, "third")]);
    await sink.close();
    expect(await query("SELECT id, properties_firstname AS f FROM contacts ORDER BY id")).toEqual([
      { id: "101", f: "third" },
      { id: "102", f: "c2" },
      { id: "103", f: "c3" },
    ]);
  });

  it("applies a tombstone as a delete of its key and never stores it", async () => {
    const first = duckdbSink({ dir });
    await sync(first, [contacts], [["contacts", [contact(1), contact(2), contact(3)]]]);
    const second = duckdbSink({ dir });
    await sync(second, [contacts], [["contacts", [tombstone(2), tombstone(4), contact(3, "again")]]]);
    expect(await query("SELECT id, properties_firstname AS f FROM contacts ORDER BY id")).toEqual([
      { id: "101", f: "c1" },
      { id: "103", f: "again" },
    ]);
  });

  it("restores a key whose tombstone is followed by a newer live version", async () => {
    await sync(duckdbSink({ dir }), [contacts], [["contacts", [contact(1), tombstone(1), contact(1, "back")]]]);
    expect(await query("SELECT id, properties_firstname AS f FROM contacts")).toEqual([{ id: "101", f: "back" }]);
  });

  it("appends every row of a table without a primary key", async () => {
    const spec: TableSpec = { name: "subscription_changes", mode: "append", primaryKey: [] };
    const change = (n: number) => ({ recipient: "a@b.c", timestamp: n, change: "UNSUBSCRIBED" });
    await sync(duckdbSink({ dir }), [spec], [["subscription_changes", [change(1), change(1)]]]);
    await sync(duckdbSink({ dir }), [spec], [["subscription_changes", [change(2)]]]);
    expect(await query("SELECT timestamp AS t FROM subscription_changes ORDER BY t")).toEqual([
      { t: 1 },
      { t: 1 },
      { t: 2 },
    ]);
  });

  it("replaces the child rows of re-written parents and drops those of deleted parents", async () => {
    const parent: TableSpec = { name: "engagements", mode: "append", primaryKey: [["id"]] };
    const child: TableSpec = {
      name: "engagements_metadata_to",
      mode: "append",
      parent: { table: "engagements", key: "engagement_id" },
    };
    const to = (id: number, emails: string[]) => emails.map((email, i) => ({ engagement_id: id, _index: i, email }));
    await sync(
      duckdbSink({ dir }),
      [parent, child],
      [
        [
          "engagements",
          [
            { id: 1, type: "EMAIL" },
            { id: 2, type: "EMAIL" },
            { id: 3, type: "EMAIL" },
          ],
        ],
        ["engagements_metadata_to", [...to(1, ["a", "b"]), ...to(2, ["c"]), ...to(3, ["d", "e"])]],
      ],
    );
    // 1 is re-written with one recipient, 2 twice in one run (the last version wins), 3 is deleted
    await sync(
      duckdbSink({ dir }),
      [parent, child],
      [
        [
          "engagements",
          [
            { id: 1, type: "EMAIL" },
            { id: 2, type: "EMAIL" },
          ],
        ],
        ["engagements_metadata_to", [...to(1, ["z"]), ...to(2, ["x", "y"])]],
        [
          "engagements",
          [
            { id: 2, type: "EMAIL" },
            { id: 3, _ab_cdc_deleted_at: "2024-01-01T00:00:00Z" },
          ],
        ],
        ["engagements_metadata_to", to(2, ["w"])],
      ],
    );
    expect(await query("SELECT id FROM engagements ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await query("SELECT engagement_id AS e, email FROM engagements_metadata_to ORDER BY e, _index")).toEqual([
      { e: 1, email: "z" },
      { e: 2, email: "w" },
    ]);
  });

  it("appends the rows of a child table whose parent this sink never opened", async () => {
    const orphan: TableSpec = { name: "t_items", mode: "append", parent: { table: "t", key: "t_id" } };
    await sync(
      duckdbSink({ dir }),
      [orphan],
      [
        [
          "t_items",
          [
            { t_id: 1, v: "a" },
            { t_id: 1, v: "b" },
          ],
        ],
      ],
    );
    expect(await query("SELECT v FROM t_items ORDER BY v")).toEqual([{ v: "a" }, { v: "b" }]);
  });

  it("replaces an overwritten table only when its stream completes", async () => {
    const full: TableSpec = { ...contacts, mode: "overwrite" };
    await sync(duckdbSink({ dir }), [full], [["contacts", [contact(1), contact(2)]]]);
    // a run that stops before complete(): the previous snapshot stays whole
    const broken = duckdbSink({ dir });
    await broken.open(full);
    await broken.write("contacts", [contact(3)]);
    await broken.flush();
    await broken.close();
    expect(await query("SELECT id FROM contacts ORDER BY id")).toEqual([{ id: "101" }, { id: "102" }]);
    expect(
      await query("SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_name LIKE '%next'"),
    ).toEqual([{ n: 0 }]);
    await sync(duckdbSink({ dir }), [full], [["contacts", [contact(5)]]]);
    expect(await query("SELECT id FROM contacts")).toEqual([{ id: "105" }]);
  });

  it("adds a column for a field first seen in a later write, keeping earlier rows", async () => {
    const spec: TableSpec = { name: "forms", mode: "append", primaryKey: [["id"]] };
    await sync(
      duckdbSink({ dir }),
      [spec],
      [
        ["forms", [{ id: "a", note: null }]],
        ["forms", [{ id: "b", note: "hi", meta: { x: 1 }, score: 2.5 }]],
      ],
    );
    await sync(duckdbSink({ dir }), [spec], [["forms", [{ id: "c", score: "n/a", extra: true }]]]);
    expect(await query("SELECT id, note, meta, score, extra, _raw FROM forms ORDER BY id")).toEqual([
      { id: "a", note: null, meta: null, score: null, extra: null, _raw: null },
      { id: "b", note: "hi", meta: '{"x":1}', score: 2.5, extra: null, _raw: null },
      { id: "c", note: null, meta: null, score: null, extra: true, _raw: '{"score":"n/a"}' },
    ]);
  });
});
