import { describe, expect, it } from "vitest";
import { afterPaging } from "../../../src/sources/kinds/after-paged.js";
import { offsetPaging } from "../../../src/sources/kinds/offset-paged.js";
import type { PageCursor, Paging } from "../../../src/sources/kinds/paging.js";
import { postOffsetPaging } from "../../../src/sources/kinds/post-offset.js";
import { extractRecords, recordsProblem } from "../../../src/sources/kinds/records.js";
import { singlePaging } from "../../../src/sources/kinds/single.js";

const after = afterPaging({ kind: "after-paged", path: "/x", recordsPath: "results", limit: 100 });
const v1 = offsetPaging({
  kind: "offset-paged",
  path: "/x",
  recordsPath: "results",
  limit: 250,
  limitParam: "limit",
  hasMore: "hasMore",
});
const v1Count = offsetPaging({
  kind: "offset-paged",
  path: "/x",
  recordsPath: "contacts",
  limit: 100,
  limitParam: "count",
  hasMore: "has-more",
});
const post = postOffsetPaging({ kind: "post-offset", method: "POST", path: "/x", recordsPath: "lists", count: 500 });
const single = singlePaging({ kind: "single", path: "/x", recordsPath: "results" });
const account = singlePaging({ kind: "single", path: "/x", recordsPath: "" });

describe("the request of each paged kind", () => {
  it.each([
    ["after, first page", after, undefined, { query: { limit: 100, after: undefined }, body: {} }],
    ["after, next page", after, "MjA=", { query: { limit: 100, after: "MjA=" }, body: {} }],
    ["v1 offset, first page", v1, undefined, { query: { limit: 250, offset: undefined }, body: {} }],
    ["v1 offset, numeric cursor", v1, 1234, { query: { limit: 250, offset: "1234" }, body: {} }],
    ["v1 count param", v1Count, "abc", { query: { count: 100, offset: "abc" }, body: {} }],
    ["post-offset, first page", post, undefined, { query: {}, body: { count: 500, offset: 0 } }],
    ["post-offset, next page", post, 500, { query: {}, body: { count: 500, offset: 500 } }],
    ["single", single, undefined, { query: {}, body: {} }],
  ] as [string, Paging, PageCursor | undefined, unknown][])("%s", (_name, paging, cursor, want) => {
    expect(paging.request(cursor)).toEqual(want);
  });
});

describe("the next cursor of each paged kind", () => {
  it.each([
    ["after: paging.next.after", after, { results: [], paging: { next: { after: "200" } } }, "200"],
    ["after: no paging ends", after, { results: [] }, undefined],
    ["offset: hasMore true continues", v1, { results: [], hasMore: true, offset: 250 }, 250],
    ["offset: opaque string offsets", v1, { results: [], hasMore: true, offset: "CK_Pu" }, "CK_Pu"],
    ["offset: hasMore false ends", v1, { results: [], hasMore: false, offset: 500 }, undefined],
    ["offset: missing hasMore ends", v1, { results: [], offset: 500 }, undefined],
    ["offset: has-more spelling", v1Count, { contacts: [], "has-more": true, offset: 20 }, 20],
    ["offset: has-more ignores hasMore", v1Count, { contacts: [], hasMore: true, offset: 20 }, undefined],
    ["post-offset: hasMore continues", post, { lists: [], hasMore: true, offset: 500, total: 900 }, 500],
    ["post-offset: hasMore false ends", post, { lists: [], hasMore: false, offset: 900 }, undefined],
    [
      "single never continues",
      single,
      { results: [], hasMore: true, offset: 1, paging: { next: { after: "x" } } },
      undefined,
    ],
  ] as [string, Paging, unknown, PageCursor | undefined][])("%s", (_name, paging, body, want) => {
    expect(paging.problem(body)).toBeUndefined();
    expect(paging.response(body).next).toEqual(want);
  });
});

describe("bodies a paged kind cannot read (retried as MALFORMED_RESPONSE)", () => {
  it.each([
    ["after: no results", after, { paging: { next: { after: "2" } } }],
    ["after: results not an array", after, { results: { id: 1 } }],
    ["after: an empty body", after, undefined],
    ["after: a next page without a token", after, { results: [], paging: { next: { link: "x" } } }],
    ["after: an empty next token", after, { results: [], paging: { next: { after: "" } } }],
    ["offset: no records", v1, { hasMore: false, offset: 0 }],
    ["offset: hasMore without an offset", v1, { results: [], hasMore: true }],
    ["post-offset: hasMore without an offset", post, { lists: [], hasMore: true }],
    ["single: a string body", single, "<html>"],
    ["single, body is the record: an array of nothing but text", account, "ok"],
  ] as [string, Paging, unknown][])("%s", (_name, paging, body) => {
    expect(paging.problem(body)).toMatch(/\w/);
  });
});

describe("extractRecords", () => {
  it.each([
    ["array at a path", { results: [{ id: 1 }, { id: 2 }] }, "results", [{ id: 1 }, { id: 2 }]],
    ["nested path", { a: { b: [{ id: 1 }] } }, "a.b", [{ id: 1 }]],
    ["missing path", { other: [] }, "results", []],
    ["non-objects dropped", { results: [{ id: 1 }, null, 3, [4]] }, "results", [{ id: 1 }]],
    ["the body is the array", [{ id: 1 }], "", [{ id: 1 }]],
    ["the body is the one record", { portalId: 7 }, "", [{ portalId: 7 }]],
    ["an object at a named path is not a record list", { results: { id: 1 } }, "results", []],
  ] as const)("%s", (_name, body, path, want) => {
    expect(extractRecords(body, path)).toEqual(want);
  });
});

describe("recordsProblem", () => {
  it.each([
    ["a list", { results: [] }, "results", undefined],
    ["missing", {}, "results", 'no "results" array in the response'],
    ["not an array", { results: "x" }, "results", '"results" in the response is not an array'],
    ["the one record", { portalId: 1 }, "", undefined],
    ["no body", undefined, "", "the response body is neither a record nor a list"],
  ] as const)("%s", (_name, body, path, want) => {
    expect(recordsProblem(body, path)).toBe(want);
  });
});
