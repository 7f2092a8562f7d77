import { describe, expect, it } from "vitest";
import { extractRecords, nextCursor, pageParams } from "../../src/sources/paginators.js";
import type { Paginator } from "../../src/sources/stream-def.js";

const after: Paginator = { kind: "after", limit: 100 };
const v1: Paginator = { kind: "offset", limit: 250, limitParam: "limit", hasMore: "hasMore" };
const v1Count: Paginator = { kind: "offset", limit: 100, limitParam: "count", hasMore: "has-more" };
const post: Paginator = { kind: "post-offset", count: 500 };
const single: Paginator = { kind: "single" };

describe("pageParams", () => {
  it.each([
    ["after, first page", after, undefined, { query: { limit: 100, after: undefined }, body: {} }],
    ["after, next page", after, "MjA=", { query: { limit: 100, after: "MjA=" }, body: {} }],
    ["v1 offset, first page", v1, undefined, { query: { limit: 250, offset: undefined }, body: {} }],
    ["v1 offset, numeric cursor", v1, 1234, { query: { limit: 250, offset: "1234" }, body: {} }],
    ["v1 count param", v1Count, "abc", { query: { count: 100, offset: "abc" }, body: {} }],
    ["post-offset, first page", post, undefined, { query: {}, body: { count: 500, offset: 0 } }],
    ["post-offset, next page", post, 500, { query: {}, body: { count: 500, offset: 500 } }],
    ["single", single, undefined, { query: {}, body: {} }],
  ] as const)("%s", (_name, p, cursor, want) => {
    expect(pageParams(p, cursor)).toEqual(want);
  });
});

describe("nextCursor", () => {
  it.each([
    ["after: paging.next.after", after, { paging: { next: { after: "200" } } }, undefined, "200"],
    ["after: no paging ends", after, { results: [] }, "100", undefined],
    ["after: empty token ends", after, { paging: { next: { after: "" } } }, "100", undefined],
    ["offset: hasMore true continues", v1, { hasMore: true, offset: 250 }, undefined, 250],
    ["offset: opaque string offsets", v1, { hasMore: true, offset: "CK_Pu" }, "AB", "CK_Pu"],
    ["offset: hasMore false ends", v1, { hasMore: false, offset: 500 }, 250, undefined],
    ["offset: missing hasMore ends", v1, { offset: 500 }, 250, undefined],
    ["offset: hasMore without offset ends", v1, { hasMore: true }, 250, undefined],
    ["offset: an offset that does not move ends", v1, { hasMore: true, offset: 250 }, 250, undefined],
    ["offset: has-more spelling", v1Count, { "has-more": true, offset: 20 }, undefined, 20],
    ["offset: has-more ignores hasMore", v1Count, { hasMore: true, offset: 20 }, undefined, undefined],
    ["post-offset: hasMore continues", post, { lists: [], hasMore: true, offset: 500, total: 900 }, 0, 500],
    ["post-offset: hasMore false ends", post, { hasMore: false, offset: 900 }, 500, undefined],
    [
      "single never continues",
      single,
      { hasMore: true, offset: 1, paging: { next: { after: "x" } } },
      undefined,
      undefined,
    ],
  ] as const)("%s", (_name, p, body, sent, want) => {
    expect(nextCursor(p, body, sent)).toEqual(want);
  });
});

describe("extractRecords", () => {
  it.each([
    ["array at a path", { results: [{ id: 1 }, { id: 2 }] }, "results", [{ id: 1 }, { id: 2 }]],
    ["nested path", { a: { b: [{ id: 1 }] } }, "a.b", [{ id: 1 }]],
    ["missing path", { other: [] }, "results", []],
    ["non-objects dropped", { results: [{ id: 1 }, null, 3] }, "results", [{ id: 1 }]],
    ["the body is the array", [{ id: 1 }], "", [{ id: 1 }]],
    ["the body is the one record", { portalId: 7 }, "", [{ portalId: 7 }]],
    ["an object at a named path is not a record list", { results: { id: 1 } }, "results", []],
  ] as const)("%s", (_name, body, path, want) => {
    expect(extractRecords(body, path)).toEqual(want);
  });
});
