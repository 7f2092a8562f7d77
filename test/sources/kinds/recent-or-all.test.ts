import { describe, expect, it } from "vitest";
import { useRecent } from "../../../src/sources/kinds/recent-or-all.js";
import type { RecentOrAllSource } from "../../../src/sources/stream-def.js";
import type { RequestSpec } from "../../../src/sources/transport.js";
import { clockAt, fakeTransport, type Handler, readAll, readOptions, streamOf } from "../../helpers/fake-transport.js";

const DAY = 86_400_000;
const NOW = 100 * DAY;
const src: RecentOrAllSource = {
  kind: "recent-or-all",
  recent: {
    kind: "offset-paged",
    path: "/recent",
    recordsPath: "results",
    limit: 100,
    limitParam: "count",
    hasMore: "hasMore",
    since: { param: "since", format: "ms", exclusive: true },
  },
  all: {
    kind: "offset-paged",
    path: "/paged",
    recordsPath: "results",
    limit: 250,
    limitParam: "limit",
    hasMore: "hasMore",
  },
  maxAgeMs: 30 * DAY,
  maxRecords: 10_000,
};
const def = streamOf(src, { cursorField: "lastUpdated", incremental: "client" });

describe("useRecent", () => {
  const limits = { maxAgeMs: 30 * DAY, maxRecords: 10_000 };
  it.each([
    ["no cursor", undefined, 5, false],
    ["a cursor older than 30 days", NOW - 31 * DAY, 5, false],
    ["a young cursor, few changes", NOW - DAY, 9_999, true],
    ["a young cursor, a total at the cap (it may itself be capped)", NOW - DAY, 10_000, false],
    ["a young cursor, more changes than the cap", NOW - DAY, 10_001, false],
    ["a young cursor, no total", NOW - DAY, undefined, false],
  ])("%s: %s", (_name, cursorMs, total, want) => {
    expect(useRecent({ cursorMs, now: NOW, total }, limits)).toBe(want);
  });
});

describe("recent-or-all reads", () => {
  it.each([
    ["no state: all", undefined, 5, ["/paged"]],
    ["full refresh ignores the state", { lastUpdated: NOW - DAY }, 5, ["/paged"]],
    ["cursor older than 30 days: all", { lastUpdated: NOW - 31 * DAY }, 5, ["/paged"]],
    ["young cursor, few changes: recent", { lastUpdated: NOW - DAY }, 9_999, ["/recent", "/recent"]],
    ["young cursor, 10k changes reported: all", { lastUpdated: NOW - DAY }, 10_000, ["/recent", "/paged"]],
  ] as const)("%s", async (name, state, total, paths) => {
    const log: RequestSpec[] = [];
    const transport = fakeTransport(() => ({ results: [], hasMore: false, offset: 0, total }), log);
    const syncMode = name.startsWith("full") ? "full_refresh" : "incremental";
    await readAll(def, readOptions(transport, { syncMode, state, scheduler: clockAt(NOW) }));
    expect(log.map((s) => s.path)).toEqual(paths);
    expect(log[0]?.query).toMatchObject(paths[0] === "/recent" ? { count: 1, since: NOW - DAY - 1 } : { limit: 250 });
    if (paths[1] === "/recent") expect(log[1]?.query).toMatchObject({ since: NOW - DAY - 1, count: 100 });
  });

  it("reads the full listing after a recent read that returned as many records as the endpoint's cap", async () => {
    const cursor = NOW - 5 * DAY;
    const capped: RecentOrAllSource = { ...src, maxRecords: 4 };
    // The probe under-reports; the endpoint then stops at its cap of 4 while 6 records changed.
    const changed = [1, 2, 3, 4, 5, 6].map((id) => ({ id, lastUpdated: cursor + id }));
    const handler: Handler = (spec) => {
      if (spec.query?.count === 1) return { results: [], hasMore: true, offset: 1, total: 3 };
      if (spec.path === "/recent") {
        const offset = Number(spec.query?.offset ?? 0);
        const page = changed.slice(offset, Math.min(offset + 2, 4));
        return { results: page, hasMore: offset + 2 < 4, offset: offset + 2, total: 3 };
      }
      return { results: [{ id: 0, lastUpdated: cursor - DAY }, ...changed], hasMore: false, offset: 7 };
    };
    const log: RequestSpec[] = [];
    const warnings: string[] = [];
    const pages = await readAll(
      streamOf(capped, { cursorField: "lastUpdated", incremental: "client" }),
      readOptions(fakeTransport(handler, log), {
        syncMode: "incremental",
        state: { lastUpdated: cursor },
        scheduler: clockAt(NOW),
        warn: (m) => warnings.push(m),
      }),
    );
    expect(log.map((s) => s.path)).toEqual(["/recent", "/recent", "/recent", "/paged"]);
    const ids = new Set(pages.flatMap((p) => p.records.map((r) => r.id)));
    expect([...ids].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pages.at(-1)?.state).toEqual({ lastUpdated: cursor + 6 });
    expect(warnings).toEqual([expect.stringContaining("its cap")]);
  });
});
