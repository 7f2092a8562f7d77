import { describe, expect, it } from "vitest";
import { mergeChunks, resultsArray } from "../../../src/sources/crm/list-page.js";
import { parseRangePage, rangeSearchRequest } from "../../../src/sources/crm/search-range.js";
import {
  advanceArchiveCursor,
  archivedTombstones,
  mergedTombstones,
  tombstone,
} from "../../../src/sources/crm/tombstones.js";
import { readsEverything } from "../../../src/sources/kinds/crm-object.js";

const rec = (id: number | string, extra: Record<string, unknown> = {}) => ({ id: String(id), ...extra });
const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => rec(from + i));

describe("keyset search over an id range", () => {
  it("asks for the first page of [from, to) sorted by id, every property in the body", () => {
    const spec = rangeSearchRequest("contacts", 500, 900, ["email", "firstname"]);
    expect(spec).toMatchObject({
      method: "POST",
      path: "/crm/v3/objects/contacts/search",
      budget: "search",
      json: {
        filterGroups: [
          {
            filters: [
              { propertyName: "hs_object_id", operator: "GTE", value: "500" },
              { propertyName: "hs_object_id", operator: "LT", value: "900" },
            ],
          },
        ],
        sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }],
        properties: ["email", "firstname"],
        limit: 200,
      },
    });
    expect(JSON.stringify(spec.json)).not.toContain('"after"');
  });

  it("leaves the upper bound out at the top of the id line", () => {
    const spec = rangeSearchRequest("deals", 7, Number.POSITIVE_INFINITY, []);
    expect((spec.json as { filterGroups: { filters: unknown[] }[] }).filterGroups[0]?.filters).toHaveLength(1);
  });

  it.each([
    // body, from, to → records kept, more, sorted
    ["a full page", { results: page(10, 200) }, 0, 1e9, 200, true, true],
    ["a short last page", { results: page(10, 50) }, 0, 1e9, 50, false, true],
    [
      "a short page HubSpot says is not the last",
      { results: page(10, 50), paging: { next: { after: "50" } } },
      0,
      1e9,
      50,
      true,
      true,
    ],
    ["ids past a bound that shrank meanwhile", { results: page(10, 200) }, 0, 100, 90, false, true],
    ["an empty page", { results: [], paging: { next: { after: "0" } } }, 0, 1e9, 0, false, true],
    ["an unsorted page", { results: [rec(5), rec(3)] }, 0, 1e9, 2, false, false],
  ])("reads %s", (_name, body, from, to, kept, more, sorted) => {
    const p = parseRangePage(body, from, to);
    expect([p.records.length, p.more, p.sorted]).toEqual([kept, more, sorted]);
    expect(p.ids).toEqual(p.records.map((r) => Number(r.id)));
  });
});

describe("list pages", () => {
  it("merges the property chunks of one page by id", () => {
    const merged = mergeChunks([
      {
        results: [rec(1, { properties: { a: "1" } }), rec(2, { properties: { a: "2" } })],
        paging: { next: { after: "3" } },
      },
      { results: [rec(2, { properties: { b: "y" } }), rec(1, { properties: { b: "x" } })] },
    ]);
    expect(merged).toEqual({
      records: [rec(1, { properties: { a: "1", b: "x" } }), rec(2, { properties: { a: "2", b: "y" } })],
      after: "3",
    });
  });

  it.each([
    [{ results: [] }, undefined],
    [{ results: "x" }, "`results` is not an array"],
    [{ total: 3 }, "`results` is missing"],
    ["<html>", "the body is not a JSON object"],
  ])("validates %j", (body, problem) => {
    expect(resultsArray(body)).toBe(problem);
  });
});

describe("tombstones", () => {
  const at = (iso: string) => Date.parse(iso);
  const bin = [
    rec(1, { archivedAt: "2026-11-01T00:00:00.000Z" }),
    rec(2, { archivedAt: "2026-11-02T00:00:00.000Z" }),
    rec(3, { archivedAt: "2026-11-02T00:00:00.000Z" }),
    rec(4, { archivedAt: "2026-11-03T00:00:00.000Z" }),
  ];

  it("is the Airbyte CDC shape: id, archived, archivedAt and _ab_cdc_deleted_at", () => {
    expect(tombstone("9", at("2026-11-02T10:00:00.000Z"))).toEqual({
      id: "9",
      archived: true,
      archivedAt: "2026-11-02T10:00:00.000Z",
      _ab_cdc_deleted_at: "2026-11-02T10:00:00.000Z",
    });
  });

  it.each([
    ["no cursor: everything since the floor", {}, at("2026-11-02T00:00:00.000Z"), ["2", "3", "4"]],
    [
      "after the cursor, and its millisecond's undelivered ids",
      { archivedAt: "2026-11-02T00:00:00.000Z", archivedIds: ["2"] },
      at("2026-11-02T00:00:00.000Z"),
      ["3", "4"],
    ],
    [
      "the floor (cursor − lookback) re-reads",
      { archivedAt: "2026-11-03T00:00:00.000Z", archivedIds: ["4"] },
      at("2026-11-01T00:00:00.000Z"),
      ["1", "2", "3"],
    ],
  ])("delivers %s", (_name, cursor, floor, want) => {
    expect(archivedTombstones(bin, cursor, floor).map((t) => t.id)).toEqual(want);
  });

  it("advances the cursor to the newest delete and the ids sharing its millisecond", () => {
    const delivered = archivedTombstones(bin.slice(0, 3), {}, 0);
    expect(advanceArchiveCursor({}, delivered)).toEqual({
      archivedAt: "2026-11-02T00:00:00.000Z",
      archivedIds: ["2", "3"],
    });
  });

  it("tombstones each id merged away once, never the survivor itself", () => {
    const delivered = new Set(["7"]);
    const survivor = rec(100, {
      updatedAt: "2026-11-05T00:00:00.000Z",
      properties: { hs_merged_object_ids: "7;8;100;x" },
    });
    expect(mergedTombstones([survivor], delivered).map((t) => t.id)).toEqual(["8"]);
    expect(mergedTombstones([survivor], delivered)).toEqual([]);
    expect([...delivered].sort()).toEqual(["7", "8"]);
  });

  it("remembers without a tombstone the merges older than a first read's snapshot", () => {
    const delivered = new Set<string>();
    const old = rec(5, { updatedAt: "2026-10-01T00:00:00.000Z", properties: { hs_merged_object_ids: "3" } });
    expect(mergedTombstones([old], delivered, at("2026-11-01T00:00:00.000Z"))).toEqual([]);
    expect(delivered.has("3")).toBe(true);
  });
});

describe("reading everything or the changed window", () => {
  const pro = { list: 1_900, search: 1_000 };
  it.each([
    // all, window → read everything through both budgets?
    [80_000, 80_000, true], // a first sync: both budgets beat search alone
    [200_000, 2_000, false], // 1 % changed: search the window
    [100_000, 40_000, true], // 40 %: 34 s through both budgets, 40 s through search
    [100_000, 30_000, false],
  ])("%i records, %i changed → everything: %s", (all, window, everything) => {
    expect(readsEverything({ all, window }, pro)).toBe(everything);
  });
});
