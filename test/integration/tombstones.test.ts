import { afterEach, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { ids, liveRows, syncFrom, tombstoneRows } from "../helpers/sync.js";

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const MINUTE = 60_000;
const liveIds = (s: SimulatorHandle, type: string) =>
  Array.from({ length: s.portal.count(type) }, (_, i) => s.portal.idAt(type, i) as string);

describe("deletes as tombstones", () => {
  it("come once per archived or merged record, never for a live one, and not for what a first sync never saw", async () => {
    sim = await startSimulator({ seed: 81, scale: "small", rateLimits: false });
    const binBefore = sim.portal.count("contacts", true);
    expect(binBefore).toBeGreaterThan(0);
    const first = await syncFrom(sim, { streams: ["contacts", "deals"] });
    expect(tombstoneRows(first.sink.rows("contacts"))).toEqual([]);
    expect(tombstoneRows(first.sink.rows("deals"))).toEqual([]);

    sim.portal.advance(MINUTE);
    const contacts = liveIds(sim, "contacts");
    const archived = contacts.slice(3, 6);
    for (const id of archived) sim.portal.archive("contacts", id);
    const [a, b] = [contacts[10] as string, contacts[11] as string];
    const survivor = sim.portal.merge("contacts", a, b);
    const deal = liveIds(sim, "deals")[2] as string;
    sim.portal.archive("deals", deal);

    const second = await syncFrom(sim, { streams: ["contacts", "deals"], state: first.states });
    expect(second.errors).toEqual([]);
    const gone = tombstoneRows(second.sink.rows("contacts"));
    expect(ids(gone).sort()).toEqual([...archived, a, b].sort());
    for (const t of gone) {
      expect(t).toMatchObject({ archived: true, archivedAt: expect.any(String) });
      expect(t._ab_cdc_deleted_at).toBe(t.archivedAt);
    }
    expect(ids(liveRows(second.sink.rows("contacts")))).toContain(survivor.id);
    expect(ids(tombstoneRows(second.sink.rows("deals")))).toEqual([deal]);
    const live = new Set([...liveIds(sim, "contacts"), ...liveIds(sim, "deals")]);
    expect(ids([...gone, ...tombstoneRows(second.sink.rows("deals"))]).filter((id) => live.has(id))).toEqual([]);

    // The survivor changes again: its merged ids are not deleted twice, and the bin is not re-read as new deletes.
    sim.portal.advance(MINUTE);
    sim.portal.update("contacts", survivor.id, { firstname: "Again" });
    const third = await syncFrom(sim, { streams: ["contacts", "deals"], state: second.states });
    expect(tombstoneRows(third.sink.rows("contacts"))).toEqual([]);
    expect(tombstoneRows(third.sink.rows("deals"))).toEqual([]);
    expect(ids(third.sink.rows("contacts"))).toContain(survivor.id);
  });

  it("tombstones a record a first sync delivered and that was archived while it ran", async () => {
    sim = await startSimulator({ seed: 82, scale: "small", counts: { companies: 1_500 }, rateLimits: false });
    const s = sim;
    let victim: string | undefined;
    const run = await syncFrom(sim, {
      streams: ["companies"],
      checkpointEveryRecords: 1,
      onWrite: (_table, rows) => {
        if (victim !== undefined || !rows.length) return;
        victim = String(rows[0]?.id);
        s.portal.advance(1_000);
        s.portal.archive("companies", victim);
      },
    });
    expect(run.errors).toEqual([]);
    expect(ids(tombstoneRows(run.sink.rows("companies")))).toEqual([victim]);
  });

  it("are left out when emit_deletes is off", async () => {
    sim = await startSimulator({ seed: 84, scale: "small", rateLimits: false });
    const first = await syncFrom(sim, { streams: ["contacts"], config: { emit_deletes: false } });
    sim.portal.advance(MINUTE);
    sim.portal.archive("contacts", liveIds(sim, "contacts")[0] as string);
    const second = await syncFrom(sim, { streams: ["contacts"], state: first.states, config: { emit_deletes: false } });
    expect(tombstoneRows(second.sink.rows("contacts"))).toEqual([]);
    expect(second.states.get("contacts")).not.toHaveProperty("archivedAt");
  });

  it("are left out of a full refresh", async () => {
    sim = await startSimulator({ seed: 83, scale: "small", rateLimits: false });
    const run = await syncFrom(sim, { streams: ["contacts"], mode: "full_refresh" });
    expect(tombstoneRows(run.sink.rows("contacts"))).toEqual([]);
    expect(ids(run.sink.rows("contacts")).sort()).toEqual(liveIds(sim, "contacts").sort());
  });
});
