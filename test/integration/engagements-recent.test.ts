import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAMS } from "../../src/sources/streams.js";
import type { Transport } from "../../src/sources/transport.js";
import { clockAt, readAll, readOptions } from "../helpers/fake-transport.js";
import { type StubServer, startStub, stubTransport } from "../helpers/stub-server.js";
import { FAKE_NOW, makeFakePortal } from "../simulator/routes/fake-portal.js";
import { call } from "../simulator/routes/harness.js";

const DAY = 86_400_000;
const engagements = STREAMS.find((s) => s.name === "engagements") as (typeof STREAMS)[number];

// The simulator's engagement routes over a fake portal whose 12,000 engagements all changed in the last 5 days
// (the full simulator slows down with thousands of edited records; these routes are the same code).
const portal = makeFakePortal({
  sizes: { calls: 2_400, emails: 2_400, meetings: 2_400, notes: 2_400, tasks: 2_400 },
  updatedWithinDays: 5,
});
let stub: StubServer;
let transport: Transport;
beforeAll(async () => {
  stub = await startStub((req) => call(portal, `${req.path}?${req.query}`).body);
  transport = stubTransport(stub);
});
afterAll(async () => {
  transport.close();
  await stub.close();
});

describe("engagements: more changes than the recent endpoint can return", () => {
  it("delivers all 12,000 engagements changed in 5 days after a 7-day-old state", async () => {
    const cursor = FAKE_NOW - 7 * DAY;
    const pages = await readAll(
      engagements,
      readOptions(transport, { syncMode: "incremental", state: { lastUpdated: cursor }, scheduler: clockAt(FAKE_NOW) }),
    );
    const ids = new Set(pages.flatMap((p) => p.records.map((r) => `${r.type}:${r.id}`)));
    expect(ids.size).toBe(12_000);
    // The recent endpoint said `total` 10,000 (its cap): not fewer, so the paged listing was read.
    expect(stub.requests.filter((r) => r.includes("/recent/modified"))).toHaveLength(1);
    expect(stub.requests.some((r) => r.includes("/engagements/paged"))).toBe(true);
    const newest = Math.max(...pages.flatMap((p) => p.records.map((r) => Number(r.lastUpdated))));
    expect(pages.at(-1)?.state).toEqual({ lastUpdated: newest });
  }, 60_000);
});
