import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAll, startTestSim, type TestSim } from "./sim-helpers.js";

interface Rec {
  id: string;
  updatedAt: string;
  properties: Record<string, string | null>;
}

describe("mutations seen through the API", () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ seed: 13 });
  });
  afterAll(() => sim.close());

  it("lists a created record last, drops an archived one, and serves it under archived=true", async () => {
    const before = await listAll(sim, "/crm/v3/objects/deals?limit=100");
    const created = sim.portal.create("deals", { dealname: "Brand new", amount: "10" });
    const victim = before.results[3]!.id;
    sim.portal.archive("deals", victim);
    const after = await listAll(sim, "/crm/v3/objects/deals?limit=100&properties=dealname");
    const ids = after.results.map((r) => r.id);
    expect(ids.at(-1)).toBe(created.id);
    expect(ids).not.toContain(victim);
    expect(ids.length).toBe(before.results.length);
    expect(after.results.at(-1)!.properties.dealname).toBe("Brand new");
    const archived = await listAll(sim, "/crm/v3/objects/deals?limit=100&archived=true");
    expect(archived.results.map((r) => r.id)).toContain(victim);
    expect(sim.portal.count("deals", true)).toBe(archived.results.length);
  });

  it("sorts an updated record first by lastmodifieddate DESC and keeps its history newest first", async () => {
    const id = sim.portal.idAt("contacts", 42)!;
    sim.portal.advance(1000);
    sim.portal.update("contacts", id, { lifecyclestage: "evangelist" });
    const res = await sim.post("/crm/v3/objects/contacts/search", {
      sorts: [{ propertyName: "lastmodifieddate", direction: "DESCENDING" }],
      limit: 3,
    });
    const body = (await res.json()) as { results: Rec[] };
    expect(body.results[0]!.id).toBe(id);
    expect(Date.parse(body.results[0]!.updatedAt)).toBe(sim.portal.now());
    const asc = (await (
      await sim.post("/crm/v3/objects/contacts/search", { sorts: ["lastmodifieddate"], limit: 200, after: "0" })
    ).json()) as { results: Rec[] };
    const times = asc.results.map((r) => Date.parse(r.updatedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const hist = (await (
      await sim.get(`/crm/v3/objects/contacts/${id}?propertiesWithHistory=lifecyclestage`)
    ).json()) as {
      propertiesWithHistory: { lifecyclestage: { value: string; sourceType: string }[] };
    };
    expect(hist.propertiesWithHistory.lifecyclestage[0]).toMatchObject({ value: "evangelist", sourceType: "API" });
  });

  it("omits the daily headers for OAuth callers", async () => {
    const { clientId, clientSecret, refreshToken } = sim.credentials.oauth;
    const tok = (await (
      await fetch(`${sim.url}/oauth/v1/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: clientId,
          client_secret: clientSecret,
          refresh_token: refreshToken,
        }),
      })
    ).json()) as { access_token: string };
    const res = await sim.get("/crm/v3/objects/contacts?limit=1", tok.access_token);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-hubspot-ratelimit-daily")).toBeNull();
    expect(res.headers.get("x-hubspot-ratelimit-max")).toBe("100");
  });

  it("counts requests and bytes per route and status in stats and /__sim/stats", async () => {
    await sim.get("/crm/v3/objects/tickets?limit=2");
    await sim.get("/crm/v3/objects/tickets/1");
    const s = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as ReturnType<TestSim["stats"]>;
    const ok = s.routes.find((r) => r.route === "GET /crm/v3/objects/:type" && r.status === 200)!;
    expect(ok.requests).toBeGreaterThan(0);
    expect(ok.bytes).toBeGreaterThan(0);
    expect(s.routes.some((r) => r.route === "GET /crm/v3/objects/:type/:id" && r.status === 404)).toBe(true);
    expect(sim.stats().totalRequests).toBeGreaterThanOrEqual(s.totalRequests);
  });
});
