import { BehaviorSubject, concatMap, defer, filter, lastValueFrom, take, toArray } from "rxjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { parseFaults, type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { HubSpotSource } from "../../src/source.js";
import { crmReadTuning } from "../../src/sources/crm/backfill.js";
import type { Page } from "../../src/sources/page.js";
import { readStream } from "../../src/sources/read-stream.js";
import { STREAMS } from "../../src/sources/streams.js";
import { ids, syncFrom, unique } from "../helpers/sync.js";

const liveIds = (sim: SimulatorHandle, type: string) =>
  Array.from({ length: sim.portal.count(type) }, (_, i) => sim.portal.idAt(type, i) as string).sort();

/** Successful list-endpoint calls (the simulator counts per route pattern, all object types together). */
const listRequests = (sim: SimulatorHandle) =>
  sim
    .stats()
    .routes.filter((r) => r.route === "GET /crm/v3/objects/:type" && r.status === 200)
    .reduce((n, r) => n + r.requests, 0);

const saved = crmReadTuning.listChainsPerStream;
afterEach(() => {
  crmReadTuning.listChainsPerStream = saved;
});

describe("full list read split over id ranges", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 41,
      scale: "small",
      counts: { contacts: 2_500, companies: 700 },
      rateLimits: false,
      faults: parseFaults("500:0.05,reset:0.05,429:0.05,truncated-body:0.03"),
    });
    // Gaps in the id line: a pager's range may start or end inside one, or hold nothing at all.
    const archived = liveIds(sim, "contacts").slice(300, 700);
    for (const id of archived) sim.portal.archive("contacts", id);
    for (let i = 0; i < 30; i++) sim.portal.create("contacts", { email: `late${i}@example.com` });
  });
  afterAll(() => sim.close());

  it.each([2, 4, 6])("delivers every live record exactly once with %i pagers and faults on", async (chains) => {
    crmReadTuning.listChainsPerStream = chains;
    const before = sim.stats().faults;
    const run = await syncFrom(sim, {
      streams: ["contacts", "companies"],
      mode: "full_refresh",
      config: { request_timeout_seconds: 5 },
    });
    expect(run.errors).toEqual([]);
    for (const [stream, type] of [
      ["contacts", "contacts"],
      ["companies", "companies"],
    ] as const) {
      const got = ids(run.sink.rows(stream));
      expect(unique(got).length).toBe(got.length);
      expect(got.sort()).toEqual(liveIds(sim, type));
    }
    expect(sim.stats().faults).toBeGreaterThan(before);
  });

  it("runs more than one pager (the search probe found the top id)", async () => {
    crmReadTuning.listChainsPerStream = 4;
    const clean = await startSimulator({ seed: 42, scale: "small", counts: { contacts: 3_000 }, rateLimits: false });
    try {
      const run = await syncFrom(clean, { streams: ["contacts"], mode: "full_refresh" });
      const probes = clean
        .stats()
        .routes.filter((r) => r.route.endsWith("/search"))
        .reduce((n, r) => n + r.requests, 0);
      expect(probes).toBe(2);
      expect(ids(run.sink.rows("contacts")).sort()).toEqual(liveIds(clean, "contacts"));
      // 30 pages' worth of records. A range is split only when it holds ≥ 4 pages, so each range keeps ≥ 2 and
      // there are at most 15; each boundary costs at most one short page.
      expect(listRequests(clean)).toBeGreaterThan(30);
      expect(listRequests(clean)).toBeLessThanOrEqual(30 + 15);
    } finally {
      await clean.close();
    }
  });

  it("keeps one pager, so one page in flight, when the sink is slower than the network", async () => {
    crmReadTuning.listChainsPerStream = 3;
    const clean = await startSimulator({ seed: 43, scale: "small", counts: { contacts: 1_200 }, rateLimits: false });
    const { config } = parseConfig({
      credentials: { access_token: clean.credentials.privateAppToken },
      base_url: clean.url,
      requests_per_10s: 100_000,
    });
    const source = new HubSpotSource(config, { log: () => {} });
    try {
      const def = STREAMS.find((s) => s.name === "contacts");
      if (def?.source.kind !== "crm-object") throw new Error("contacts is a CRM stream");
      const written = new BehaviorSubject(0);
      const ready = (n: number) =>
        written.pipe(
          filter((w) => w >= n),
          take(1),
        );
      const pages = readStream(
        def,
        {
          transport: source.transport,
          properties: source.properties,
          syncMode: "full_refresh",
          startDate: 0,
          lookbackMs: 0,
          warn: () => {},
        },
        ready,
      );
      let maxAhead = 0;
      const got = await lastValueFrom(
        pages.pipe(
          concatMap((page: Page) =>
            defer(async () => {
              await new Promise((r) => setTimeout(r, 250)); // far slower than a local page fetch
              const { standard, search } = source.transport.stats().byBudget;
              const requested = standard - 1 + search - 2; // minus the properties call and the two probes
              maxAhead = Math.max(maxAhead, requested - written.value);
              written.next(written.value + 1);
              return page.records;
            }),
          ),
          toArray(),
        ),
      );
      const all = got.flat().map((r) => String(r.id));
      expect(all.sort()).toEqual(liveIds(clean, "contacts"));
      expect(maxAhead).toBeLessThanOrEqual(1);
    } finally {
      source.close();
      await clean.close();
    }
  });

  it("splits a list whose cursors are base64, as HubSpot's API reference shows them", async () => {
    crmReadTuning.listChainsPerStream = 4;
    const b64 = await startSimulator({
      seed: 45,
      scale: "small",
      counts: { contacts: 3_000 },
      rateLimits: false,
      listCursor: "base64",
    });
    try {
      const run = await syncFrom(b64, { streams: ["contacts"], mode: "full_refresh" });
      expect(run.errors).toEqual([]);
      const got = ids(run.sink.rows("contacts"));
      expect(unique(got).length).toBe(got.length);
      expect(got.sort()).toEqual(liveIds(b64, "contacts"));
      // More than the one pager's 30 list requests: pagers started at ids of their choosing, as cursors of that form.
      expect(listRequests(b64)).toBeGreaterThan(30);
      expect(b64.stats().routes.filter((r) => r.status === 400)).toEqual([]);
    } finally {
      await b64.close();
    }
  });

  it("reads in one pager when asked to", async () => {
    crmReadTuning.listChainsPerStream = 1;
    const clean = await startSimulator({ seed: 44, scale: "small", counts: { contacts: 1_000 }, rateLimits: false });
    try {
      const run = await syncFrom(clean, { streams: ["contacts"], mode: "full_refresh" });
      expect(ids(run.sink.rows("contacts")).sort()).toEqual(liveIds(clean, "contacts"));
      expect(listRequests(clean)).toBe(10);
    } finally {
      await clean.close();
    }
  });
});
