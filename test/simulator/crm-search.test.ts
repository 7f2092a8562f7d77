import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSim, type TestSim } from "./sim-helpers.js";

interface SearchBody {
  total: number;
  results: { id: string; properties: Record<string, string | null>; updatedAt: string }[];
  paging?: { next: { after: string; link?: string } };
}

describe("POST /crm/v3/objects/:type/search", () => {
  let sim: TestSim;
  const search = async (type: string, body: unknown) => {
    const res = await sim.post(`/crm/v3/objects/${type}/search`, body);
    return { status: res.status, body: (await res.json()) as SearchBody & { category?: string } };
  };
  beforeAll(async () => {
    sim = await startTestSim({ seed: 5 });
  });
  afterAll(() => sim.close());

  it("defaults to 10 results sorted by numeric id, no link, total = all live records", async () => {
    const { body } = await search("contacts", {});
    expect(body.total).toBe(sim.portal.count("contacts"));
    expect(body.results).toHaveLength(10);
    expect(body.results.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, k) => sim.portal.idAt("contacts", k)));
    expect(body.paging!.next).toEqual({ after: "10" });
  });

  it("compares hs_object_id numerically although ids differ in length", async () => {
    const pivot = sim.portal.idAt("contacts", 5)!;
    const { body } = await search("contacts", {
      filterGroups: [{ filters: [{ propertyName: "hs_object_id", operator: "GT", value: pivot }] }],
      limit: 200,
    });
    expect(body.results.every((r) => Number(r.id) > Number(pivot))).toBe(true);
    expect(body.total).toBe(sim.portal.count("contacts") - 6);
  });

  it("filters a modified-date window (epoch ms or ISO) and sorts descending", async () => {
    const lo = Date.parse("2024-01-01T00:00:00.000Z");
    const hi = Date.parse("2025-01-01T00:00:00.000Z");
    const epoch = await search("contacts", {
      filterGroups: [
        {
          filters: [
            { propertyName: "lastmodifieddate", operator: "GTE", value: String(lo) },
            { propertyName: "lastmodifieddate", operator: "LT", value: "2025-01-01T00:00:00.000Z" },
          ],
        },
      ],
      sorts: [{ propertyName: "lastmodifieddate", direction: "DESCENDING" }],
      limit: 200,
    });
    const times = epoch.body.results.map((r) => Date.parse(r.updatedAt));
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((t) => t >= lo && t < hi)).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const between = await search("contacts", {
      filterGroups: [
        {
          filters: [
            { propertyName: "lastmodifieddate", operator: "BETWEEN", value: "2024-01-01", highValue: String(hi - 1) },
          ],
        },
      ],
    });
    expect(between.body.total).toBe(epoch.body.total);
  });

  it("ORs groups, ANDs filters, and supports IN, NEQ, HAS_PROPERTY and CONTAINS_TOKEN", async () => {
    const all = await search("contacts", { properties: ["lifecyclestage", "mobilephone"], limit: 200 });
    const page = all.body.results;
    const custLead = await search("contacts", {
      filterGroups: [
        { filters: [{ propertyName: "lifecyclestage", operator: "EQ", value: "customer" }] },
        { filters: [{ propertyName: "lifecyclestage", operator: "IN", values: ["lead"] }] },
      ],
      properties: ["lifecyclestage"],
      limit: 200,
    });
    expect(custLead.body.results.every((r) => ["customer", "lead"].includes(r.properties.lifecyclestage!))).toBe(true);
    const neq = await search("contacts", {
      filterGroups: [{ filters: [{ propertyName: "lifecyclestage", operator: "NEQ", value: "customer" }] }],
    });
    const customers = await search("contacts", {
      filterGroups: [{ filters: [{ propertyName: "lifecyclestage", operator: "EQ", value: "customer" }] }],
    });
    expect(neq.body.total + customers.body.total).toBe(all.body.total);
    const has = await search("contacts", {
      filterGroups: [{ filters: [{ propertyName: "mobilephone", operator: "HAS_PROPERTY" }] }],
      properties: ["mobilephone"],
      limit: 200,
    });
    expect(has.body.results.every((r) => !!r.properties.mobilephone)).toBe(true);
    expect(has.body.total).toBeLessThan(all.body.total);
    const first = page.find((r) => r.properties.lifecyclestage)!;
    const email = (await (
      await sim.get(`/crm/v3/objects/contacts/${first.id}?properties=email`)
    ).json()) as SearchBody["results"][0];
    const user = email.properties.email!.split("@")[0]!;
    const tok = await search("contacts", {
      filterGroups: [
        { filters: [{ propertyName: "email", operator: "CONTAINS_TOKEN", value: `${user.toUpperCase()}*` }] },
      ],
    });
    expect(tok.body.results.map((r) => r.id)).toContain(first.id);
  });

  it("rejects more than 5 groups, 6 filters per group or 18 filters in total", async () => {
    const f = { propertyName: "email", operator: "HAS_PROPERTY" };
    const groups = (n: number, m: number) =>
      Array.from({ length: n }, () => ({ filters: Array.from({ length: m }, () => f) }));
    expect((await search("contacts", { filterGroups: groups(6, 1) })).status).toBe(400);
    expect((await search("contacts", { filterGroups: groups(1, 7) })).status).toBe(400);
    const r = await search("contacts", { filterGroups: groups(4, 5) });
    expect(r.status).toBe(400);
    expect(r.body.category).toBe("VALIDATION_ERROR");
    expect((await search("contacts", { filterGroups: groups(3, 6) })).status).toBe(200);
  });

  it("rejects limit > 200 and paging past 10,000 results", async () => {
    expect((await search("contacts", { limit: 201 })).status).toBe(400);
    expect((await search("contacts", { limit: 100, after: "9900" })).status).toBe(200);
    const past = await search("contacts", { limit: 100, after: "9950" });
    expect(past.status).toBe(400);
    expect(past.body.category).toBe("VALIDATION_ERROR");
    expect((await search("contacts", { limit: 1, after: "10000" })).status).toBe(400);
  });

  it("answers an unknown filter property with HubSpot's hint-less 400", async () => {
    const r = await search("contacts", {
      filterGroups: [{ filters: [{ propertyName: "nope", operator: "EQ", value: "1" }] }],
    });
    expect(r.status).toBe(400);
    expect((r.body as unknown as { message: string }).message).toBe("There was a problem with the request.");
  });

  it("always adds createdate, the last-modified property and hs_object_id to requested properties", async () => {
    const { body } = await search("deals", { properties: ["amount", "bogus"], limit: 1 });
    expect(Object.keys(body.results[0]!.properties)).toEqual([
      "amount",
      "createdate",
      "hs_lastmodifieddate",
      "hs_object_id",
    ]);
  });

  it("finds N records bulk-updated to the same millisecond with EQ", async () => {
    const at = Date.parse("2026-11-05T10:00:00.123Z");
    const ids = sim.portal.bulkUpdate("companies", 25, { industry: "RETAIL" }, at);
    const { body } = await search("companies", {
      filterGroups: [{ filters: [{ propertyName: "hs_lastmodifieddate", operator: "EQ", value: String(at) }] }],
      limit: 100,
    });
    expect(body.total).toBe(25);
    expect(body.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(body.results.every((r) => r.updatedAt === "2026-11-05T10:00:00.123Z")).toBe(true);
  });
});

describe("search index lag", () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ seed: 6, searchIndexLagMs: 60_000 });
  });
  afterAll(() => sim.close());

  it("hides a fresh update from search while list and batch read see it, until the lag has passed", async () => {
    const id = sim.portal.idAt("contacts", 7)!;
    sim.portal.update("contacts", id, { firstname: "Zebulon" });
    const query = { filterGroups: [{ filters: [{ propertyName: "firstname", operator: "EQ", value: "zebulon" }] }] };
    const before = (await (await sim.post("/crm/v3/objects/contacts/search", query)).json()) as SearchBody;
    expect(before.total).toBe(0);
    const got = (await (
      await sim.get(`/crm/v3/objects/contacts/${id}?properties=firstname`)
    ).json()) as SearchBody["results"][0];
    expect(got.properties.firstname).toBe("Zebulon");
    sim.portal.advance(60_000);
    const after = (await (await sim.post("/crm/v3/objects/contacts/search", query)).json()) as SearchBody;
    expect(after.results.map((r) => r.id)).toEqual([id]);
  });
});
