import type { TestScheduler } from "rxjs/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { type ChildSpec, childRows, splitChildren } from "../../src/operators/split-children.js";
import type { Page, Row } from "../../src/sources/page.js";
import { createTestScheduler } from "../helpers/marbles.js";

const spec = (table: string, path: string): ChildSpec => ({
  table,
  path,
  parentKey: "engagement.id",
  parentKeyAs: "engagement_id",
});

const email: Row = {
  engagement: { id: 42, type: "EMAIL" },
  metadata: {
    subject: "Hi",
    to: [{ email: "a@x.io" }, { email: "b@x.io", firstName: "B" }],
    from: { email: "me@x.io" },
    tags: ["x", 3, null],
  },
};

describe("childRows", () => {
  it.each<[string, Row, ChildSpec, Row[]]>([
    [
      "turns an object into one row without _index, leaving nested arrays as they are",
      email,
      spec("engagements_metadata", "metadata"),
      [
        {
          engagement_id: 42,
          subject: "Hi",
          to: [{ email: "a@x.io" }, { email: "b@x.io", firstName: "B" }],
          from: { email: "me@x.io" },
          tags: ["x", 3, null],
        },
      ],
    ],
    [
      "turns each array element into a row with its _index",
      email,
      spec("engagements_metadata_to", "metadata.to"),
      [
        { engagement_id: 42, _index: 0, email: "a@x.io" },
        { engagement_id: 42, _index: 1, email: "b@x.io", firstName: "B" },
      ],
    ],
    [
      "wraps primitive elements in a value column",
      email,
      spec("engagements_metadata_tags", "metadata.tags"),
      [
        { engagement_id: 42, _index: 0, value: "x" },
        { engagement_id: 42, _index: 1, value: 3 },
        { engagement_id: 42, _index: 2, value: null },
      ],
    ],
    ["yields nothing for a missing path", email, spec("engagements_metadata_cc", "metadata.cc"), []],
    [
      "yields nothing for an empty array",
      { engagement: { id: 1 }, metadata: { to: [] } },
      spec("t", "metadata.to"),
      [],
    ],
    ["yields nothing for a scalar", email, spec("engagements_metadata_subject", "metadata.subject"), []],
    ["yields nothing through null", { metadata: null }, spec("t", "metadata.to"), []],
    [
      "writes null when the parent id is missing",
      { metadata: { from: { email: "m" } } },
      spec("t", "metadata.from"),
      [{ engagement_id: null, email: "m" }],
    ],
    [
      "reads a top-level parent key",
      { id: "7", tags: ["a"] },
      { table: "t", path: "tags", parentKey: "id", parentKeyAs: "t_id" },
      [{ t_id: "7", _index: 0, value: "a" }],
    ],
  ])("%s", (_name, row, childSpec, expected) => {
    expect(childRows(row, childSpec)).toEqual(expected);
  });
});

describe("splitChildren", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = createTestScheduler();
  });

  it("appends child rows per table, keeps records and existing children", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const other = { engagement: { id: 43 }, metadata: { to: [{ email: "c@x.io" }] } };
      const source = cold<Page>("-a|", {
        a: {
          stream: "engagements",
          records: [email, other],
          children: { engagements_metadata_to: [{ engagement_id: 1, _index: 0, email: "old" }], keep: [{ k: 1 }] },
          state: { offset: 2 },
        },
      });
      const result = source.pipe(
        splitChildren([spec("engagements_metadata_to", "metadata.to"), spec("engagements_metadata_cc", "metadata.cc")]),
      );
      expectObservable(result).toBe("-a|", {
        a: {
          stream: "engagements",
          records: [email, other],
          children: {
            engagements_metadata_to: [
              { engagement_id: 1, _index: 0, email: "old" },
              { engagement_id: 42, _index: 0, email: "a@x.io" },
              { engagement_id: 42, _index: 1, email: "b@x.io", firstName: "B" },
              { engagement_id: 43, _index: 0, email: "c@x.io" },
            ],
            engagements_metadata_cc: [],
            keep: [{ k: 1 }],
          },
          state: { offset: 2 },
        },
      });
      expectSubscriptions(source.subscriptions).toBe("^-!");
    });
  });

  it("does not modify the input page or its records", () => {
    const existing = [{ k: 1 }];
    const page: Page = { stream: "s", records: [{ id: 1, tags: ["a"] }], children: { t: existing } };
    const before = structuredClone(page);
    const out: Page[] = [];
    scheduler.run(({ cold }) => {
      cold("a|", { a: page })
        .pipe(splitChildren([{ table: "t", path: "tags", parentKey: "id", parentKeyAs: "p" }]))
        .subscribe((p) => out.push(p));
    });
    expect(page).toEqual(before);
    expect(out[0]?.children?.t).toEqual([{ k: 1 }, { p: 1, _index: 0, value: "a" }]);
    expect(out[0]?.records[0]).toBe(page.records[0]);
  });
});
