/**
 * Per-stream traffic: `forStream(name)` views share the transport's budgets, sockets and totals and count their
 * own requests, 429s and retries; the pipeline reads each stream through its own view.
 */
import { firstValueFrom } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { Auth } from "../../src/sources/auth.js";
import { Transport } from "../../src/sources/transport.js";
import { fastForwardScheduler, type ScriptedServer, scriptedServer } from "../helpers/scripted-server.js";
import { syncFrom } from "../helpers/sync.js";

let server: ScriptedServer | undefined;
let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await server?.close();
  await sim?.close();
  server = undefined;
  sim = undefined;
});

describe("forStream", () => {
  it("counts each stream's requests, 429s and retries, and adds them to the totals", async () => {
    let n = 0;
    server = await scriptedServer((req) => {
      n++;
      if (req.url.startsWith("/crm/v3/owners") && n === 2) return { status: 429, body: { message: "secondly" } };
      return { body: { results: [] } };
    });
    const root = new Transport({
      baseUrl: server.url,
      auth: new Auth({ kind: "private-app", accessToken: "tok" }, async () => ({ status: 500, body: undefined })),
      requestsPer10s: 1_000,
      searchPerSecond: 100,
      timeoutMs: 5_000,
      random: () => 0,
      scheduler: fastForwardScheduler(),
    });
    const contacts = root.forStream("contacts");
    const owners = root.forStream("owners");
    await firstValueFrom(contacts.request({ method: "GET", path: "/crm/v3/objects/contacts", budget: "standard" }));
    await firstValueFrom(owners.request({ method: "GET", path: "/crm/v3/owners", budget: "standard" }));
    await firstValueFrom(root.request({ method: "GET", path: "/crm/v3/schemas", budget: "standard" }));

    const stats = owners.stats();
    expect(stats.byStream).toEqual({
      contacts: { requests: 1, rateLimited: 0, retries: 0 },
      owners: { requests: 2, rateLimited: 1, retries: 1 },
    });
    expect([stats.requests, stats.rateLimited, stats.retries]).toEqual([4, 1, 1]);
    expect(contacts.budgets).toBe(root.budgets);
    root.close();
  });

  it("shows every synced stream's requests and 429s in the stats of a sync", async () => {
    sim = await startSimulator({
      seed: 7,
      scale: "small",
      rateLimits: false,
      faults: [{ route: "/crm/v3/owners", kind: "429", nth: [1] }],
    });
    const result = await syncFrom(sim, { streams: ["contacts", "owners"], mode: "full_refresh" });
    expect(result.summaries.map((s) => s.status)).toEqual(["complete", "complete"]);
    const { byStream } = result.stats;
    expect(Object.keys(byStream).sort()).toEqual(["contacts", "owners"]);
    expect(byStream.contacts?.requests).toBeGreaterThan(0);
    expect(byStream.owners?.rateLimited).toBe(1);
    expect(byStream.owners?.retries).toBe(1);
    const perStream = Object.values(byStream).reduce((sum, t) => sum + t.requests, 0);
    expect(perStream).toBeLessThanOrEqual(result.stats.requests);
  });
});
