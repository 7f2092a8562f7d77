import { describe, expect, it } from "vitest";
import { sinceBound, targetOf } from "../../../src/sources/kinds/paged.js";
import type { PagedSource } from "../../../src/sources/stream-def.js";
import type { RequestSpec } from "../../../src/sources/transport.js";
import {
  fakeTransport,
  type Handler,
  httpError,
  propertiesOf,
  readAll,
  readOptions,
  streamOf,
} from "../../helpers/fake-transport.js";

describe("targetOf", () => {
  const src: PagedSource = {
    kind: "after-paged",
    path: "/lists/{listId}/x",
    query: { a: "1" },
    recordsPath: "r",
    limit: 5,
  };

  it.each([
    ["fills a placeholder", { params: { listId: "a b" } }, "/lists/a%20b/x", { a: "1" }],
    [
      "a param without a placeholder goes to the query",
      { params: { objectId: "7" } },
      "/lists/{listId}/x",
      { a: "1", objectId: "7" },
    ],
    ["window bounds join the query", { query: { start: 1 } }, "/lists/{listId}/x", { a: "1", start: 1 }],
  ] as const)("%s", (_name, sub, path, query) => {
    expect(targetOf(src, sub, 0, undefined)).toEqual({ method: "GET", path, query });
  });

  it("adds the since bound and POSTs body-paged searches", () => {
    const since: PagedSource = { ...src, since: { param: "updatedAfter", format: "iso" } };
    expect(targetOf(since, {}, 0, 1_000).query.updatedAfter).toBe("1970-01-01T00:00:01.000Z");
    const post: PagedSource = { kind: "post-offset", method: "POST", path: "/s", recordsPath: "lists", count: 9 };
    expect(targetOf(post, {}, 0, undefined)).toEqual({ method: "POST", path: "/s", query: {}, body: {} });
  });
});

describe("sinceBound", () => {
  it.each([
    ["the cursor", { param: "p", format: "ms" }, 10, 50, 50],
    ["start_date when later than the cursor", { param: "p", format: "ms" }, 60, 50, 60],
    ["start_date without a cursor", { param: "p", format: "ms" }, 10, undefined, 10],
    ["one ms earlier for an exclusive bound", { param: "p", format: "ms", exclusive: true }, 10, 50, 49],
    ["ISO on the wire", { param: "p", format: "iso" }, 0, 1_000, "1970-01-01T00:00:01.000Z"],
  ] as const)("%s", (_name, spec, startDate, cursor, want) => {
    expect(sinceBound(spec, startDate, cursor)).toBe(want);
  });
});

