import { concatMap, defer, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import {
  laterCursor,
  parentCursorsOf,
  parentIds,
  parentStart,
  perParentState,
} from "../../../src/sources/kinds/per-parent.js";
import type { Page, Row } from "../../../src/sources/page.js";
import { pageGate } from "../../../src/sources/pull.js";
import { readStream } from "../../../src/sources/read-stream.js";
import type { PerParentSource } from "../../../src/sources/stream-def.js";
import type { RequestSpec } from "../../../src/sources/transport.js";
import {
  clockAt,
  fakeTransport,
  type Handler,
  httpError,
  readAll,
  readOptions,
  streamOf,
} from "../../helpers/fake-transport.js";

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

const family: PerParentSource = {
  kind: "per-parent",
  parent: { kind: "after-paged", path: "/parents", recordsPath: "results", limit: 2 },
  idField: "id",
  param: "pid",
  as: "parentId",
  child: { kind: "after-paged", path: "/kids/{pid}", recordsPath: "results", limit: 2 },
};

describe("per-parent reads", () => {
  it("reads every child of every parent, tagging each record with its parent id", async () => {
    const pages = await readAll(streamOf(family), readOptions(fakeTransport(familyHandler)));
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
      readStream(streamOf(family), readOptions(transport), gate.ready).pipe(
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
    });
    await expect(readAll(streamOf(family), readOptions(transport))).rejects.toMatchObject({ kind: "permission" });
  });

  it("skips a parent whose child answers an ignored error, and only that one", async () => {
    const src: PerParentSource = {
      ...family,
      child: {
        ...family.child,
        errors: { ignore: [{ status: 400, subCategory: "ListError.X" }] },
      } as PerParentSource["child"],
    };
    const other = fakeTransport((spec) => {
      if (spec.path === "/kids/p3") throw httpError(400, { subCategory: "Other" });
      return familyHandler(spec);
    });
    await expect(readAll(streamOf(src), readOptions(other))).rejects.toThrow("HTTP 400");
    const warnings: string[] = [];
    const ok = fakeTransport((spec) => {
      if (spec.path === "/kids/p2") throw httpError(400, { subCategory: "ListError.X" });
      return familyHandler(spec);
    });
    const rows = (await readAll(streamOf(src), readOptions(ok, { warn: (m) => warnings.push(m) }))).flatMap(
      (p) => p.records,
    );
    expect([...new Set(rows.map((r) => r.parentId))]).toEqual(["p1", "p3", "p4"]);
    expect(warnings).toEqual([expect.stringContaining("GET /kids/p2 skipped")]);
  });

  it.each([
    [true, ["/kids/a", "/kids/b"]],
    [false, ["/kids/a", "/kids/b", "/kids/a"]],
  ])("with dedupe %s reads the children %j", async (dedupe, want) => {
    const log: RequestSpec[] = [];
    const handler: Handler = (spec) =>
      spec.path === "/parents"
        ? { results: [{ id: "a" }, { id: "b" }, { id: "a" }] }
        : { results: [{ id: spec.path }] };
    const src: PerParentSource = {
      ...family,
      parent: { kind: "single", path: "/parents", recordsPath: "results" },
      child: { kind: "single", path: "/kids/{pid}", recordsPath: "results" },
      dedupe,
    };
    await readAll(streamOf(src), readOptions(fakeTransport(handler, log)));
    expect(log.filter((s) => s.path.startsWith("/kids/")).map((s) => s.path)).toEqual(want);
  });
});

