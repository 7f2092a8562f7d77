import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parquetSink } from "../../src/sinks/parquet.js";
import type { ColumnSpec } from "../../src/sinks/sink.js";
import { contactRows, propertyNames } from "./contact-rows.js";

let dir: string;
let duck: DuckDBInstance;
beforeAll(async () => {
  duck = await DuckDBInstance.create(":memory:");
});
afterAll(() => duck.closeSync());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "parquet-sink-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const conn = await duck.connect();
  try {
    // TIMESTAMPTZ renders in the session's zone: pin it so the text does not depend on the machine
    await conn.run("SET TimeZone = 'UTC'");
    return (await conn.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    conn.closeSync();
  }
}
const glob = (table: string) => `read_parquet('${join(dir, table)}/*.parquet', union_by_name = true)`;

const columns: ColumnSpec[] = [
  { name: "id", type: "string" },
  { name: "createdAt", type: "timestamp" },
  { name: "updatedAt", type: "timestamp" },
  { name: "archived", type: "boolean" },
  { name: "properties_amount", type: "number" },
  { name: "properties_employees", type: "integer" },
  { name: "properties_closedate", type: "date" },
  { name: "properties_email", type: "string" },
];

const T0 = Date.UTC(2024, 4, 1, 12, 30, 15, 123);
/** HubSpot-like contacts: ISO and epoch-ms timestamps, typed properties with nulls, a nested object, associations. */
const contact = (i: number) => ({
  id: String(100 + i),
  createdAt: new Date(T0 + i * 60_000).toISOString(),
  updatedAt: T0 + i * 3_600_000,
  archived: i % 3 === 0,
  properties_amount: i % 4 === 0 ? null : String(i * 1.5),
  properties_employees: i % 5 === 0 ? null : i * 10,
  properties_closedate: i % 2 === 0 ? "2024-06-0" + ((i % 9) + 1) : null,
  properties_email: i === 7 ? null : `c${i}@example.com`,
  properties: { email: `c${i}@example.com`, amount: String(i * 1.5) },
  companies: i % 2 === 0 ? [String(i), String(i + 1)] : [],
});

