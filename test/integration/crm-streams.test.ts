import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { STREAMS } from "../../src/sources/streams.js";
import { ids, type SyncResult, syncFrom, unique } from "../helpers/sync.js";

/** Stream name → the simulator's object type. */
const OBJECTS: Record<string, string> = {
  contacts: "contacts",
  companies: "companies",
  deals: "deals",
  tickets: "tickets",
  products: "products",
  line_items: "line_items",
  goals: "goal_targets",
  leads: "leads",
  deal_splits: "deal_split",
  engagements_calls: "calls",
  engagements_emails: "emails",
  engagements_meetings: "meetings",
  engagements_notes: "notes",
  engagements_tasks: "tasks",
  cars: "p_cars",
  pets: "p_pets",
};

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, scale: "small", rateLimits: false });
});
afterAll(() => sim.close());

describe.each(["full_refresh", "incremental"] as const)("every CRM object stream, %s from scratch", (mode) => {
  let run: SyncResult;
  beforeAll(async () => {
    run = await syncFrom(sim, { streams: [...Object.keys(OBJECTS), "deals_archived"], mode });
  });

  it("completes every stream without errors", () => {
    expect(run.errors).toEqual([]);
    expect(run.summaries.map((s) => s.status)).toEqual(run.summaries.map(() => "complete"));
  });

  it.each(Object.entries(OBJECTS))("delivers every live %s record exactly once", (stream, type) => {
    const got = ids(run.sink.rows(stream));
    expect(unique(got).length).toBe(got.length);
    const want = Array.from({ length: sim.portal.count(type) }, (_, i) => sim.portal.idAt(type, i) as string);
    expect(got.sort()).toEqual(want.sort());
  });

  it("delivers the archived deals with their archivedAt", () => {
    const rows = run.sink.rows("deals_archived");
    expect(rows.length).toBe(sim.portal.count("deals", true));
    for (const r of rows) {
      expect(r.archived).toBe(true);
      expect(typeof r.archivedAt).toBe("string");
    }
  });

  it("copies each property to a top-level properties_ column and casts by declared type", () => {
    const contact = run.sink.rows("contacts")[0] as Record<string, unknown>;
    const props = contact.properties as Record<string, unknown>;
    expect(Object.keys(props).length).toBeGreaterThan(40);
    for (const [k, v] of Object.entries(props)) expect(contact[`properties_${k}`]).toEqual(v);
    const numeric = run.sink.rows("contacts").map((r) => (r.properties as Record<string, unknown>).annualrevenue);
    expect(numeric.some((v) => typeof v === "number")).toBe(true);
    expect(numeric.every((v) => v === null || typeof v === "number")).toBe(true);
  });

  it("attaches associations as distinct id strings that match the portal", () => {
    for (const r of run.sink.rows("deals").slice(0, 30)) {
      for (const to of ["contacts", "companies", "line_items"]) {
        const got = r[to] as string[];
        expect(Array.isArray(got)).toBe(true);
        expect(unique(got).length).toBe(got.length);
        expect([...got].sort()).toEqual([...sim.portal.associations("deals", String(r.id), to)].sort());
      }
    }
  });

  it("checkpoints every stream at its end", () => {
    for (const s of Object.keys(OBJECTS)) expect(run.checkpoints.some((c) => c.stream === s)).toBe(true);
  });
});

describe("the stream table", () => {
  it("has unique snake_case names, a primary key and scopes declared", () => {
    const names = STREAMS.map((s) => s.name);
    expect(unique(names)).toEqual(names);
    for (const s of STREAMS) {
      expect(s.name).toMatch(/^[a-z][a-z0-9_]*$/);
      // subscription_changes: timeline entries have no identity; the reference declares no key either.
      if (s.name !== "subscription_changes") expect(s.primaryKey.length).toBeGreaterThan(0);
      expect(Array.isArray(s.scopes)).toBe(true);
      if (s.incremental) expect(s.cursorField).toBeTruthy();
    }
  });
});
