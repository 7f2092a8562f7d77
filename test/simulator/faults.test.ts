import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type FaultKind, parseFaults } from "../../src/simulator/index.js";
import { responseDelayMs } from "../../src/simulator/server.js";
import { startTestSim, type TestSim } from "./sim-helpers.js";

/** Raw GET that reports what arrived even when the connection dies. */
function rawGet(sim: TestSim, path: string): Promise<{ status?: number; type?: string; body: string; error?: string }> {
  const url = new URL(sim.url);
  return new Promise((resolve) => {
    let status: number | undefined;
    let type: string | undefined;
    let body = "";
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        headers: { authorization: `Bearer ${sim.credentials.privateAppToken}` },
      },
      (res) => {
        status = res.statusCode;
        type = res.headers["content-type"];
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status, type, body }));
        res.on("error", (e) => resolve({ status, type, body, error: e.message }));
        res.on("aborted", () => resolve({ status, type, body, error: "aborted" }));
      },
    );
    req.on("error", (e) => resolve({ status, type, body, error: e.message }));
    req.end();
  });
}

describe("fault injection", () => {
  let sim: TestSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  const withFault = async (kind: FaultKind, delayMs?: number) => {
    sim = await startTestSim({ faults: [{ route: "/crm/v3/objects/:type", kind, nth: [2], delayMs }] });
    const ok = await rawGet(sim, "/crm/v3/objects/contacts?limit=5");
    expect(ok.status).toBe(200);
    return rawGet(sim, "/crm/v3/objects/contacts?limit=5");
  };

  it.each([
    ["500", 500, "application/json;charset=utf-8"],
    ["503", 503, "application/json;charset=utf-8"],
    ["502", 502, "text/html"],
    ["504", 504, "text/html"],
    ["html", 200, "text/html"],
  ] as const)("%s fails the scripted request with status %i (%s)", async (kind, status, type) => {
    const r = await withFault(kind);
    expect(r.status).toBe(status);
    expect(r.type).toBe(type);
  });

  it("429 fault uses the ten-secondly body", async () => {
    const r = await withFault("429");
    expect(r.status).toBe(429);
    expect(JSON.parse(r.body).policyName).toBe("TEN_SECONDLY_ROLLING");
  });

  it("reset drops the connection without a response", async () => {
    const r = await withFault("reset");
    expect(r.status).toBeUndefined();
    expect(r.error).toBeDefined();
  });

  it("truncated-body sends half the promised bytes, then dies", async () => {
    const r = await withFault("truncated-body");
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
    expect(() => JSON.parse(r.body)).toThrow();
  });

  it("invalid-json answers 200 with a body that does not parse", async () => {
    const r = await withFault("invalid-json");
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.body)).toThrow();
  });

  it.each(["slow-headers", "slow-body"] as const)("%s still delivers a complete body", async (kind) => {
    const r = await withFault(kind, 50);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).results).toHaveLength(5);
  });

  it("does not touch other routes, and draws probabilistic faults deterministically from the seed", async () => {
    const run = async () => {
      const s = await startTestSim({ seed: 4, faults: [{ route: "/crm/v3/owners", kind: "500", probability: 0.5 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await rawGet(s, "/crm/v3/owners?limit=1")).status!);
      const other = (await rawGet(s, "/crm/v3/objects/deals?limit=1")).status;
      await s.close();
      return { statuses, other };
    };
    const a = await run();
    const b = await run();
    expect(a.statuses).toEqual(b.statuses);
    expect(a.statuses).toContain(500);
    expect(a.statuses).toContain(200);
    expect(a.other).toBe(200);
  });

  it("parses the CLI fault string", () => {
    expect(parseFaults("429:0.01,reset:0.005,500@/crm/v3/objects/contacts:0.02,503#2#5")).toEqual([
      { kind: "429", probability: 0.01 },
      { kind: "reset", probability: 0.005 },
      { kind: "500", route: "/crm/v3/objects/contacts", probability: 0.02 },
      { kind: "503", nth: [2, 5] },
    ]);
    expect(() => parseFaults("boom:0.1")).toThrow(/invalid fault/);
    expect(() => parseFaults("500:2")).toThrow();
    expect(parseFaults("")).toEqual([]);
  });
});

describe("responseDelayMs", () => {
  it.each([
    [undefined, "standard", 3, 0.5, 0],
    [[50, 150], "standard", 3, 0.5, 100],
    [[50, 150], "search", 3, 0.5, 300],
    [[50, 150], "search", 1, 0, 50],
    [[50, 150], "exempt", 3, 0, 50],
    [[0, 0], "search", 3, 0.5, 0],
  ] as const)("range %j for a %s response, factor %d, u %d → %d ms", (range, cls, factor, u, ms) => {
    expect(responseDelayMs(range as [number, number] | undefined, cls, factor, u)).toBe(ms);
  });
});
