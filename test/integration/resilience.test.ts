import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { parseFaults, type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { HubSpotSource } from "../../src/source.js";
import { ids, syncFrom, unique } from "../helpers/sync.js";

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const liveIds = (s: SimulatorHandle, type: string) =>
  Array.from({ length: s.portal.count(type) }, (_, i) => s.portal.idAt(type, i) as string).sort();

describe("wide property lists", () => {
  it("splits the property list so no request exceeds HubSpot's URL limit, and merges the chunks by id", async () => {
    sim = await startSimulator({ seed: 21, scale: "small", rateLimits: false, propertiesPerObject: 1_500 });
    const run = await syncFrom(sim, { streams: ["contacts"], mode: "full_refresh" });
    expect(run.errors).toEqual([]);
    expect(sim.stats().routes.filter((r) => r.status === 414)).toEqual([]);
    const rows = run.sink.rows("contacts");
    expect(ids(rows).sort()).toEqual(liveIds(sim, "contacts"));
    const declared = await fetchPropertyNames(sim, "contacts");
    expect(declared.length).toBeGreaterThan(1_500);
    // Every declared property, merged from every chunk (plus the legacy names of renamed ones).
    for (const r of rows.slice(0, 5))
      expect(Object.keys(r.properties as object)).toEqual(expect.arrayContaining(declared));
    const listCalls = sim.stats().routes.filter((r) => r.route.includes("/crm/v3/objects/") && r.status === 200);
    expect(listCalls.reduce((n, r) => n + r.requests, 0)).toBeGreaterThan(Math.ceil(rows.length / 100));
  });
});

async function fetchPropertyNames(s: SimulatorHandle, type: string): Promise<string[]> {
  const res = await fetch(`${s.url}/crm/v3/properties/${type}`, {
    headers: { authorization: `Bearer ${s.credentials.privateAppToken}` },
  });
  const body = (await res.json()) as { results: { name: string }[] };
  return body.results.map((p) => p.name);
}

describe("OAuth", () => {
  it("refreshes an access token that expires mid-stream and retries the request once", async () => {
    sim = await startSimulator({ seed: 22, scale: "small", rateLimits: false, oauth: { rotateRefreshToken: true } });
    const s = sim;
    const { clientId, clientSecret, refreshToken } = s.credentials.oauth;
    const credentials = { client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken };
    // Expire every access token three times while the sync runs, as HubSpot's 30-minute tokens do on long syncs.
    const marks = [8, 20, 40];
    const watcher = setInterval(() => {
      if (marks.length && s.stats().totalRequests >= (marks[0] as number)) {
        marks.shift();
        s.expireAccessTokens();
      }
    }, 1);
    let requests = 0;
    try {
      const run = await syncFrom(s, { streams: ["contacts", "companies", "deals"], credentials, mode: "full_refresh" });
      requests = run.stats.requests;
      expect(run.errors).toEqual([]);
      expect(ids(run.sink.rows("contacts")).sort()).toEqual(liveIds(s, "contacts"));
      expect(run.rotated.length).toBeGreaterThan(1);
      expect(run.rotated.at(-1)).toBe(s.currentRefreshToken());
    } finally {
      clearInterval(watcher);
    }
    expect(marks.length).toBeLessThan(3);
    expect(requests).toBeGreaterThan(8);
    expect(s.stats().routes.some((r) => r.status === 401)).toBe(true);
  });

  it("fails with a config error when the refresh token is rejected", async () => {
    sim = await startSimulator({ seed: 23, scale: "small", rateLimits: false });
    const { clientId, clientSecret } = sim.credentials.oauth;
    const run = syncFrom(sim, {
      streams: ["contacts"],
      credentials: { client_id: clientId, client_secret: clientSecret, refresh_token: "not-a-real-token" },
    });
    await expect(run).rejects.toMatchObject({ kind: "config" });
  });
});

describe("a private app token", () => {
  it("fails at once with a config error asking for a new token when HubSpot answers 401", async () => {
    sim = await startSimulator({ seed: 24, scale: "small", rateLimits: false });
    const run = syncFrom(sim, { streams: ["contacts"], credentials: { access_token: "pat-na1-revoked" } });
    await expect(run).rejects.toMatchObject({ kind: "config", message: expect.stringContaining("new token") });
    expect(
      sim
        .stats()
        .routes.filter((r) => r.status === 401)
        .reduce((n, r) => n + r.requests, 0),
    ).toBe(1);
  });

  it("skips a stream whose scope is missing, naming the stream and the scope, and syncs the others", async () => {
    sim = await startSimulator({ seed: 25, scale: "small", rateLimits: false });
    const token = sim.issueToken(["crm.objects.contacts.read", "crm.objects.companies.read"]);
    const run = await syncFrom(sim, {
      streams: ["contacts", "tickets", "companies"],
      credentials: { access_token: token },
    });
    expect(run.errors).toEqual([]);
    const tickets = run.summaries.find((s) => s.stream === "tickets");
    expect(tickets?.status).toBe("skipped");
    expect(run.logs.some((l) => l.includes("tickets") && l.includes("tickets") && /scope/.test(l))).toBe(true);
    expect(ids(run.sink.rows("contacts")).sort()).toEqual(liveIds(sim, "contacts"));
    expect(run.sink.rows("tickets")).toEqual([]);
  });

  it("skips a stream on 403 MISSING_SCOPES even when the token's scopes could not be learned", async () => {
    sim = await startSimulator({
      seed: 26,
      scale: "small",
      rateLimits: false,
      faults: parseFaults("500@/oauth/v2/private-apps/get/access-token-info:1"),
    });
    const token = sim.issueToken(["crm.objects.contacts.read"]);
    const run = await syncFrom(sim, { streams: ["contacts", "owners"], credentials: { access_token: token } });
    expect(run.summaries.find((s) => s.stream === "owners")?.status).toBe("skipped");
    expect(run.summaries.find((s) => s.stream === "contacts")?.status).toBe("complete");
    expect(run.logs.some((l) => l.includes("owners") && l.includes("crm.objects.owners.read"))).toBe(true);
  });
});

describe("faults", () => {
  it.each([
    ["429:0.15"],
    ["500:0.1,502:0.05,503:0.05,504:0.05"],
    ["reset:0.2"],
    ["truncated-body:0.1"],
    ["invalid-json:0.1"],
    ["html:0.1"],
  ])("delivers every record exactly once despite %s", async (faults) => {
    sim = await startSimulator({ seed: 27, scale: "small", rateLimits: false, faults: parseFaults(faults) });
    const streams = ["contacts", "deals", "companies", "tickets", "line_items"];
    const run = await syncFrom(sim, { streams, config: { request_timeout_seconds: 5 } });
    expect(run.errors).toEqual([]);
    const got = ids(run.sink.rows("contacts"));
    expect(unique(got).length).toBe(got.length);
    expect(got.sort()).toEqual(liveIds(sim, "contacts"));
    expect(sim.stats().faults).toBeGreaterThan(0);
    expect(run.stats.retries).toBeGreaterThan(0);
  });
});

describe("check", () => {
  it("succeeds with good credentials and fails with a clear message on bad ones", async () => {
    sim = await startSimulator({ seed: 28, scale: "small", rateLimits: false });
    const good = new HubSpotSource(
      parseConfig({ credentials: { access_token: sim.credentials.privateAppToken }, base_url: sim.url }).config,
      { log: () => {} },
    );
    expect(await good.check()).toEqual({ ok: true });
    good.close();
    const bad = new HubSpotSource(parseConfig({ credentials: { access_token: "nope" }, base_url: sim.url }).config, {
      log: () => {},
    });
    const result = await bad.check();
    bad.close();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/401|token/);
  });
});