describe("per-parent cursors (web analytics)", () => {
  const DAY = 86_400_000;
  const T0 = Date.parse("2024-01-01T00:00:00.000Z");
  const at = (d: number) => new Date(T0 + d * DAY).toISOString();
  const analytics: PerParentSource = {
    kind: "per-parent",
    parent: { kind: "after-paged", path: "/parents", recordsPath: "results", limit: 2 },
    idField: "id",
    param: "objectId",
    child: {
      kind: "time-windows",
      startParam: "occurredAfter",
      endParam: "occurredBefore",
      format: "iso",
      inner: { kind: "after-paged", path: "/events", recordsPath: "results", limit: 100 },
    },
  };
  const def = streamOf(analytics, { cursorField: "occurredAt", incremental: "server" });

  /** Events per parent, filtered by the window like HubSpot does; `recorded` hides events not yet recorded. */
  function eventsHandler(events: Row[]): Handler {
    return (spec) => {
      if (spec.path === "/parents") return familyHandler(spec);
      const lo = Date.parse(String(spec.query?.occurredAfter));
      const hi = Date.parse(String(spec.query?.occurredBefore));
      const results = events.filter((e) => {
        const t = Date.parse(String(e.occurredAt));
        return e.objectId === spec.query?.objectId && t >= lo && t <= hi;
      });
      return { results };
    };
  }

  it("keeps the newest occurredAt seen per parent; an event recorded late with an earlier time comes next run", async () => {
    const events: Row[] = [
      { id: "e1", objectId: "p1", occurredAt: at(1) },
      { id: "e2", objectId: "p1", occurredAt: at(5) },
      { id: "e3", objectId: "p3", occurredAt: at(2) },
    ];
    const first = await readAll(
      def,
      readOptions(fakeTransport(eventsHandler(events)), { syncMode: "incremental", scheduler: clockAt(T0 + 10 * DAY) }),
    );
    const state = first.at(-1)?.state;
    expect(state).toEqual({ p1: { occurredAt: at(5) }, p3: { occurredAt: at(2) } });
    // Recorded after the first run (which started on day 10), stamped days before it.
    events.push({ id: "late", objectId: "p1", occurredAt: at(7) }, { id: "late3", objectId: "p3", occurredAt: at(3) });
    const log: RequestSpec[] = [];
    const second = await readAll(
      def,
      readOptions(fakeTransport(eventsHandler(events), log), {
        syncMode: "incremental",
        state,
        scheduler: clockAt(T0 + 12 * DAY),
      }),
    );
    const ids = second.flatMap((p) => p.records.map((r) => r.id)).sort();
    // The boundary events e2 and e3 come again (at-least-once), the late ones for the first time.
    expect(ids).toEqual(["e2", "e3", "late", "late3"]);
    expect(second.at(-1)?.state).toEqual({ p1: { occurredAt: at(7) }, p3: { occurredAt: at(3) } });
    const p2 = log.find((s) => s.query?.objectId === "p2");
    expect(p2?.query?.occurredAfter).toBe(new Date(0).toISOString());
  });

  it("reads each parent from its cursor less the lookback window", async () => {
    const log: RequestSpec[] = [];
    await readAll(
      def,
      readOptions(fakeTransport(eventsHandler([]), log), {
        syncMode: "incremental",
        state: { p1: { occurredAt: at(5) } },
        lookbackMs: DAY,
        scheduler: clockAt(T0 + 10 * DAY),
      }),
    );
    const p1 = log.find((s) => s.query?.objectId === "p1");
    expect(p1?.query).toMatchObject({ occurredAfter: at(4), occurredBefore: at(10) });
  });

  it("checkpoints after each parent page; a state saved with one cursor for all parents is its floor", async () => {
    const log: RequestSpec[] = [];
    const events = [{ id: "e", objectId: "p4", occurredAt: at(8) }];
    const pages = await readAll(
      def,
      readOptions(fakeTransport(eventsHandler(events), log), {
        syncMode: "incremental",
        state: { occurredAt: at(6), resume: { occurredBefore: at(7), parentAfter: "2" } },
        scheduler: clockAt(T0 + 10 * DAY),
      }),
    );
    expect(log.filter((s) => s.path === "/events").every((s) => s.query?.occurredAfter === at(6))).toBe(true);
    expect(pages.filter((p) => p.state).map((p) => p.state)).toEqual([
      { occurredAt: at(6) },
      { occurredAt: at(6), p4: { occurredAt: at(8) } },
    ]);
  });
});

describe("per-parent pure cores", () => {
  it.each([
    ["own cursor less lookback", "1970-01-01T00:00:10.000Z", undefined, 0, 3_000, 7_000],
    ["the floor without an own cursor", undefined, 9_000, 0, 0, 9_000],
    ["never before start_date", 5_000, undefined, 6_000, 0, 6_000],
    ["start_date without any cursor", undefined, undefined, 6_000, 1_000, 6_000],
  ])("parentStart: %s", (_name, saved, floor, startDate, lookback, want) => {
    expect(parentStart(saved, floor, startDate, lookback)).toBe(want);
  });

  it.each([
    ["a later candidate wins", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-02T00:00:00Z"],
    ["an earlier candidate loses", "2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"],
    ["an unreadable candidate loses", "2024-01-02T00:00:00Z", "soon", "2024-01-02T00:00:00Z"],
    ["any readable candidate beats nothing", undefined, 5, 5],
  ])("laterCursor: %s", (_name, current, candidate, want) => {
    expect(laterCursor(current, candidate)).toBe(want);
  });

  it("reads and writes the seed connector's per-parent state", () => {
    const state = { occurredAt: 1, "7": { occurredAt: "2024-01-01T00:00:00Z" }, "8": { occurredAt: "" }, x: 3 };
    const cursors = parentCursorsOf(state, "occurredAt");
    expect([...cursors.byParent]).toEqual([["7", "2024-01-01T00:00:00Z"]]);
    expect(perParentState(cursors, "occurredAt")).toEqual({
      occurredAt: 1,
      "7": { occurredAt: "2024-01-01T00:00:00Z" },
    });
  });

  it("lists parent ids in order, once each with dedupe", () => {
    const rows = [{ id: 1 }, { id: null }, { id: 2 }, { id: 1 }, {}];
    expect(parentIds(rows, "id")).toEqual([1, 2, 1]);
    expect(parentIds(rows, "id", new Set())).toEqual([1, 2]);
  });
});
