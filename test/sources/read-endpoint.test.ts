import { concatMap, defer, lastValueFrom, of, throwError, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/errors.js";
import type { Page } from "../../src/sources/page.js";
import type { PropertyCatalog } from "../../src/sources/properties.js";
import { alwaysReady, pageGate } from "../../src/sources/pull.js";
import { readEndpoint } from "../../src/sources/read-endpoint.js";
import type { ReadOptions } from "../../src/sources/read-stream.js";
import type { EndpointSource, StreamDef } from "../../src/sources/stream-def.js";
import type { RequestSpec, Transport } from "../../src/sources/transport.js";

type Handler = (spec: RequestSpec) => unknown;

/** A transport answering from a handler; a thrown HttpError becomes the call's error. */
function fakeTransport(handler: Handler, log: RequestSpec[]): Transport {
  return {
    request: (spec: RequestSpec) =>
      defer(() => {
        log.push(spec);
        try {
          return of({ status: 200, body: handler(spec) });
        } catch (err) {
          return throwError(() => err);
        }
      }),
  } as unknown as Transport;
}

const httpError = (status: number, body: unknown = {}) =>
  new HttpError(`HTTP ${status}`, `HTTP_${status}`, status === 403 ? "permission" : "api", {
    status,
    route: "GET /x",
    body,
  });

function options(transport: Transport, extra: Partial<ReadOptions> = {}): ReadOptions {
  return {
    transport,
    properties: { of: () => of([]) } as unknown as PropertyCatalog,
    syncMode: "full_refresh",
    startDate: 0,
    lookbackMs: 0,
    warn: () => {},
    ...extra,
  };
}

const def = (source: EndpointSource, extra: Partial<StreamDef> = {}): StreamDef => ({
  name: "s",
  source,
  primaryKey: [["id"]],
  scopes: [],
  ...extra,
});

const read = (d: StreamDef, o: ReadOptions) =>
  lastValueFrom(readEndpoint(d, d.source as EndpointSource, o, alwaysReady).pipe(toArray()));

/** Parent `/parents` (after-paged, 2 per page) → child `/kids/{pid}` (after-paged, 2 pages of 2 each). */
const PARENTS = ["p1", "p2", "p3", "p4"];
function familyHandler(spec: RequestSpec): unknown {
  const after = Number(spec.query?.after ?? 0);
  if (spec.path === "/parents") {
    const results = PARENTS.slice(after, after + 2).map((id) => ({ id }));
    return after + 2 < PARENTS.length ? { results, paging: { next: { after: String(after + 2) } } } : { results };
  }
  const pid = spec.path.split("/").at(-1);
  const results = [0, 1].map((k) => ({ id: `${pid}-${after + k}` }));
  return after === 0 ? { results, paging: { next: { after: "2" } } } : { results };
}

const family: EndpointSource = {
  kind: "endpoint",
  path: "/kids/{pid}",
  recordsPath: "results",
  paginator: { kind: "after", limit: 2 },
  parent: {
    source: { kind: "endpoint", path: "/parents", recordsPath: "results", paginator: { kind: "after", limit: 2 } },
    idField: "id",
    param: "pid",
    as: "parentId",
  },
};

describe("readEndpoint: parent fan-out", () => {
  it("reads every child of every parent, tagging each record with its parent id", async () => {
    const pages = await read(def(family), options(fakeTransport(familyHandler, [])));
    const rows = pages.flatMap((p) => p.records);
    expect(rows.map((r) => r.id)).toEqual(PARENTS.flatMap((p) => [0, 1, 2, 3].map((k) => `${p}-${k}`)));
    expect(rows.every((r) => String(r.id).startsWith(String(r.parentId)))).toBe(true);
  });

  it("keeps at most one page in flight across parents and their children (slow sink)", async () => {
    const log: RequestSpec[] = [];
    const gate = pageGate();
    let written = 0;
    let worst = 0;
    const transport = fakeTransport((spec) => {
      if (spec.path.startsWith("/kids/"))
        worst = Math.max(worst, log.filter((s) => s.path.startsWith("/kids/")).length - written);
      return familyHandler(spec);
    }, log);
    const pages: Page[] = await lastValueFrom(
      readEndpoint(def(family), family, options(transport), gate.ready).pipe(
        concatMap((page) =>
          defer(async () => {
            await new Promise((r) => setTimeout(r, 1));
            written++;
            gate.written();
            return page;
          }),
        ),
        toArray(),
      ),
    );
    expect(pages.length).toBe(8);
    expect(worst).toBe(1);
    // The second parent page is asked for only after the first one's children were all written.
    const second = log.findIndex((s) => s.path === "/parents" && s.query?.after === "2");
    expect(log.slice(0, second).filter((s) => s.path.startsWith("/kids/")).length).toBe(4);
  });

  it("propagates a child's permission error", async () => {
    const transport = fakeTransport((spec) => {
      if (spec.path === "/kids/p2") throw httpError(403);
      return familyHandler(spec);
    }, []);
    await expect(read(def(family), options(transport))).rejects.toBeInstanceOf(HttpError);
  });

  it("skips a parent whose child answers an ignored error, and only that one", async () => {
    const src: EndpointSource = {
      ...family,
      parent: {
        ...(family.parent as NonNullable<EndpointSource["parent"]>),
        ignore: [{ status: 400, subCategory: "ListError.X" }],
      },
    };
    const transport = fakeTransport((spec) => {
      if (spec.path === "/kids/p2") throw httpError(400, { subCategory: "ListError.X" });
      if (spec.path === "/kids/p3") throw httpError(400, { subCategory: "Other" });
      return familyHandler(spec);
    }, []);
    await expect(read(def(src), options(transport))).rejects.toThrow("HTTP 400");
    const ok = fakeTransport((spec) => {
      if (spec.path === "/kids/p2") throw httpError(400, { subCategory: "ListError.X" });
      return familyHandler(spec);
    }, []);
    const rows = (await read(def(src), options(ok))).flatMap((p) => p.records);
    expect([...new Set(rows.map((r) => r.parentId))]).toEqual(["p1", "p3", "p4"]);
  });
});

describe("readEndpoint: parent dedupe", () => {
  const handler: Handler = (spec) =>
    spec.path === "/parents" ? { results: [{ id: "a" }, { id: "b" }, { id: "a" }] } : { results: [{ id: spec.path }] };
  const base: EndpointSource = {
    kind: "endpoint",
    path: "/kids/{pid}",
    recordsPath: "results",
    paginator: { kind: "single" },
    parent: {
      source: { kind: "endpoint", path: "/parents", recordsPath: "results", paginator: { kind: "single" } },
      idField: "id",
      param: "pid",
    },
  };

  it.each([
    [true, ["/kids/a", "/kids/b"]],
    [false, ["/kids/a", "/kids/b", "/kids/a"]],
  ])("dedupe %s reads children %j", async (dedupe, want) => {
    const log: RequestSpec[] = [];
    const src = { ...base, parent: { ...(base.parent as NonNullable<EndpointSource["parent"]>), dedupe } };
    await read(def(src), options(fakeTransport(handler, log)));
    expect(log.filter((s) => s.path.startsWith("/kids/")).map((s) => s.path)).toEqual(want);
  });
});

describe("readEndpoint: detail enrichment", () => {
  const src: EndpointSource = {
    kind: "endpoint",
    path: "/list",
    recordsPath: "items",
    paginator: { kind: "single" },
    detail: { path: "/item/{id}", idField: "id", param: "id", concurrency: 3 },
  };
  const handler: Handler = (spec) => {
    if (spec.path === "/list") return { items: [1, 2, 3, 4, 5].map((id) => ({ id, t: id * 10 })) };
    const id = Number(spec.path.split("/").at(-1));
    if (id === 4) throw httpError(404);
    return { id, name: `item ${id}` };
  };

  it("merges each detail into its record, in listing order; a 404 keeps the summary", async () => {
    const rows = (await read(def(src), options(fakeTransport(handler, [])))).flatMap((p) => p.records);
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
    const d = def(src, { cursorField: "t", incremental: "client" });
    const o = options(fakeTransport(handler, log), { syncMode: "incremental", state: { t: 30 } });
    await read(d, o);
    expect(log.filter((s) => s.path.startsWith("/item/")).map((s) => s.path)).toEqual([
      "/item/3",
      "/item/4",
      "/item/5",
    ]);
  });

  it("propagates a detail's permission error", async () => {
    const transport = fakeTransport((spec) => {
      if (spec.path === "/item/2") throw httpError(403);
      return handler(spec);
    }, []);
    await expect(read(def(src), options(transport))).rejects.toBeInstanceOf(HttpError);
  });
});

describe("readEndpoint: time windows", () => {
  const src: EndpointSource = {
    kind: "endpoint",
    path: "/events",
    recordsPath: "events",
    paginator: { kind: "offset", limit: 2, limitParam: "limit", hasMore: "hasMore" },
    timeWindow: { startParam: "start", endParam: "end", format: "ms", stepMs: 1_000 },
  };
  const d = def(src, { cursorField: "created", incremental: "server" });
  // Two pages per window, whatever the window.
  const handler: Handler = (spec) =>
    spec.query?.offset
      ? { events: [{ id: `${spec.query.start}b` }], hasMore: false }
      : { events: [{ id: `${spec.query?.start}a` }], hasMore: true, offset: "x" };

  it("reads windows from the saved cursor to now and checkpoints the next start after each", async () => {
    const log: RequestSpec[] = [];
    const now = Date.now();
    const lo = now - 2_500;
    const pages = await read(
      d,
      options(fakeTransport(handler, log), { syncMode: "incremental", state: { created: lo } }),
    );
    const starts = log.filter((s) => !s.query?.offset).map((s) => [s.query?.start, s.query?.end]);
    expect(starts[0]).toEqual([lo, lo + 999]);
    expect(starts[1]).toEqual([lo + 1_000, lo + 1_999]);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    const states = pages.map((p) => p.state?.created);
    // Mid-window pages carry no state; each window's last page moves the cursor just past it.
    expect(states.slice(0, 4)).toEqual([undefined, lo + 1_000, undefined, lo + 2_000]);
    const last = starts.at(-1) as [number, number];
    expect(states.at(-1)).toBe(last[1]);
  });

  it("starts at the start date without a state", async () => {
    const log: RequestSpec[] = [];
    const startDate = Date.now() - 500;
    await read(d, options(fakeTransport(handler, log), { startDate }));
    expect(log[0]?.query?.start).toBe(startDate);
  });
});

describe("readEndpoint: parent × window (resumable)", () => {
  const src: EndpointSource = {
    ...family,
    path: "/events",
    parent: { ...(family.parent as NonNullable<EndpointSource["parent"]>), param: "objectId", as: undefined },
    timeWindow: { startParam: "after", endParam: "before", format: "iso" },
    paginator: { kind: "single" },
  };
  const d = def(src, { cursorField: "occurredAt", incremental: "server" });
  const handler: Handler = (spec) =>
    spec.path === "/parents" ? familyHandler(spec) : { results: [{ id: spec.query?.objectId }] };

  it("checkpoints the parent cursor after each parent page and the window end at the end", async () => {
    const pages = await read(
      d,
      options(fakeTransport(handler, []), {
        syncMode: "incremental",
        state: { occurredAt: "2024-01-01T00:00:00.000Z" },
      }),
    );
    const states = pages.filter((p) => p.state).map((p) => p.state);
    expect(states[0]).toMatchObject({ occurredAt: "2024-01-01T00:00:00.000Z", resume: { parentAfter: "2" } });
    const end = (states[0]?.resume as { before: string } | undefined)?.before;
    expect(typeof end).toBe("string");
    expect(states.at(-1)).toEqual({ occurredAt: end });
  });

  it("resumes at the saved parent cursor with the saved window", async () => {
    const log: RequestSpec[] = [];
    const state = {
      occurredAt: "2024-01-01T00:00:00.000Z",
      resume: { before: "2024-02-01T00:00:00.000Z", parentAfter: "2" },
    };
    const pages = await read(d, options(fakeTransport(handler, log), { syncMode: "incremental", state }));
    expect(pages.flatMap((p) => p.records).map((r) => r.id)).toEqual(["p3", "p4"]);
    const child = log.find((s) => s.path === "/events");
    expect(child?.query).toMatchObject({ after: "2024-01-01T00:00:00.000Z", before: "2024-02-01T00:00:00.000Z" });
    expect(pages.at(-1)?.state).toEqual({ occurredAt: "2024-02-01T00:00:00.000Z" });
  });
});

describe("readEndpoint: engagements recent or all", () => {
  const src: EndpointSource = {
    kind: "endpoint",
    path: "/paged",
    recordsPath: "results",
    paginator: { kind: "offset", limit: 250, limitParam: "limit", hasMore: "hasMore" },
    recent: {
      path: "/recent",
      paginator: { kind: "offset", limit: 100, limitParam: "count", hasMore: "hasMore" },
      sinceParam: "since",
      maxAgeMs: 30 * 86_400_000,
      maxRecords: 10_000,
    },
  };
  const d = def(src, { cursorField: "lastUpdated", incremental: "client" });
  const DAY = 86_400_000;

  it.each([
    ["no state: all", undefined, 5, ["/paged"]],
    ["full refresh ignores the state", { lastUpdated: Date.now() - DAY }, 5, ["/paged"]],
    ["cursor older than 30 days: all", { lastUpdated: Date.now() - 31 * DAY }, 5, ["/paged"]],
    ["young cursor, few changes: recent", { lastUpdated: Date.now() - DAY }, 10_000, ["/recent", "/recent"]],
    ["young cursor, more than 10k changes: all", { lastUpdated: Date.now() - DAY }, 10_001, ["/recent", "/paged"]],
  ] as const)("%s", async (name, state, total, paths) => {
    const log: RequestSpec[] = [];
    const transport = fakeTransport(() => ({ results: [], hasMore: false, offset: 0, total }), log);
    const mode = name.startsWith("full") ? "full_refresh" : "incremental";
    await read(d, options(transport, { syncMode: mode, state }));
    expect(log.map((s) => s.path)).toEqual(paths);
    if (paths[1] === "/recent")
      expect(log[1]?.query).toMatchObject({ since: (state?.lastUpdated ?? 0) - 1, count: 100 });
  });
});

describe("readEndpoint: property chunks", () => {
  it("asks each page once per chunk with the same cursor and concatenates the records", async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `property_number_${i}`);
    const log: RequestSpec[] = [];
    const transport = fakeTransport((spec) => {
      const page = spec.query?.after ? 2 : 1;
      const results = [{ id: `${page}`, chunk: String(spec.query?.propertiesWithHistory).split(",")[0] }];
      return page === 1 ? { results, paging: { next: { after: "x" } } } : { results };
    }, log);
    const src: EndpointSource = {
      kind: "endpoint",
      path: "/crm/v3/objects/contacts",
      recordsPath: "results",
      paginator: { kind: "after", limit: 50 },
      propertyChunks: { objectType: "contacts", param: "propertiesWithHistory" },
    };
    const props = { of: () => of(names.map((name) => ({ name, type: "string" }))) } as unknown as PropertyCatalog;
    const pages = await read(def(src), options(transport, { properties: props }));
    const chunks = log.length / 2;
    expect(chunks).toBeGreaterThan(1);
    expect(log.slice(0, chunks).every((s) => s.query?.after === undefined)).toBe(true);
    expect(log.slice(chunks).every((s) => s.query?.after === "x")).toBe(true);
    const sent = log.slice(0, chunks).flatMap((s) => s.query?.propertiesWithHistory as string[]);
    expect(sent).toEqual(names);
    expect(pages.map((p) => p.records.length)).toEqual([chunks, chunks]);
  });
});
