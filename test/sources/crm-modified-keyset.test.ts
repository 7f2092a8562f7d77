import { describe, expect, it } from "vitest";
import { type SearchCursor, searchBody, stepSearch } from "../../src/sources/crm/modified-keyset.js";
import type { Row } from "../../src/sources/page.js";

const P = "hs_lastmodifieddate";
const rec = (id: string, ms: number): Row => ({ id, properties: { [P]: new Date(ms).toISOString() } });
const ids = (rows: Row[]) => rows.map((r) => r.id);

describe("stepSearch", () => {
  const range = (lo: number, seenAtLo: string[] = []): SearchCursor => ({ mode: "range", lo, seenAtLo });

  it.each([
    {
      name: "a short page ends the read",
      cursor: range(0),
      page: [rec("1", 10), rec("2", 20)],
      limit: 3,
      fresh: ["1", "2"],
      next: undefined,
    },
    {
      name: "a full page continues at its last millisecond, remembering the ids seen there",
      cursor: range(0),
      page: [rec("1", 10), rec("2", 20), rec("3", 20)],
      limit: 3,
      fresh: ["1", "2", "3"],
      next: range(20, ["2", "3"]),
    },
    {
      name: "records already emitted at the lower bound are skipped",
      cursor: range(20, ["2", "3"]),
      page: [rec("3", 20), rec("2", 20), rec("9", 20), rec("4", 30)],
      limit: 4,
      fresh: ["9", "4"],
      next: range(30, ["4"]),
    },
    {
      name: "a full page inside one millisecond switches to draining it by id",
      cursor: range(20, ["2"]),
      page: [rec("2", 20), rec("5", 20), rec("7", 20)],
      limit: 3,
      fresh: ["5", "7"],
      next: { mode: "drain", at: 20, afterId: "0" },
    },
    {
      name: "a full drain page continues after its last id",
      cursor: { mode: "drain", at: 20, afterId: "0" } as SearchCursor,
      page: [rec("5", 20), rec("7", 20), rec("100", 20)],
      limit: 3,
      fresh: ["5", "7", "100"],
      next: { mode: "drain", at: 20, afterId: "100" },
    },
    {
      name: "a short drain page resumes the range just after that millisecond",
      cursor: { mode: "drain", at: 20, afterId: "100" } as SearchCursor,
      page: [rec("1000", 20)],
      limit: 3,
      fresh: ["1000"],
      next: range(21),
    },
  ])("$name", ({ cursor, page, limit, fresh, next }) => {
    const step = stepSearch(cursor, page, P, limit);
    expect(ids(step.fresh)).toEqual(fresh);
    expect(step.next).toEqual(next);
  });

  it("continues when HubSpot says there is a next page, even on a page shorter than asked", () => {
    const step = stepSearch(range(0), [rec("1", 10), rec("2", 20)], P, 200, true);
    expect(step.next).toEqual(range(20, ["2"]));
  });

  it("falls back to offset paging when the server ignores the sort, instead of skipping records", () => {
    const unsorted = [rec("1", 30), rec("2", 10), rec("3", 20)];
    const step = stepSearch(range(5), unsorted, P, 3);
    expect(ids(step.fresh)).toEqual(["1", "2", "3"]);
    expect(step.next).toEqual({ mode: "offset", lo: 5, after: 3 });
    const next = stepSearch({ mode: "offset", lo: 5, after: 3 }, [rec("4", 1)], P, 3);
    expect(next.next).toBeUndefined();
    expect(searchBody({ mode: "offset", lo: 5, after: 3 }, P, [], 3)).toMatchObject({ after: "3" });
  });

  it("reports the newest modification of the page", () => {
    expect(stepSearch(range(0), [rec("1", 50), rec("2", 40)], P, 10).maxModified).toBe(50);
  });
});

describe("searchBody", () => {
  it("asks for the range sorted by modification time, with no offset", () => {
    const body = searchBody({ mode: "range", lo: 5, seenAtLo: [] }, P, ["a"], 200);
    expect(body).toEqual({
      filterGroups: [{ filters: [{ propertyName: P, operator: "GTE", value: "5" }] }],
      sorts: [{ propertyName: P, direction: "ASCENDING" }],
      properties: ["a"],
      limit: 200,
    });
    expect(body).not.toHaveProperty("after");
  });

  it("drains one millisecond by numeric id", () => {
    const body = searchBody({ mode: "drain", at: 7, afterId: "99" }, P, [], 200);
    expect(body.filterGroups[0]?.filters).toEqual([
      { propertyName: P, operator: "EQ", value: "7" },
      { propertyName: "hs_object_id", operator: "GT", value: "99" },
    ]);
    expect(body.sorts).toEqual([{ propertyName: "hs_object_id", direction: "ASCENDING" }]);
  });
});
