import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cursorMillis } from "../../src/operators/filter-by-cursor.js";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { syncFrom } from "../helpers/sync.js";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({
    seed: 41,
    counts: { contacts: 2_000 },
    scale: "small",
    rateLimits: false,
    now: Date.now(),
  });
});
afterAll(() => sim.close());

describe("the final checkpoint of a stream", () => {
  it.each([
    ["contacts (CRM back-fill)", "contacts", "updatedAt"],
    ["owners (client-side)", "owners", "updatedAt"],
  ])("%s: is the newest state of the run even when its last page already checkpointed", async (_n, stream, field) => {
    const run = await syncFrom(sim, { streams: [stream], checkpointEveryRecords: 1 });
    expect(run.errors).toEqual([]);
    const states = run.checkpoints.filter((c) => c.stream === stream).map((c) => c.state);
    expect(states.length).toBeGreaterThan(1);
    const withCursor = states.filter((s) => s[field] !== undefined);
    expect(states.at(-1)).toEqual(withCursor.at(-1));
    const rows = run.sink.rows(stream);
    const newest = Math.max(...rows.map((r) => cursorMillis(r[field]) as number));
    expect(cursorMillis(states.at(-1)?.[field])).toBeGreaterThanOrEqual(newest);
  });
});
