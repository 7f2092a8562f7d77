import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSim, type TestSim } from "./sim-helpers.js";

describe("rate limits", () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ seed: 9, tier: "free", rateLimits: true });
  });
  afterAll(() => sim.close());

  it("sends all seven rate-limit headers on standard calls and only the daily pair on search", async () => {
    const res = await sim.get("/crm/v3/objects/contacts?limit=1");
    expect(res.headers.get("x-hubspot-ratelimit-max")).toBe("100");
    expect(res.headers.get("x-hubspot-ratelimit-secondly")).toBe("10");
    expect(res.headers.get("x-hubspot-ratelimit-interval-milliseconds")).toBe("10000");
    expect(res.headers.get("x-hubspot-ratelimit-daily")).toBe("250000");
    expect(res.headers.get("x-hubspot-ratelimit-remaining")).toBe("99");
    expect(res.headers.get("x-hubspot-ratelimit-secondly-remaining")).not.toBeNull();
    expect(res.headers.get("x-hubspot-ratelimit-daily-remaining")).not.toBeNull();
    expect(res.headers.get("content-type")).toBe("application/json;charset=utf-8");
    const s = await sim.post("/crm/v3/objects/contacts/search", {});
    expect(s.headers.get("x-hubspot-ratelimit-daily")).toBe("250000");
    expect(s.headers.get("x-hubspot-ratelimit-max")).toBeNull();
    expect(s.headers.get("x-hubspot-ratelimit-remaining")).toBeNull();
  });

  it("429s the 6th search within a second with the secondly body, without touching the 10-s bucket", async () => {
    await new Promise((r) => setTimeout(r, 1100));
    // Sent together so they land within one second even on a loaded machine.
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => sim.post("/crm/v3/objects/contacts/search", { limit: 1 })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = responses.find((r) => r.status === 429);
    for (const r of responses) if (r !== limited) await r.arrayBuffer();
    const body = (await limited!.json()) as Record<string, string>;
    expect(body).toEqual({
      status: "error",
      message: "You have reached your secondly limit.",
      correlationId: limited!.headers.get("x-hubspot-correlation-id"),
      category: "RATE_LIMITS",
    });
    const std = await sim.get("/crm/v3/objects/contacts?limit=1");
    expect(std.headers.get("x-hubspot-ratelimit-remaining")).toBe("98");
  });

  it("429s past the 10-second burst with policyName TEN_SECONDLY_ROLLING", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 100; i++) {
      last = await sim.get("/crm/v3/owners?limit=1");
      if (last.status === 429) break;
      await last.arrayBuffer();
    }
    expect(last!.status).toBe(429);
    const body = (await last!.json()) as Record<string, string>;
    expect(body.policyName).toBe("TEN_SECONDLY_ROLLING");
    expect(body.errorType).toBe("RATE_LIMIT");
    expect(last!.headers.get("x-hubspot-ratelimit-remaining")).toBe("0");
    const stats = sim.stats();
    expect(stats.rateLimited).toBeGreaterThanOrEqual(2);
    // Association batch reads are exempt from the ten-secondly bucket.
    const id = sim.portal.idAt("contacts", 0)!;
    expect(
      (await sim.post("/crm/v4/associations/contacts/companies/batch/read", { inputs: [{ id }] })).status,
    ).not.toBe(429);
  });
});

describe("daily limit and the simulated rate-limit clock", () => {
  it("429s with policyName DAILY once the daily budget is spent, Retry-After on only some 429s", async () => {
    const sim = await startTestSim({ seed: 31, rateLimits: true, limits: { daily: 5, burst: 1000 } });
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    let body: Record<string, string> | undefined;
    for (let i = 0; i < 25; i++) {
      const r = await sim.get("/crm/v3/objects/contacts?limit=1");
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter.push(r.headers.get("retry-after"));
        body = (await r.json()) as Record<string, string>;
      } else await r.arrayBuffer();
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(body).toMatchObject({
      message: "You have reached your daily limit.",
      errorType: "RATE_LIMIT",
      policyName: "DAILY",
    });
    expect(retryAfter.some((h) => h === null)).toBe(true);
    expect(retryAfter.some((h) => h !== null && Number(h) > 0)).toBe(true);
    const last = await sim.get("/crm/v3/objects/contacts?limit=1");
    expect(last.headers.get("x-hubspot-ratelimit-daily")).toBe("5");
    expect(last.headers.get("x-hubspot-ratelimit-daily-remaining")).toBe("0");
    await sim.close();
  });

  it("frees the 10-second window when the simulated clock advances", async () => {
    const sim = await startTestSim({ seed: 32, rateLimits: true, limits: { burst: 3 }, rateLimitClock: "simulated" });
    const codes = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = await sim.get("/crm/v3/owners?limit=1");
        out.push(r.status);
        await r.arrayBuffer();
      }
      return out;
    };
    expect(await codes(4)).toEqual([200, 200, 200, 429]);
    sim.portal.advance(10_001);
    expect(await codes(1)).toEqual([200]);
    await sim.close();
  });
});