describe("paged reads", () => {
  it("asks each page once per property chunk with the same cursor and concatenates the records", async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `property_number_${i}`);
    const log: RequestSpec[] = [];
    const transport = fakeTransport((spec) => {
      const page = spec.query?.after ? 2 : 1;
      const results = [{ id: `${page}`, chunk: String(spec.query?.propertiesWithHistory).split(",")[0] }];
      return page === 1 ? { results, paging: { next: { after: "x" } } } : { results };
    }, log);
    const src: PagedSource = {
      kind: "after-paged",
      path: "/crm/v3/objects/contacts",
      recordsPath: "results",
      limit: 50,
      propertyChunks: { objectType: "contacts", param: "propertiesWithHistory" },
    };
    const pages = await readAll(streamOf(src), readOptions(transport, { properties: propertiesOf(names) }));
    const chunks = log.length / 2;
    expect(chunks).toBeGreaterThan(1);
    expect(log.slice(0, chunks).every((s) => s.query?.after === undefined)).toBe(true);
    expect(log.slice(chunks).every((s) => s.query?.after === "x")).toBe(true);
    expect(log.slice(0, chunks).flatMap((s) => s.query?.propertiesWithHistory as string[])).toEqual(names);
    expect(pages.map((p) => p.records.length)).toEqual([chunks, chunks]);
  });

  describe("detail enrichment", () => {
    const src: PagedSource = {
      kind: "single",
      path: "/list",
      recordsPath: "items",
      detail: { path: "/item/{id}", idField: "id", param: "id", concurrency: 3 },
    };
    const handler: Handler = (spec) => {
      if (spec.path === "/list") return { items: [1, 2, 3, 4, 5].map((id) => ({ id, t: id * 10 })) };
      const id = Number(spec.path.split("/").at(-1));
      if (id === 4) throw httpError(404);
      if (id === 6) throw httpError(403);
      return { id, name: `item ${id}` };
    };

    it("merges each detail into its record, in listing order; a 404 keeps the summary", async () => {
      const rows = (await readAll(streamOf(src), readOptions(fakeTransport(handler)))).flatMap((p) => p.records);
      expect(rows).toEqual([
        { id: 1, t: 10, name: "item 1" },
        { id: 2, t: 20, name: "item 2" },
        { id: 3, t: 30, name: "item 3" },
        { id: 4, t: 40 },
        { id: 5, t: 50, name: "item 5" },
      ]);
    });

    it("asks no detail for records older than the client-side cursor", async () => {
      const log: RequestSpec[] = [];
      const def = streamOf(src, { cursorField: "t", incremental: "client" });
      await readAll(def, readOptions(fakeTransport(handler, log), { syncMode: "incremental", state: { t: 30 } }));
      expect(log.filter((s) => s.path.startsWith("/item/")).map((s) => s.path)).toEqual([
        "/item/3",
        "/item/4",
        "/item/5",
      ]);
    });

    it("propagates a detail's permission error", async () => {
      const transport = fakeTransport((spec) =>
        spec.path === "/item/2" ? handler({ ...spec, path: "/item/6" }) : handler(spec),
      );
      await expect(readAll(streamOf(src), readOptions(transport))).rejects.toMatchObject({ kind: "permission" });
    });
  });

  describe("a server-side since bound (marketing emails)", () => {
    const src: PagedSource = {
      kind: "after-paged",
      path: "/emails",
      recordsPath: "results",
      limit: 2,
      since: { param: "updatedAfter", format: "iso" },
    };
    const def = streamOf(src, { cursorField: "updatedAt", incremental: "server" });
    const handler: Handler = () => ({
      results: [
        { id: "1", updatedAt: "2024-01-03T00:00:00.000Z" },
        { id: "2", updatedAt: "2024-01-02T00:00:00.000Z" },
      ],
    });

    it("sends the saved cursor and checkpoints the newest cursor seen once the read is complete", async () => {
      const log: RequestSpec[] = [];
      const state = { updatedAt: "2024-01-01T00:00:00.000Z" };
      const pages = await readAll(def, readOptions(fakeTransport(handler, log), { syncMode: "incremental", state }));
      expect(log[0]?.query?.updatedAfter).toBe("2024-01-01T00:00:00.000Z");
      expect(pages.map((p) => p.state)).toEqual([state, { updatedAt: "2024-01-03T00:00:00.000Z" }]);
    });

    it("sends start_date in a full refresh, whatever the saved state", async () => {
      const log: RequestSpec[] = [];
      const opts = { startDate: 86_400_000, state: { updatedAt: "2024-01-01T00:00:00.000Z" } };
      await readAll(def, readOptions(fakeTransport(handler, log), opts));
      expect(log[0]?.query?.updatedAfter).toBe("1970-01-02T00:00:00.000Z");
    });
  });

  describe("bodies without their records", () => {
    const src: PagedSource = { kind: "after-paged", path: "/x", recordsPath: "results", limit: 2 };
    const second =
      (body: unknown): Handler =>
      (spec) =>
        spec.query?.after ? body : { results: [{ id: "1" }, { id: "2" }], paging: { next: { after: "2" } } };

    it.each([
      ["no results", { paging: {} }],
      ["results not an array", { results: { id: "3" } }],
      ["an empty body", undefined],
    ])("fail the stream as MALFORMED_RESPONSE instead of ending it: %s", async (_name, body) => {
      await expect(readAll(streamOf(src), readOptions(fakeTransport(second(body))))).rejects.toMatchObject({
        code: "MALFORMED_RESPONSE",
        kind: "transient",
      });
    });
  });
});
