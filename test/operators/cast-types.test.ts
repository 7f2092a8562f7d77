import { from } from "rxjs";
import type { TestScheduler } from "rxjs/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { type CastResult, castTypes, castValue, type PropertyType } from "../../src/operators/cast-types.js";
import type { Page } from "../../src/sources/page.js";
import { createTestScheduler } from "../helpers/marbles.js";

const ok = (value: unknown): CastResult => ({ ok: true, value });
const FAIL: CastResult = { ok: false };
const MS = 1705521304281; // 2024-01-17T19:55:04.281Z

describe("castValue", () => {
  it.each<[PropertyType, unknown, CastResult]>([
    // number
    ["number", "123", ok(123)],
    ["number", "67340.0", ok(67340)],
    ["number", "1,234.5", ok(1234.5)],
    ["number", "123,123.456", ok(123123.456)],
    ["number", "-0.5", ok(-0.5)],
    ["number", " 42 ", ok(42)],
    ["number", "1e3", ok(1000)],
    ["number", 7.5, ok(7.5)],
    ["number", "", ok(null)],
    ["number", null, ok(null)],
    ["number", "12;34", FAIL],
    ["number", "12345;6789;1525", FAIL],
    ["number", "abc123", FAIL],
    ["number", "NaN", FAIL],
    ["number", "Infinity", FAIL],
    ["number", "0x10", FAIL],
    ["number", true, FAIL],
    ["number", Number.NaN, FAIL],
    // bool
    ["bool", "true", ok(true)],
    ["bool", "FALSE", ok(false)],
    ["bool", "True", ok(true)],
    ["bool", false, ok(false)],
    ["bool", "", ok(null)],
    ["bool", null, ok(null)],
    ["bool", "abc", FAIL],
    ["bool", "1", FAIL],
    ["boolean", "false", ok(false)],
    // datetime
    ["datetime", "2024-01-17T19:55:04.281Z", ok("2024-01-17T19:55:04.281Z")],
    ["datetime", "2024-01-17T19:55:04Z", ok("2024-01-17T19:55:04.000Z")],
    ["datetime", "2024-01-17T19:55:04.281000Z", ok("2024-01-17T19:55:04.281Z")],
    ["datetime", "2024-01-17T21:55:04.281+02:00", ok("2024-01-17T19:55:04.281Z")],
    ["datetime", "2024-01-17", ok("2024-01-17T00:00:00.000Z")],
    ["datetime", MS, ok("2024-01-17T19:55:04.281Z")],
    ["datetime", String(MS), ok("2024-01-17T19:55:04.281Z")],
    ["datetime", "1705521304281.0", ok("2024-01-17T19:55:04.281Z")],
    ["datetime", "", ok(null)],
    ["datetime", null, ok(null)],
    ["datetime", "yesterday", FAIL],
    ["datetime", "2024-13-45", FAIL],
    ["datetime", 1e20, FAIL],
    ["datetime", true, FAIL],
    ["date-time", "2024-01-17", ok("2024-01-17T00:00:00.000Z")],
    // date
    ["date", "2024-01-17", ok("2024-01-17")],
    ["date", "2024-01-17T19:55:04.281Z", ok("2024-01-17")],
    ["date", "2024-01-17T23:00:00-05:00", ok("2024-01-18")],
    ["date", MS, ok("2024-01-17")],
    ["date", String(MS), ok("2024-01-17")],
    ["date", "", ok(null)],
    ["date", null, ok(null)],
    ["date", "2024-13-45", FAIL],
    ["date", "soon", FAIL],
    // text types
    ["string", "", ok("")],
    ["string", "x", ok("x")],
    ["string", 5, ok("5")],
    ["string", null, ok(null)],
    ["enumeration", "a;b", ok("a;b")],
    ["enumeration", true, ok("true")],
    ["phone_number", 15551234567, ok("15551234567")],
    ["phone_number", "", ok("")],
    ["json", { a: 1 }, ok('{"a":1}')],
    ["json", '{"a":1}', ok('{"a":1}')],
    // unknown types pass through
    ["object_coordinates", "1,2", ok("1,2")],
    ["mystery", "", ok("")],
    ["mystery", { a: 1 }, ok({ a: 1 })],
  ])("casts %s %j → %j", (type, value, expected) => {
    expect(castValue(value, type)).toEqual(expected);
  });
});

