import { afterEach, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { ids, liveRows, syncFrom, tombstoneRows, unique } from "../helpers/sync.js";

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const MINUTE = 60_000;

describe("server-side incremental (search)", () => {
  it("after a full sync, delivers exactly the created and updated records with their new values", async () => {
    sim = await startSimulator({ seed: 11, scale: "small", rateLimits: false });
    const first = await syncFrom(sim, { streams: ["contacts", "deals"] });
    const live = sim.portal.count("contacts");
    expect(unique(ids(first.sink.rows("contacts"))).length).toBe(live);

    sim.portal.advance(MINUTE);
    const updated = [sim.portal.idAt("contacts", 3), sim.portal.idAt("contacts", 77)] as string[];
    for (const id of updated) sim.portal.update("contacts", id, { firstname: "Changed" });
    sim.portal.advance(MINUTE);
    const created = sim.portal.create("contacts", { firstname: "New", email: "new@example.com" });
    const archivedDeal = sim.portal.idAt("deals", 5) as string;
    sim.portal.archive("deals", archivedDeal);

    const second = await syncFrom(sim, { streams: ["contacts", "deals"], state: first.states });
    const got = ids(second.sink.rows("contacts"));
    expect(got).toEqual(expect.arrayContaining([...updated, created.id]));
    // The boundary millisecond of the previous state is re-read (at-least-once), nothing else.
    expect(got.length).toBeLessThanOrEqual(updated.length + 1 + 1);
    const changed = second.sink.rows("contacts").find((r) => r.id === updated[0]);
    expect(changed?.properties_firstname).toBe("Changed");
    // The archived deal comes back once, as a tombstone, and never as a live record.
    expect(ids(liveRows(second.sink.rows("deals")))).not.toContain(archivedDeal);
    expect(tombstoneRows(second.sink.rows("deals"))).toEqual([
      expect.objectContaining({ id: archivedDeal, archived: true, _ab_cdc_deleted_at: expect.any(String) }),
    ]);
  });

  it("reads through search from start_date and advances the cursor to the newest record", async () => {
    sim = await startSimulator({ seed: 12, scale: "small", rateLimits: false });
    const start = sim.portal.now() - 400 * 24 * 60 * MINUTE;
    const run = await syncFrom(sim, {
      streams: ["companies"],
      config: { start_date: new Date(start).toISOString().replace(/\.\d{3}Z$/, "Z") },
    });
    const rows = run.sink.rows("companies");
    const want = Array.from(
      { length: sim.portal.count("companies") },
      (_, i) => sim?.portal.idAt("companies", i) as string,
    )
      .map((id) => sim?.portal.get("companies", id))
      .filter((c) => c && c.updatedAt >= start)
      .map((c) => c?.id);
    expect(ids(rows).sort()).toEqual((want as string[]).sort());
    const newest = Math.max(...rows.map((r) => Date.parse(String(r.updatedAt))));
    expect(Date.parse(String(run.states.get("companies")?.updatedAt))).toBe(newest);
    expect(run.stats.byBudget.search).toBeGreaterThan(0);
  });

  it("loses nothing and never loops when more than 10,000 records share one millisecond", async () => {
    sim = await startSimulator({ seed: 13, counts: { contacts: 12_500 }, scale: "small", rateLimits: false });
    const first = await syncFrom(sim, { streams: ["contacts"] });
    expect(first.sink.rows("contacts").length).toBe(sim.portal.count("contacts"));

    sim.portal.advance(MINUTE);
    const flood = sim.portal.bulkUpdate("contacts", 10_600, { lifecyclestage: "customer" });
    sim.portal.advance(1);
    const after = [sim.portal.idAt("contacts", 1), sim.portal.idAt("contacts", 12_001)] as string[];
    for (const id of after) sim.portal.update("contacts", id, { firstname: "Later" });

    const second = await syncFrom(sim, { streams: ["contacts"], state: first.states });
    expect(second.errors).toEqual([]);
    const got = new Set(ids(second.sink.rows("contacts")));
    for (const id of [...flood, ...after]) expect(got.has(id)).toBe(true);
    // Keyset paging never asks HubSpot for an offset past 10,000, so nothing was refused.
    const refused = sim.stats().routes.filter((r) => r.status === 400);
    expect(refused).toEqual([]);
    expect(second.sink.rows("contacts").length).toBeLessThan(flood.length + after.length + 400);
  }, 120_000);

  it("re-reads the lookback window before the saved cursor", async () => {
    sim = await startSimulator({ seed: 14, scale: "small", rateLimits: false });
    const first = await syncFrom(sim, { streams: ["contacts"] });
    const cursor = Date.parse(String(first.states.get("contacts")?.updatedAt));
    const inWindow = Array.from(
      { length: sim.portal.count("contacts") },
      (_, i) => sim?.portal.idAt("contacts", i) as string,
    )
      .map((id) => sim?.portal.get("contacts", id))
      .filter((c) => c && c.updatedAt >= cursor - 90 * 24 * 60 * MINUTE)
      .map((c) => c?.id as string);
    const again = await syncFrom(sim, {
      streams: ["contacts"],
      state: first.states,
      config: { lookback_window: 90 * 24 * 60 },
    });
    expect(ids(liveRows(again.sink.rows("contacts"))).sort()).toEqual(inWindow.sort());
  });

  it("does not move the cursor past records the search index has not caught up with", async () => {
    sim = await startSimulator({ seed: 15, scale: "small", rateLimits: false, searchIndexLagMs: 10 * MINUTE });
    const first = await syncFrom(sim, { streams: ["contacts"] });
    sim.portal.advance(30 * MINUTE);
    const late = sim.portal.idAt("contacts", 10) as string;
    sim.portal.update("contacts", late, { firstname: "Late" });
    const second = await syncFrom(sim, { streams: ["contacts"], state: first.states });
    expect(ids(second.sink.rows("contacts"))).not.toContain(late);
    sim.portal.advance(11 * MINUTE);
    const third = await syncFrom(sim, { streams: ["contacts"], state: second.states });
    expect(ids(third.sink.rows("contacts"))).toContain(late);
  });

  it.each([
    ["the seed connector's microsecond ISO form", (ms: number) => new Date(ms).toISOString().replace("Z", "000Z")],
    ["epoch milliseconds", (ms: number) => ms],
  ])("resumes from a saved cursor in %s", async (_name, format) => {
    sim = await startSimulator({ seed: 16, scale: "small", rateLimits: false });
    const first = await syncFrom(sim, { streams: ["contacts"] });
    const cursor = Date.parse(String(first.states.get("contacts")?.updatedAt));
    const state = new Map([["contacts", { updatedAt: format(cursor) }]]);
    const again = await syncFrom(sim, { streams: ["contacts"], state });
    expect(again.errors).toEqual([]);
    expect(again.sink.rows("contacts").length).toBeGreaterThan(0);
    expect(again.sink.rows("contacts").length).toBeLessThan(3);
  });
});
