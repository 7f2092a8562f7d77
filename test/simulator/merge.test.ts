import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listAll, startTestSim, type TestSim } from "./sim-helpers.js";

type Rec = { id: string; properties: Record<string, string | null>; updatedAt: string };

describe("merged records", () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim({ seed: 41, scale: "small" });
  });
  afterEach(() => sim.close());

  const liveIds = async (type: string, query = "") =>
    (await listAll(sim, `/crm/v3/objects/${type}?limit=100${query}`)).results.map((r) => r.id);
  const searchIds = async (type: string) => {
    const res = await sim.post(`/crm/v3/objects/${type}/search`, { limit: 200 });
    return ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
  };

  it.each(["contacts", "companies"])("%s: both originals vanish and one new record lists them", async (type) => {
    const [primary, secondary] = (await liveIds(type)).slice(3, 5) as [string, string];
    const at = sim.portal.now() + 60_000;
    const merged = sim.portal.merge(type, primary, secondary, at);

    expect(merged.id).not.toBe(primary);
    expect(merged.properties.hs_merged_object_ids?.split(";").sort()).toEqual([primary, secondary].sort());
    expect(merged.updatedAt).toBe(at);
    const live = await liveIds(type);
    expect(live).toContain(merged.id);
    expect(live).not.toContain(primary);
    expect(live).not.toContain(secondary);
    const archived = await liveIds(type, "&archived=true");
    expect(archived).not.toContain(primary);
    expect(archived).not.toContain(secondary);
    const searched = await searchIds(type);
    expect(searched).not.toContain(primary);
    expect(searched).not.toContain(secondary);
  });

  it("keeps the primary's values and fills its blanks from the merged-away record", async () => {
    const [primary, secondary] = (await liveIds("contacts")).slice(0, 2) as [string, string];
    sim.portal.update("contacts", primary, { firstname: "Prima", jobtitle: null });
    sim.portal.update("contacts", secondary, { firstname: "Secunda", jobtitle: "Engineer" });
    const merged = sim.portal.merge("contacts", primary, secondary);
    expect(merged.properties.firstname).toBe("Prima");
    expect(merged.properties.jobtitle).toBe("Engineer");
    expect(merged.properties.hs_object_id).toBe(merged.id);
  });

  it("answers GET and batch read of a merged-away id with the merged record", async () => {
    const [primary, secondary] = (await liveIds("companies")).slice(0, 2) as [string, string];
    const merged = sim.portal.merge("companies", primary, secondary);
    const one = (await (await sim.get(`/crm/v3/objects/companies/${secondary}`)).json()) as Rec;
    expect(one.id).toBe(merged.id);
    const batch = await sim.post("/crm/v3/objects/companies/batch/read", { inputs: [{ id: primary }], properties: [] });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { results: Rec[] }).results.map((r) => r.id)).toEqual([merged.id]);
  });

  it("accumulates merged ids when a merged record is merged again", async () => {
    const [a, b, c] = (await liveIds("contacts")).slice(0, 3) as [string, string, string];
    const first = sim.portal.merge("contacts", a, b);
    const second = sim.portal.merge("contacts", c, first.id);
    expect(second.properties.hs_merged_object_ids?.split(";").sort()).toEqual([a, b, c, first.id].sort());
    const viaOldest = (await (await sim.get(`/crm/v3/objects/contacts/${a}`)).json()) as Rec;
    expect(viaOldest.id).toBe(second.id);
  });

  it("keeps the primary's id when asked for HubSpot's pre-2024 behaviour, bumping its last-modified time", async () => {
    const [primary, secondary] = (await liveIds("contacts")).slice(0, 2) as [string, string];
    const at = sim.portal.now() + 5_000;
    const merged = sim.portal.merge("contacts", primary, secondary, at, { keepPrimaryId: true });
    expect(merged.id).toBe(primary);
    expect(merged.properties.hs_merged_object_ids).toBe(secondary);
    expect(merged.properties.lastmodifieddate).toBe(new Date(at).toISOString());
    const live = await liveIds("contacts");
    expect(live).toContain(primary);
    expect(live).not.toContain(secondary);
  });

  it("serves POST /crm/v3/objects/contacts/merge with HubSpot's body and answer", async () => {
    const [primary, secondary] = (await liveIds("contacts")).slice(0, 2) as [string, string];
    const res = await sim.post("/crm/v3/objects/contacts/merge", {
      primaryObjectId: primary,
      objectIdToMerge: secondary,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Rec;
    expect(body.properties.hs_object_id).toBe(body.id);
    expect(await liveIds("contacts")).toContain(body.id);
    expect(await liveIds("contacts")).not.toContain(primary);
  });

  it.each([
    [{ primaryObjectId: "1" }, 400],
    [{ primaryObjectId: "99999999999", objectIdToMerge: "99999999998" }, 404],
  ])("refuses merge body %j with %d", async (body, status) => {
    expect((await sim.post("/crm/v3/objects/contacts/merge", body)).status).toBe(status);
  });

  it("refuses the merge endpoint to a token without the write scope", async () => {
    const token = sim.issueToken(["crm.objects.contacts.read"]);
    const [primary, secondary] = (await liveIds("contacts")).slice(0, 2) as [string, string];
    const res = await sim.post(
      "/crm/v3/objects/contacts/merge",
      { primaryObjectId: primary, objectIdToMerge: secondary },
      token,
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { category: string }).category).toBe("MISSING_SCOPES");
  });
});
