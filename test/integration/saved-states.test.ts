import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cursorMillis } from "../../src/operators/filter-by-cursor.js";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import type { StreamState } from "../../src/sources/page.js";
import { STREAMS } from "../../src/sources/streams.js";
import { type SyncResult, syncFrom } from "../helpers/sync.js";

// One stream of every reader: client-side filters, time windows, server since, recent-or-all, CRM search.
const STREAM_NAMES = [
  "owners",
  "forms",
  "workflows",
  "engagements",
  "campaigns",
  "email_events",
  "marketing_emails",
  "contacts",
];
const cursorOf = (name: string) => STREAMS.find((s) => s.name === name)?.cursorField as string;

let sim: SimulatorHandle;
let fresh: SyncResult;
beforeAll(async () => {
  sim = await startSimulator({
    seed: 31,
    scale: "small",
    rateLimits: false,
    limits: { burst: 1_000_000 },
    now: Date.now(),
  });
  fresh = await syncFrom(sim, { streams: STREAM_NAMES });
}, 120_000);
afterAll(() => sim.close());

describe.each([[""], [null], ["not-a-date"]])("saved cursors of %j", (cursor) => {
  let run: SyncResult;
  beforeAll(async () => {
    const states = new Map<string, StreamState>(STREAM_NAMES.map((n) => [n, { [cursorOf(n)]: cursor }]));
    run = await syncFrom(sim, { streams: STREAM_NAMES, state: states });
  }, 120_000);

  it("count as no cursor: every stream completes and reads what a first sync reads", () => {
    expect(run.errors).toEqual([]);
    expect(run.summaries.every((s) => s.status === "complete")).toBe(true);
    for (const name of STREAM_NAMES) expect(run.sink.rows(name).length).toBe(fresh.sink.rows(name).length);
  });

  it.each(STREAM_NAMES)("%s: one warning naming the stream, and a usable cursor saved", (name) => {
    const warnings = run.logs.filter((l) => l.startsWith(`warn: ${name}: the saved cursor`));
    expect(warnings).toHaveLength(1);
    // The newest record seen, or for time windows the run's start: never older than the first sync's.
    const saved = cursorMillis(run.states.get(name)?.[cursorOf(name)]);
    expect(saved).toBeGreaterThanOrEqual(cursorMillis(fresh.states.get(name)?.[cursorOf(name)]) as number);
  });
});
