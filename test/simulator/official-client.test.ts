import { Client } from "@hubspot/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSim, type TestSim } from "./sim-helpers.js";

describe("simulator driven by the official @hubspot/api-client", () => {
  let sim: TestSim;
  let client: Client;

  beforeAll(async () => {
    sim = await startTestSim({ seed: 3 });
    // No retries: a simulator bug must surface as a failure, not be retried away. Limiter relaxed for speed.
    client = new Client({
      accessToken: sim.credentials.privateAppToken,
      basePath: sim.url,
      numberOfApiCallRetries: 0,
      limiterOptions: { minTime: 0, maxConcurrent: 4 },
    });
  });
  afterAll(() => sim.close());

  it("pages through contacts, companies and deals with getAll and gets every live record", async () => {
    const contacts = await client.crm.contacts.getAll(100);
    const companies = await client.crm.companies.getAll(100);
    const deals = await client.crm.deals.getAll(100, undefined, ["dealname", "amount"]);
    expect(contacts.length).toBe(sim.portal.count("contacts"));
    expect(companies.length).toBe(sim.portal.count("companies"));
    expect(deals.length).toBe(sim.portal.count("deals"));
    expect(new Set(contacts.map((c) => c.id)).size).toBe(contacts.length);
    expect(contacts[0]!.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(contacts[0]!.updatedAt.getTime())).toBe(false);
    expect(Object.keys(deals[0]!.properties)).toContain("dealname");
  });

  it("reads archived deals only when archived=true", async () => {
    const archived = await client.crm.deals.getAll(100, undefined, undefined, undefined, undefined, true);
    expect(archived.length).toBe(sim.portal.count("deals", true));
    expect(archived.length).toBeGreaterThan(0);
    expect(archived.every((d) => d.archived && d.archivedAt instanceof Date)).toBe(true);
  });

  it("searches contacts with doSearch and reports the full total", async () => {
    const sevenYearsAgo = String(Date.parse("2019-01-01T00:00:00Z"));
    const res = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: "lastmodifieddate", operator: "GTE" as never, value: sevenYearsAgo }] },
      ],
      sorts: ["hs_object_id"],
      properties: ["email", "firstname"],
      limit: 50,
      after: "0",
    });
    expect(res.total).toBe(sim.portal.count("contacts"));
    expect(res.results.length).toBe(50);
    expect(res.paging?.next?.after).toBe("50");
    const ids = res.results.map((r) => Number(r.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("reads property definitions, owners and pipelines", async () => {
    const props = await client.crm.properties.coreApi.getAll("contacts");
    expect(props.results.map((p) => p.name)).toEqual(
      expect.arrayContaining(["email", "lastmodifieddate", "hs_object_id"]),
    );
    const custom = props.results.find((p) => !p.hubspotDefined);
    expect(custom?.createdAt).toBeInstanceOf(Date);
    const owners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 500, false);
    expect(owners.results.length).toBe(sim.portal.ownerList(false).length);
    const archivedOwners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 500, true);
    expect(archivedOwners.results.every((o) => o.archived)).toBe(true);
    expect(archivedOwners.results.length).toBe(sim.portal.ownerList(true).length);
    const pipelines = await client.crm.pipelines.pipelinesApi.getAll("deals");
    expect(pipelines.results[0]!.id).toBe("default");
    expect(pipelines.results[0]!.createdAt.getTime()).toBe(0);
    expect(pipelines.results[0]!.stages.length).toBeGreaterThan(3);
  });

  it("batch-reads contacts and v4 associations", async () => {
    const ids = [0, 1, 2].map((k) => sim.portal.idAt("contacts", k)!);
    const batch = await client.crm.contacts.batchApi.read({
      inputs: ids.map((id) => ({ id })),
      properties: ["email"],
      propertiesWithHistory: [],
    });
    expect(batch.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    const withCompany = ids.find((id) => sim.portal.associations("contacts", id, "companies").length > 0)!;
    const assoc = await client.crm.associations.v4.batchApi.getPage("contacts", "companies", {
      inputs: [{ id: withCompany }],
    });
    expect(assoc.results[0]!.to.map((t) => String(t.toObjectId))).toEqual(
      sim.portal.associations("contacts", withCompany, "companies"),
    );
  });
});