describe("parquetSink", () => {
  it("writes typed columns that DuckDB and hyparquet read back exactly", async () => {
    const sink = parquetSink({ dir });
    await sink.open({ name: "contacts", mode: "overwrite", columns });
    const rows = Array.from({ length: 10 }, (_, i) => contact(i));
    await sink.write("contacts", rows.slice(0, 6));
    await sink.write("contacts", rows.slice(6));
    await sink.close();

    const [types] = await query(`SELECT count(*)::INT AS n,
      any_value(typeof(id)) AS id, any_value(typeof(createdAt)) AS createdAt, any_value(typeof(updatedAt)) AS updatedAt,
      any_value(typeof(archived)) AS archived, any_value(typeof(properties_amount)) AS amount,
      any_value(typeof(properties_employees)) AS employees, any_value(typeof(properties_closedate)) AS closedate,
      any_value(typeof(properties)) AS properties, any_value(typeof(companies)) AS companies,
      (count(*) - count(properties_amount))::INT AS amount_nulls, (count(*) - count(properties_employees))::INT AS employees_nulls,
      (count(*) - count(properties_closedate))::INT AS closedate_nulls, (count(*) - count(properties_email))::INT AS email_nulls,
      sum(archived::INT)::INT AS archived_n, sum(properties_amount) AS amount_sum, sum(properties_employees)::INT AS employees_sum,
      count(_raw)::INT AS raw_n
      FROM ${glob("contacts")}`);
    expect(types).toEqual({
      n: 10,
      id: "VARCHAR",
      createdAt: "TIMESTAMP WITH TIME ZONE",
      updatedAt: "TIMESTAMP WITH TIME ZONE",
      archived: "BOOLEAN",
      amount: "DOUBLE",
      employees: "BIGINT",
      closedate: "DATE",
      properties: "VARCHAR",
      companies: "VARCHAR",
      amount_nulls: 3,
      employees_nulls: 2,
      closedate_nulls: 5,
      email_nulls: 1,
      archived_n: 4,
      amount_sum: [1, 2, 3, 5, 6, 7, 9].reduce((a, i) => a + i * 1.5, 0),
      employees_sum: [1, 2, 3, 4, 6, 7, 8, 9].reduce((a, i) => a + i * 10, 0),
      raw_n: 0,
    });

    const exact =
      await query(`SELECT id, epoch_ms(createdAt)::BIGINT::VARCHAR AS c, epoch_ms(updatedAt)::BIGINT::VARCHAR AS u,
      properties_closedate::VARCHAR AS d, properties, companies FROM ${glob("contacts")} ORDER BY id`);
    expect(exact).toHaveLength(10);
    exact.forEach((r, i) => {
      const src = contact(i);
      expect(r).toEqual({
        id: src.id,
        c: String(Date.parse(src.createdAt)),
        u: String(src.updatedAt),
        d: src.properties_closedate,
        properties: JSON.stringify(src.properties),
        companies: JSON.stringify(src.companies),
      });
    });

    const files = (await readdir(join(dir, "contacts"))).filter((f) => f.endsWith(".parquet"));
    expect(files).toHaveLength(1);
    const back = await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, "contacts", files[0]!)) });
    expect(back).toHaveLength(10);
    expect(back[3]).toMatchObject({
      id: "103",
      archived: true,
      properties_amount: 4.5,
      properties_employees: 30n,
      properties_closedate: null,
      properties_email: "c3@example.com",
      _raw: null,
    });
    expect((back[3]!.createdAt as Date).getTime()).toBe(T0 + 3 * 60_000);
    expect(back[4]!.properties_amount).toBeNull();
  });

  it("keeps uncastable values in _raw and gives a field first seen later a column of its own", async () => {
    const sink = parquetSink({ dir, partRows: 3 });
    await sink.open({ name: "contacts", mode: "overwrite", columns });
    await sink.write("contacts", [contact(1), { ...contact(2), properties_amount: "12;34", createdAt: "not a date" }]);
    await sink.write("contacts", [{ ...contact(3), hs_lead_status: "NEW" }, contact(4)]);
    await sink.close();

    const rows = await query(
      `SELECT id, properties_amount AS amount, createdAt::VARCHAR AS created, _raw, hs_lead_status FROM ${glob("contacts")} ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: "101", amount: 1.5, created: "2024-05-01 12:31:15.123+00", _raw: null, hs_lead_status: null },
      {
        id: "102",
        amount: null,
        created: null,
        _raw: JSON.stringify({ createdAt: "not a date", properties_amount: "12;34" }),
        hs_lead_status: null,
      },
      { id: "103", amount: 4.5, created: "2024-05-01 12:33:15.123+00", _raw: null, hs_lead_status: "NEW" },
      { id: "104", amount: null, created: "2024-05-01 12:34:15.123+00", _raw: null, hs_lead_status: null },
    ]);
    // partRows 3: a part of three rows (the new field's column added on the way), then one of one
    const parts = (await readdir(join(dir, "contacts"))).filter((f) => f.endsWith(".parquet"));
    expect(parts).toHaveLength(2);
  });

  it("infers undeclared fields at first sight", async () => {
    const sink = parquetSink({ dir });
    await sink.open({ name: "deals", mode: "overwrite" });
    await sink.write("deals", [
      { id: "1", score: null, won: true, amount: 10.5, tags: ["a"], meta: { x: 1 } },
      { id: "2", score: 7, won: false, amount: "oops", tags: [], meta: null },
    ]);
    await sink.close();
    const [r] = await query(`SELECT any_value(typeof(score)) AS score, any_value(typeof(won)) AS won,
      any_value(typeof(amount)) AS amount, any_value(typeof(tags)) AS tags, max(_raw) AS raw, sum(score)::INT AS s
      FROM ${glob("deals")}`);
    expect(r).toEqual({
      score: "DOUBLE",
      won: "BOOLEAN",
      amount: "DOUBLE",
      tags: "VARCHAR",
      raw: '{"amount":"oops"}',
      s: 7,
    });
  });

  it("finishes a readable part on flush while the table keeps receiving rows", async () => {
    const tableDir = join(dir, "contacts");
    const sink = parquetSink({ dir, runId: "20260101T000000000Z-test" });
    await sink.open({ name: "contacts", mode: "append", columns });
    await sink.write("contacts", [contact(0), contact(1), contact(2), contact(3)]);
    // rows not yet flushed are not in any file a reader sees
    expect(await readdir(tableDir)).toEqual([]);
    await sink.flush();
    await sink.write("contacts", [contact(4), contact(5), contact(6)]);
    expect(await readdir(tableDir)).toEqual(["part-20260101T000000000Z-test-00000.parquet"]);
    const [mid] = await query(`SELECT count(*)::INT AS n FROM ${glob("contacts")}`);
    expect(mid).toEqual({ n: 4 });
    await sink.flush();
    await sink.flush(); // nothing new: no empty part
    await sink.close();
    const [end] = await query(`SELECT count(*)::INT AS n FROM ${glob("contacts")}`);
    expect(end).toEqual({ n: 7 });
    expect((await readdir(tableDir)).sort()).toEqual([
      "part-20260101T000000000Z-test-00000.parquet",
      "part-20260101T000000000Z-test-00001.parquet",
    ]);
  });

  it("removes leftover .tmp parts on open, and an overwritten table's earlier parts once its stream completes", async () => {
    const tableDir = join(dir, "contacts");
    const first = parquetSink({ dir });
    await first.open({ name: "contacts", mode: "overwrite", columns });
    await first.write("contacts", [contact(0)]);
    await first.close();
    await writeFile(join(tableDir, "part-19990101T000000000Z-dead-00000.parquet.tmp"), "torn");

    const second = parquetSink({ dir });
    await second.open({ name: "contacts", mode: "append", columns });
    expect((await readdir(tableDir)).some((f) => f.endsWith(".tmp"))).toBe(false);
    await second.write("contacts", [contact(1)]);
    await second.close();
    expect(await query(`SELECT count(*)::INT AS n FROM ${glob("contacts")}`)).toEqual([{ n: 2 }]);

    // a full refresh that dies before completing leaves the old parts beside the ones it finished
    const broken = parquetSink({ dir });
    await broken.open({ name: "contacts", mode: "overwrite", columns });
    await broken.write("contacts", [contact(4)]);
    await broken.close();
    expect(await query(`SELECT id FROM ${glob("contacts")} ORDER BY id`)).toEqual([
      { id: "100" },
      { id: "101" },
      { id: "104" },
    ]);

    const third = parquetSink({ dir });
    await third.open({ name: "contacts", mode: "overwrite", columns });
    await third.write("contacts", [contact(5)]);
    await third.flush();
    await third.complete?.("contacts");
    await third.close();
    expect(await query(`SELECT id FROM ${glob("contacts")}`)).toEqual([{ id: "105" }]);
  });

  it("reads back every value of multi-page, Snappy-compressed row groups", async () => {
    const rows = [...contactRows(6000)];
    const wide: ColumnSpec[] = [
      { name: "id", type: "string" },
      { name: "createdAt", type: "timestamp" },
      { name: "properties", type: "json" },
      ...propertyNames().map(
        (p): ColumnSpec => ({ name: `properties_${p}`, type: p.startsWith("n") ? "number" : "string" }),
      ),
    ];
    const sink = parquetSink({ dir, partRows: 2500 });
    await sink.open({ name: "contacts", mode: "overwrite", columns: wide });
    for (let i = 0; i < rows.length; i += 100) await sink.write("contacts", rows.slice(i, i + 100));
    await sink.close();
    const back = await query(`SELECT id, epoch_ms(createdAt)::BIGINT::VARCHAR AS c, properties, properties_p01 AS p01,
      properties_p02 AS p02, properties_n45 AS n45 FROM ${glob("contacts")} ORDER BY id::INT`);
    expect(back).toEqual(
      rows.map((r) => ({
        id: r.id,
        c: String(Date.parse(r.createdAt as string)),
        properties: JSON.stringify(r.properties),
        p01: r.properties_p01,
        p02: r.properties_p02,
        n45: r.properties_n45,
      })),
    );
  });

  it("leaves out the nested properties JSON on request, keeping in _raw any row the unnested columns do not mirror", async () => {
    const mirrored = (i: number) => ({
      id: String(i),
      properties: { email: `c${i}@x.io`, amount: i * 1.5, note: null },
      properties_email: `c${i}@x.io`,
      properties_amount: i * 1.5,
      properties_note: null,
    });
    const rows = [
      mirrored(1),
      { ...mirrored(2), properties_amount: 99 },
      { ...mirrored(3), properties: { ...mirrored(3).properties, extra: "x" } },
      { id: "4", properties: null },
      mirrored(5),
    ];
    const sink = parquetSink({ dir, omitUnnestedJson: true });
    await sink.open({
      name: "contacts",
      mode: "overwrite",
      columns: [
        { name: "id", type: "string" },
        { name: "properties", type: "json" },
        { name: "properties_email", type: "string" },
        { name: "properties_amount", type: "number" },
        { name: "properties_note", type: "string" },
      ],
    });
    await sink.write("contacts", rows);
    await sink.close();
    const cols = await query(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${glob("contacts")})`);
    expect(cols.map((c) => c.column_name)).toEqual([
      "id",
      "properties_email",
      "properties_amount",
      "properties_note",
      "_raw",
    ]);
    const back = await query(
      `SELECT id, properties_email AS e, properties_amount AS a, _raw FROM ${glob("contacts")} ORDER BY id`,
    );
    expect(back).toEqual([
      { id: "1", e: "c1@x.io", a: 1.5, _raw: null },
      { id: "2", e: "c2@x.io", a: 99, _raw: JSON.stringify({ properties: mirrored(2).properties }) },
      {
        id: "3",
        e: "c3@x.io",
        a: 4.5,
        _raw: JSON.stringify({ properties: { ...mirrored(3).properties, extra: "x" } }),
      },
      { id: "4", e: null, a: null, _raw: null },
      { id: "5", e: "c5@x.io", a: 7.5, _raw: null },
    ]);
  });

  it("keeps non-ASCII text in JSON and _raw columns byte for byte", async () => {
    const texts = ["é ü ß", "日本語", "😀 emoji", 'quote " and \\ backslash', ""];
    const rows = texts.map((t, i) => ({
      id: String(i),
      properties: { name: t, n: i },
      properties_n: i % 2 ? `${t}!` : i,
    }));
    const sink = parquetSink({ dir });
    await sink.open({
      name: "contacts",
      mode: "overwrite",
      columns: [
        { name: "id", type: "string" },
        { name: "properties", type: "json" },
        { name: "properties_n", type: "number" },
      ],
    });
    await sink.write("contacts", rows);
    await sink.close();
    const back = await query(`SELECT id, properties, _raw FROM ${glob("contacts")} ORDER BY id`);
    expect(back).toEqual(
      rows.map((r, i) => ({
        id: r.id,
        properties: JSON.stringify(r.properties),
        _raw: i % 2 ? JSON.stringify({ properties_n: r.properties_n }) : null,
      })),
    );
  });

  describe("types other readers rely on (read back by DuckDB)", () => {
    const typed: ColumnSpec[] = [
      { name: "id", type: "string" },
      { name: "updatedAt", type: "timestamp" },
      { name: "companies", type: "string[]" },
      { name: "properties_hs_object_id", type: "integer" },
    ];
    const write = async (rows: Record<string, unknown>[]) => {
      const sink = parquetSink({ dir });
      await sink.open({ name: "contacts", mode: "overwrite", columns: typed });
      await sink.write("contacts", rows);
      await sink.close();
    };
    const schema = async () =>
      Object.fromEntries(
        (
          await query(
            `SELECT name, type, converted_type AS c, logical_type AS l FROM parquet_schema('${join(dir, "contacts")}/*.parquet')`,
          )
        ).map((r) => [r.name, r]),
      );

    it("writes timestamps adjusted to UTC, which DuckDB reads as TIMESTAMPTZ", async () => {
      await write([
        { id: "1", updatedAt: "2024-05-01T14:00:00.123+02:00" },
        { id: "2", updatedAt: 1714564800000 },
      ]);
      expect((await schema()).updatedAt?.l).toContain("isAdjustedToUTC=1");
      expect(
        await query(`SELECT typeof(updatedAt) AS t, updatedAt::VARCHAR AS v FROM ${glob("contacts")} ORDER BY id`),
      ).toEqual([
        { t: "TIMESTAMP WITH TIME ZONE", v: "2024-05-01 12:00:00.123+00" },
        { t: "TIMESTAMP WITH TIME ZONE", v: "2024-05-01 12:00:00+00" },
      ]);
    });

    it("writes associations as a list of strings, keeping a value that is no list in _raw", async () => {
      await write([
        { id: "1", companies: ["11", "12"] },
        { id: "2", companies: [] },
        { id: "3", companies: null },
        { id: "4", companies: "11;12" },
      ]);
      expect((await schema()).companies?.c).toBe("LIST");
      expect(
        await query(`SELECT typeof(companies) AS t, companies AS v, _raw FROM ${glob("contacts")} ORDER BY id`),
      ).toEqual([
        { t: "VARCHAR[]", v: ["11", "12"], _raw: null },
        { t: "VARCHAR[]", v: [], _raw: null },
        { t: "VARCHAR[]", v: null, _raw: null },
        { t: "VARCHAR[]", v: null, _raw: JSON.stringify({ companies: "11;12" }) },
      ]);
    });

    it("writes integer ids as INT64, keeping a value that is not a safe integer in _raw unrounded", async () => {
      await write([
        { id: "1", properties_hs_object_id: 1 },
        { id: "2", properties_hs_object_id: 90_071_992_547 },
        { id: "3", properties_hs_object_id: 12.5 },
        { id: "4", properties_hs_object_id: "123456789012345678901" },
      ]);
      expect((await schema()).properties_hs_object_id?.type).toBe("INT64");
      expect(
        await query(
          `SELECT typeof(properties_hs_object_id) AS t, properties_hs_object_id::VARCHAR AS v, _raw FROM ${glob("contacts")} ORDER BY id`,
        ),
      ).toEqual([
        { t: "BIGINT", v: "1", _raw: null },
        { t: "BIGINT", v: "90071992547", _raw: null },
        { t: "BIGINT", v: null, _raw: JSON.stringify({ properties_hs_object_id: 12.5 }) },
        { t: "BIGINT", v: null, _raw: JSON.stringify({ properties_hs_object_id: "123456789012345678901" }) },
      ]);
    });
  });
});