describe("castTypes", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  const types = { amount: "number", closed: "bool", closedate: "datetime", name: "string" } as const;

  it("casts nested and unnested copies, keeps uncastable originals and other fields", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Page>("-a|", {
        a: {
          stream: "deals",
          records: [
            {
              id: "1",
              properties: { amount: "1,5", closed: "TRUE", closedate: "", name: "", other: "7" },
              properties_amount: "1,5",
              properties_closed: "TRUE",
              properties_closedate: "",
              properties_name: "",
              properties_other: "7",
            },
            { id: "2", properties: { amount: "12;34" }, properties_amount: "12;34", amount: "9" },
          ],
          state: { after: "2" },
        },
      });
      expectObservable(source.pipe(castTypes(types))).toBe("-a|", {
        a: {
          stream: "deals",
          records: [
            {
              id: "1",
              properties: { amount: 15, closed: true, closedate: null, name: "", other: "7" },
              properties_amount: 15,
              properties_closed: true,
              properties_closedate: null,
              properties_name: "",
              properties_other: "7",
            },
            { id: "2", properties: { amount: "12;34" }, properties_amount: "12;34", amount: "9" },
          ],
          state: { after: "2" },
        },
      });
      expectSubscriptions(source.subscriptions).toBe("^-!");
    });
  });

  it("casts an unnested copy on its own when it no longer holds the nested value", () => {
    const out: Page[] = [];
    const row = {
      id: "1",
      properties: { amount: "1,5", closed: "x", closedate: "2024-01-17" },
      properties_amount: "2,5",
      properties_closed: "x",
      properties_closedate: "2024-01-17",
    };
    const early = { properties_amount: "7", properties: { amount: "8" } };
    const reports: string[] = [];
    from([{ stream: "deals", records: [row, row, early] }])
      .pipe(castTypes(types, { onUncastable: (p) => reports.push(p) }))
      .subscribe((p) => out.push(p));
    const cast = {
      id: "1",
      properties: { amount: 15, closed: "x", closedate: "2024-01-17T00:00:00.000Z" },
      properties_amount: 25,
      properties_closed: "x",
      properties_closedate: "2024-01-17T00:00:00.000Z",
    };
    expect(out[0]?.records).toEqual([cast, cast, { properties_amount: 7, properties: { amount: 8 } }]);
    expect(reports).toEqual(["closed"]);
  });

  it("checks the month and day of a date without a time", () => {
    expect(castValue("2024-02-30", "date")).toEqual(ok("2024-02-30"));
    expect(castValue("2024-12-31", "date")).toEqual(ok("2024-12-31"));
    for (const bad of ["2024-00-10", "2024-13-01", "2024-01-00", "2024-01-32"]) {
      expect(castValue(bad, "date")).toEqual(FAIL);
    }
  });

  it("reports an uncastable property once per operator instance", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const reports: Array<[string, unknown]> = [];
      const bad = (v: string): Page => ({
        stream: "deals",
        records: [{ properties: { amount: v, closed: "maybe" }, properties_amount: v }],
      });
      const source = cold("ab|", { a: bad("x"), b: bad("y") });
      const result = source.pipe(castTypes(types, { onUncastable: (p, v) => reports.push([p, v]) }));
      expectObservable(result).toBe("ab|", { a: bad("x"), b: bad("y") });
      scheduler.flush();
      expect(reports).toEqual([
        ["amount", "x"],
        ["closed", "maybe"],
      ]);
    });
  });

  it("does not mutate its input", () => {
    const record = { properties: { amount: "3" }, properties_amount: "3" };
    const out: Page[] = [];
    from([{ stream: "deals", records: [record] }])
      .pipe(castTypes(types))
      .subscribe((p) => out.push(p));
    expect(record).toEqual({ properties: { amount: "3" }, properties_amount: "3" });
    expect(out[0]?.records[0]).toEqual({ properties: { amount: 3 }, properties_amount: 3 });
  });

  it("honours a custom field and prefix", () => {
    const out: Page[] = [];
    from([{ stream: "x", records: [{ meta: { n: "1" }, meta_n: "2" }] }])
      .pipe(castTypes({ n: "number" }, { field: "meta", prefix: "meta_" }))
      .subscribe((p) => out.push(p));
    expect(out[0]?.records[0]).toEqual({ meta: { n: 1 }, meta_n: 2 });
  });

  it("casts the same way through compiled layouts and past the layout cache", () => {
    const rows = [
      JSON.parse('{"__proto__": 1, "properties": {"__proto__": "x", "n": "1,000"}, "properties_n": "2"}'),
      { properties: null, properties_n: "3" },
      ...Array.from({ length: 80 }, (_, i) => ({
        [`k${i}`]: i,
        properties: { n: String(i) },
        properties_n: `${i}.0`,
      })),
      { properties: null, properties_n: "4" },
      JSON.parse('{"properties": {"n": "5"}, "__proto__": {"polluted": true}}'),
    ];
    const out: Page[] = [];
    from([{ stream: "s", records: rows }] as Page[])
      .pipe(castTypes({ n: "number" }))
      .subscribe((p) => out.push(p));
    const records = out[0]?.records ?? [];
    expect(records[0]).toEqual(
      JSON.parse('{"__proto__": 1, "properties": {"__proto__": "x", "n": 1000}, "properties_n": 2}'),
    );
    expect(Object.getPrototypeOf(records[0])).toBe(Object.prototype);
    expect(records[1]).toEqual({ properties: null, properties_n: 3 });
    expect(records.slice(2, 82)).toEqual(
      Array.from({ length: 80 }, (_, i) => ({ [`k${i}`]: i, properties: { n: i }, properties_n: i })),
    );
    expect(records[82]).toEqual({ properties: null, properties_n: 4 });
    expect(Object.keys(records[83] ?? {})).toEqual(["properties", "__proto__"]);
    expect((records[83] as { polluted?: boolean }).polluted).toBeUndefined();
    expect(records.slice(2, 82).every((r) => Object.getPrototypeOf(r) === Object.prototype)).toBe(true);
  });
});
