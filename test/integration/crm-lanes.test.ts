import { afterEach, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { crmReadTuning } from "../../src/sources/crm/backfill.js";
import type { Row } from "../../src/sources/page.js";
import { ids, liveRows, syncFrom, unique } from "../helpers/sync.js";

const saved = { ...crmReadTuning };
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  Object.assign(crmReadTuning, saved);
  await sim?.close();
  sim = undefined;
});

const liveIds = (s: SimulatorHandle, type: string) =>
  Array.from({ length: s.portal.count(type) }, (_, i) => s.portal.idAt(type, i) as string).sort();

/** Search requests that read id ranges (not the two probes per stream, nor a catch-up). */
const rangeSearches = (s: SimulatorHandle) =>
  s
    .stats()
    .routes.filter((r) => r.route.endsWith("/search") && r.status === 200)
    .reduce((n, r) => n + r.requests, 0);

/**
 * A portal whose list budget is small next to search's (20 list requests per 10 s as its headers announce; 5
 * searches a second), so that search lanes read most ranges of these small objects.
 */
const TIGHT = { limits: { burst: 20 } };
const PRO = { requests_per_10s: 20, search_requests_per_second: 5 };

describe("the CRM work scheduler", () => {
  it.each(["full_refresh", "incremental"] as const)(
    "in %s, delivers every record that existed before the sync while search lags and hides changed records",
    async (mode) => {
      sim = await startSimulator({
        seed: 71,
        scale: "small",
        counts: { contacts: 2_500 },
        rateLimits: false,
        ...TIGHT,
        searchIndexLagMs: 1_500,
        searchIndexLagHides: true,
      });
      // Search gets ranges even in a sync this short (the default keeps them for syncs longer than the settle time).
      crmReadTuning.searchSettleMs = 1_500;
      const before = liveIds(sim, "contacts");
      const s = sim;
      let n = 0;
      const changes = setInterval(() => {
        s.portal.update("contacts", before[(n * 97) % before.length] as string, { firstname: `Changed ${n}` });
        s.portal.create("contacts", { email: `during${n}@example.com` });
        n++;
      }, 40);
      try {
        const run = await syncFrom(sim, { streams: ["contacts"], mode, config: PRO });
        expect(run.errors).toEqual([]);
        const got = new Set(ids(liveRows(run.sink.rows("contacts"))));
        expect(before.filter((id) => !got.has(id))).toEqual([]);
        expect(n).toBeGreaterThan(10);
      } finally {
        clearInterval(changes);
      }
      expect(rangeSearches(sim)).toBeGreaterThan(5);
    },
    60_000,
  );

  it.each([
    ["50", 50],
    ["1,500 (list requests split in chunks, search bodies carry them all)", 1_500],
  ])(
    "delivers a record read through search exactly as one read through the list, with %s custom properties",
    async (_name, properties) => {
      const portal = {
        seed: 72,
        scale: "small",
        counts: { deals: 2_500 },
        rateLimits: false,
        propertiesPerObject: properties,
      } as const;
      // The same seeded portal twice (records are derived from the seed): read once through the list alone…
      const plain = await startSimulator(portal);
      crmReadTuning.searchChainsPerStream = 0;
      const listed = await syncFrom(plain, { streams: ["deals"], mode: "full_refresh" }).finally(() => plain.close());
      expect(rangeSearches(plain)).toBe(2);

      // …and once with a small list budget, so that search lanes read most ranges.
      sim = await startSimulator({ ...portal, ...TIGHT });
      // One list lane that keeps only its first page's range; search lanes take the rest.
      Object.assign(crmReadTuning, { listChainsPerStream: 1, searchChainsPerStream: 4, searchSettleMs: 0 });
      const searched = await syncFrom(sim, { streams: ["deals"], mode: "full_refresh", config: PRO });
      expect(searched.errors).toEqual([]);
      expect(rangeSearches(sim) - 2).toBeGreaterThan(4);
      // No request was refused for its size: 414 on a list URL, 400 on a search body.
      expect(sim.stats().routes.filter((r) => r.status === 414 || r.status === 400)).toEqual([]);

      const byId = (rows: Row[]) => new Map(rows.map((r) => [String(r.id), r]));
      const a = byId(listed.sink.rows("deals"));
      const b = byId(searched.sink.rows("deals"));
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [id, row] of b) expect(row, `deal ${id}`).toEqual(a.get(id));
    },
    90_000,
  );

  it.each(["id", "base64"] as const)(
    "resumes a first sync killed midway without re-reading the ranges it finished (%s list cursors)",
    async (listCursor) => {
      sim = await startSimulator({
        seed: 73,
        scale: "small",
        counts: { contacts: 3_000 },
        rateLimits: false,
        listCursor,
      });
      const all = liveIds(sim, "contacts");
      // A sink that dies after ten pages: the last checkpoint is what a killed run leaves.
      const first = await syncFrom(sim, {
        streams: ["contacts"],
        checkpointEveryRecords: 1,
        failAfterPages: 10,
      });
      const state = first.states.get("contacts") as { backfill?: { ranges?: unknown[] } };
      expect(state?.backfill?.ranges?.length).toBeGreaterThan(0);
      const delivered = new Set(ids(first.sink.rows("contacts")));

      const second = await syncFrom(sim, { streams: ["contacts"], state: first.states });
      expect(second.errors).toEqual([]);
      const again = ids(liveRows(second.sink.rows("contacts")));
      expect(unique([...delivered, ...again]).sort()).toEqual(all);
      // Finished ranges are not read again: the second run delivers about what the first did not.
      expect(again.length).toBeLessThan(all.length - delivered.size / 2);
      expect(second.states.get("contacts")).toMatchObject({ updatedAt: expect.any(String) });
      expect(second.states.get("contacts")).not.toHaveProperty("backfill");
    },
    60_000,
  );
});
