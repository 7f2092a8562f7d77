import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { syncFrom } from "../helpers/sync.js";

let sim: SimulatorHandle;
let proxy: Server;
let proxied: SimulatorHandle;

/** A HubSpot-compatible API without v3 pipelines, workflows or product search: 404 there, the simulator elsewhere. */
beforeAll(async () => {
  sim = await startSimulator({ seed: 51, scale: "small", rateLimits: false });
  const target = new URL(sim.url);
  proxy = createServer((req, res) => {
    const absent = ["/crm/v3/pipelines/", "/automation/v3/workflows", "/crm/v3/objects/products/search"];
    if (absent.some((p) => req.url?.startsWith(p))) {
      res.writeHead(404, { "content-type": "application/json;charset=utf-8" });
      res.end(
        JSON.stringify({ status: "error", message: "Not found", category: "OBJECT_NOT_FOUND", correlationId: "x" }),
      );
      return;
    }
    const up = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxied = { ...sim, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
});
afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  await sim.close();
});

describe("pipelines", () => {
  it("reads the v1 CRM Pipelines API when v3 answers 404, with the same primary keys", async () => {
    const viaV3 = await syncFrom(sim, { streams: ["deal_pipelines", "ticket_pipelines"] });
    const viaV1 = await syncFrom(proxied, { streams: ["deal_pipelines", "ticket_pipelines"] });
    expect(viaV1.errors).toEqual([]);
    for (const [stream, key] of [
      ["deal_pipelines", "pipelineId"],
      ["ticket_pipelines", "id"],
    ] as const) {
      const v3 = viaV3.sink.rows(stream).map((r) => String(r[key]));
      const v1 = viaV1.sink.rows(stream).map((r) => String(r[key]));
      expect(v3.length).toBeGreaterThan(0);
      expect(v1.sort()).toEqual(v3.sort());
    }
    expect(viaV1.logs.some((l) => l.includes("/crm-pipelines/v1/pipelines/deals"))).toBe(true);
  });
});

describe("an API the account does not have", () => {
  it("skips the stream with a warning when its first request answers 404, and syncs the others", async () => {
    const run = await syncFrom(proxied, { streams: ["workflows", "owners"] });
    expect(run.errors).toEqual([]);
    expect(run.summaries.find((s) => s.stream === "workflows")?.status).toBe("skipped");
    expect(run.summaries.find((s) => s.stream === "owners")?.status).toBe("complete");
    expect(run.logs.some((l) => l.startsWith("warn") && l.includes("workflows"))).toBe(true);
  });
});

describe("an object without search", () => {
  it("reads it incrementally through the list endpoint, filtering on updatedAt, losing nothing", async () => {
    const first = await syncFrom(proxied, { streams: ["products"] });
    expect(first.errors).toEqual([]);
    const live = Array.from(
      { length: sim.portal.count("products") },
      (_, i) => sim.portal.idAt("products", i) as string,
    );
    expect(
      first.sink
        .rows("products")
        .map((r) => String(r.id))
        .sort(),
    ).toEqual(live.sort());
    expect(first.logs.some((l) => l.includes("search is not available"))).toBe(true);

    sim.portal.advance(60_000);
    const changed = live[7] as string;
    sim.portal.update("products", changed, { name: "Renamed" });
    const second = await syncFrom(proxied, { streams: ["products"], state: first.states });
    const got = second.sink.rows("products").map((r) => String(r.id));
    expect(got).toContain(changed);
    expect(got.length).toBeLessThanOrEqual(2);
  });
});
