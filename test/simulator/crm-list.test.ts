import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAll, startTestSim, type TestSim } from "./sim-helpers.js";

describe("GET /crm/v3/objects/:type", () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ seed: 11 });
  });
  afterAll(() => sim.close());

  it("pages with after until paging is absent, each live record exactly once", async () => {
    const { results, pages } = await listAll(sim, "/crm/v3/objects/contacts?limit=100");
    expect(results.length).toBe(sim.portal.count("contacts"));
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
    expect(pages).toBe(Math.ceil(results.length / 100));
  });

  it("defaults to 10 records with a next link and rejects limit > 100", async () => {
    const body = (await (await sim.get("/crm/v3/objects/companies")).json()) as {
      results: unknown[];
      paging: { next: { after: string; link: string } };
    };
    expect(body.results).toHaveLength(10);
    expect(body.paging.next.link).toContain(`after=${body.paging.next.after}`);
    const over = await sim.get("/crm/v3/objects/companies?limit=101");
    expect(over.status).toBe(400);
    expect(((await over.json()) as { category: string }).category).toBe("VALIDATION_ERROR");
  });

  it("returns the default properties, requested ones (null when empty) and ignores unknown names", async () => {
    const dflt = (await (await sim.get("/crm/v3/objects/contacts?limit=1")).json()) as {
      results: { properties: object }[];
    };
    expect(Object.keys(dflt.results[0]!.properties).sort()).toEqual(
      ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"].sort(),
    );
    const res = await sim.get("/crm/v3/objects/contacts?limit=100&properties=mobilephone&properties=no_such_prop,city");
    const body = (await res.json()) as { results: { properties: Record<string, string | null> }[] };
    const keys = Object.keys(body.results[0]!.properties);
    expect(keys).toEqual(["city", "createdate", "hs_object_id", "lastmodifieddate", "mobilephone"]);
    expect(body.results.some((r) => r.properties.mobilephone === null)).toBe(true);
    expect(body.results.every((r) => typeof r.properties.hs_object_id === "string")).toBe(true);
  });

  it("serves archived records only with archived=true, with archivedAt", async () => {
    const { results } = await listAll(sim, "/crm/v3/objects/tickets?limit=100&archived=true");
    expect(results.length).toBe(sim.portal.count("tickets", true));
    const raw = (await (await sim.get("/crm/v3/objects/tickets?archived=true")).json()) as {
      results: { archived: boolean; archivedAt?: string }[];
    };
    expect(raw.results.every((r) => r.archived && typeof r.archivedAt === "string")).toBe(true);
  });

  it("caps the page at 50 with propertiesWithHistory, history newest first", async () => {
    expect((await sim.get("/crm/v3/objects/contacts?limit=51&propertiesWithHistory=lifecyclestage")).status).toBe(400);
    const res = await sim.get("/crm/v3/objects/contacts?limit=50&propertiesWithHistory=lifecyclestage");
    const body = (await res.json()) as {
      results: { propertiesWithHistory: Record<string, { timestamp: string }[]> }[];
    };
    const histories = body.results.map((r) => r.propertiesWithHistory.lifecyclestage!);
    expect(histories.some((h) => h.length > 1)).toBe(true);
    for (const h of histories) {
      const ts = h.map((v) => Date.parse(v.timestamp));
      expect([...ts].sort((a, b) => b - a)).toEqual(ts);
    }
  });

  it("inlines associations, listing a primary company twice", async () => {
    const body = (await (await sim.get("/crm/v3/objects/contacts?limit=100&associations=companies")).json()) as {
      results: { id: string; associations?: { companies?: { results: { id: string; type: string }[] } } }[];
    };
    const withCo = body.results.find((r) => r.associations?.companies)!;
    const types = withCo.associations!.companies!.results.map((a) => a.type);
    expect(types).toContain("contact_to_company");
    expect(types).toContain("contact_to_company_unlabeled");
    const ids = [...new Set(withCo.associations!.companies!.results.map((a) => a.id))];
    expect(ids).toEqual(sim.portal.associations("contacts", withCo.id, "companies"));
  });

  it("accepts aliases, object type ids, custom names and a trailing slash", async () => {
    const fqn = `p${sim.portal.portalId}_cars`;
    const schema = sim.portal.types().find((t) => t.name === "p_cars")!;
    for (const seg of ["contact", "CONTACT", "0-1", "contacts/"]) {
      expect((await sim.get(`/crm/v3/objects/${seg}`)).status).toBe(200);
    }
    for (const seg of ["p_cars", fqn, schema.objectTypeId, "deal_splits", "deal_split"]) {
      expect((await sim.get(`/crm/v3/objects/${seg}?limit=1`)).status).toBe(200);
    }
  });

  it("reads one record by id and 404s for a missing one", async () => {
    const id = sim.portal.idAt("deals", 3)!;
    const res = await sim.get(`/crm/v3/objects/deals/${id}?properties=dealname`);
    expect(((await res.json()) as { id: string }).id).toBe(id);
    const missing = await sim.get("/crm/v3/objects/deals/1");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { category: string }).category).toBe("OBJECT_NOT_FOUND");
  });

  it("answers 414 with a short non-JSON body when the request target is too long", async () => {
    const names = Array.from({ length: 1500 }, (_, i) => `property_number_${i}`).join(",");
    const res = await sim.get(`/crm/v3/objects/contacts?properties=${names}`);
    expect(res.status).toBe(414);
    const text = await res.text();
    expect(text.length).toBeLessThan(100);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("batch-reads with 207 for missing ids and 400 past 100 inputs", async () => {
    const id = sim.portal.idAt("contacts", 0)!;
    const res = await sim.post("/crm/v3/objects/contacts/batch/read", {
      inputs: [{ id }, { id: "12" }],
      properties: ["email"],
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { results: { id: string }[]; numErrors: number; errors: { category: string }[] };
    expect(body.results.map((r) => r.id)).toEqual([id]);
    expect(body.numErrors).toBe(1);
    expect(body.errors[0]!.category).toBe("OBJECT_NOT_FOUND");
    const tooMany = Array.from({ length: 101 }, (_, k) => ({ id: sim.portal.idAt("contacts", k)! }));
    expect((await sim.post("/crm/v3/objects/contacts/batch/read", { inputs: tooMany })).status).toBe(400);
    const history = tooMany.slice(0, 51);
    const r2 = await sim.post("/crm/v3/objects/contacts/batch/read", {
      inputs: history,
      propertiesWithHistory: ["email"],
    });
    expect(r2.status).toBe(400);
  });
});

describe("POST /crm/v3/objects/deals/splits/batch/read", () => {
  it("returns each deal's splits, matching deal_split records by hs_deal_id", async () => {
    const sim = await startTestSim({ seed: 11 });
    const all = await listAll(sim, "/crm/v3/objects/deal_split?limit=100&properties=hs_deal_id");
    const dealId = all.results[0]!.properties.hs_deal_id!;
    const expected = all.results.filter((r) => r.properties.hs_deal_id === dealId).map((r) => r.id);
    const res = await sim.post("/crm/v3/objects/deals/splits/batch/read", { inputs: [{ id: dealId }, { id: "1" }] });
    const body = (await res.json()) as { results: { id: string; splits: { id: string }[] }[] };
    expect(body.results[0]!.id).toBe(dealId);
    expect(body.results[0]!.splits.map((s) => s.id)).toEqual(expected);
    expect(body.results[1]!.splits).toEqual([]);
    await sim.close();
  });
});
