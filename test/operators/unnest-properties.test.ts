import type { TestScheduler } from "rxjs/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { unnestProperties, unnestRecord } from "../../src/operators/unnest-properties.js";
import type { Page, Row } from "../../src/sources/page.js";
import { createTestScheduler } from "../helpers/marbles.js";

describe("unnestRecord", () => {
  it.each<[string, Row, Row, Parameters<typeof unnestRecord>[1]?]>([
    [
      "copies every property to a prefixed top-level field and keeps properties",
      { id: "1", properties: { email: "a@b.c", n: null } },
      { id: "1", properties: { email: "a@b.c", n: null }, properties_email: "a@b.c", properties_n: null },
    ],
    ["adds nothing for empty properties", { id: "1", properties: {} }, { id: "1", properties: {} }],
    ["leaves a row without properties as is", { id: "1" }, { id: "1" }],
    ["leaves null properties as is", { id: "1", properties: null }, { id: "1", properties: null }],
    ["leaves array properties as is", { id: "1", properties: [1] }, { id: "1", properties: [1] }],
    [
      "overwrites a stale top-level copy",
      { properties: { a: 2 }, properties_a: 1 },
      { properties: { a: 2 }, properties_a: 2 },
    ],
    [
      "honours field and prefix",
      { id: 7, metadata: { to: "x" } },
      { id: 7, metadata: { to: "x" }, metadata_to: "x" },
      { field: "metadata", prefix: "metadata_" },
    ],
  ])("%s", (_name, input, expected, options) => {
    const before = structuredClone(input);
    expect(unnestRecord(input, options)).toEqual(expected);
    expect(input).toEqual(before);
  });

  it("shares nested values rather than cloning them", () => {
    const nested = { deep: [1, 2] };
    const out = unnestRecord({ properties: { nested } });
    expect(out.properties_nested).toBe(nested);
  });
});

describe("unnestProperties", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it("unnests every record of every page and keeps the page's other fields", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b|", {
        a: { stream: "contacts", records: [{ id: "1", properties: { x: "1" } }], state: { after: "1" } },
        b: { stream: "contacts", records: [] },
      });
      expectObservable(source.pipe(unnestProperties())).toBe("-a-b|", {
        a: {
          stream: "contacts",
          records: [{ id: "1", properties: { x: "1" }, properties_x: "1" }],
          state: { after: "1" },
        },
        b: { stream: "contacts", records: [] },
      });
      expectSubscriptions(source.subscriptions).toBe("^---!");
    });
  });

  it("propagates errors", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<Page>("-#", undefined, new Error("boom"));
      expectObservable(source.pipe(unnestProperties())).toBe("-#", undefined, new Error("boom"));
    });
  });

  it("builds the same rows through its compiled layouts as unnestRecord, for every layout", () => {
    const rows: Row[] = [
      JSON.parse('{"__proto__": {"x": 1}, "id": "p", "properties": {"__proto__": 2, "1": "one", "a": 3}}'),
      { id: "1", properties_a: "stale", properties: { a: 1, b: null } },
      { id: "2", properties: null },
      { id: "3", properties: [] },
      { id: "4" },
      // more layouts than the cache holds, so the generic path serves the rest
      ...Array.from({ length: 80 }, (_, i): Row => ({ id: i, properties: { [`p${i}`]: i, shared: "s" } })),
      { id: "1", properties_a: "stale", properties: { a: 9, b: 8 } },
    ];
    const out: Page[] = [];
    scheduler.run(({ cold }) => {
      cold<Page>("a|", { a: { stream: "s", records: rows } })
        .pipe(unnestProperties())
        .subscribe((p) => out.push(p));
    });
    const records = out[0]?.records ?? [];
    expect(records).toEqual(rows.map((row) => unnestRecord(row)));
    expect(records.map((r) => Object.keys(r))).toEqual(rows.map((row) => Object.keys(unnestRecord(row))));
    expect(Object.getPrototypeOf(records[0])).toBe(Object.prototype);
    expect(records[0]?.properties___proto__).toBe(2);
    expect(Object.getPrototypeOf(unnestRecord(rows[0] as Row))).toBe(Object.prototype);
  });
});
