import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { syncFrom } from "../helpers/sync.js";

let sim: SimulatorHandle;
let proxy: Server;
let proxied: SimulatorHandle;

/** A HubSpot that does not serve the v3 Pipelines API nor workflows: 404 there, the simulator elsewhere. */
beforeAll(async () => {
  sim = await startSimulator({ seed: 51, scale: "small", rateLimits: false });
  const target = new URL(sim.url);
  proxy = createServer((req, res) => {
    if (req.url?.startsWith("/crm/v3/pipelines/") || req.url?.startsWith("/automation/v3/workflows")) {
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
