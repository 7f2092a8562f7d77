/** The simulator's CRM answers against HubSpot's published response schemas (see spec-schemas.ts). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAll, startTestSim, type TestSim } from "./sim-helpers.js";
import * as S from "./spec-schemas.js";

/** Every CRM object type the simulator serves, by the name its list path uses. */
const TYPES = [
  "contacts",
  "companies",
  "deals",
  "tickets",
  "products",
  "line_items",
  "goal_targets",
  "leads",
  "deal_split",
  "calls",
  "emails",
  "meetings",
  "notes",
  "tasks",
  "p_cars",
  "p_pets",
];

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim({ seed: 51, scale: "small" });
});
afterAll(() => sim.close());

async function json(res: Response): Promise<unknown> {
  expect(res.headers.get("content-type")).toBe("application/json;charset=utf-8");
  return res.json();
}
const get = async (path: string) => json(await sim.get(path));
const post = async (path: string, body: unknown) => json(await sim.post(path, body));

describe("CRM objects", () => {
  it.each(TYPES)("lists %s as CollectionResponseSimplePublicObjectWithAssociations", async (type) => {
    const body = await get(`/crm/v3/objects/${type}?limit=3&associations=contacts,companies`);
    expect(S.violations(S.listPage, body)).toEqual([]);
  });

  it("pages lists with paging.next.after, the id just past the page, and stops with no paging", async () => {
    const first = (await get("/crm/v3/objects/contacts?limit=5")) as {
      results: { id: string }[];
      paging?: { next: { after: string; link: string } };
    };
    expect(first.paging?.next.after).toMatch(/^\d+$/);
    expect(Number(first.paging!.next.after)).toBe(Number(first.results.at(-1)!.id) + 1);
    expect(first.paging?.next.link).toContain(`after=${first.paging!.next.after}`);
    const all = (await get("/crm/v3/objects/contacts?limit=100&after=999999999999")) as {
      results: unknown[];
      paging?: unknown;
    };
    expect(all.results).toEqual([]);
    expect(all).not.toHaveProperty("paging");
  });

  it("reads one record with history as SimplePublicObjectWithAssociations", async () => {
    const { results } = (await get("/crm/v3/objects/deals?limit=1")) as { results: { id: string }[] };
    const body = await get(`/crm/v3/objects/deals/${results[0]!.id}?propertiesWithHistory=dealstage,amount`);
    expect(S.violations(S.objectWithAssociations, body)).toEqual([]);
    expect(body).toHaveProperty("propertiesWithHistory.dealstage");
  });

  it.each(["contacts", "tickets", "p_cars"])(
    "batch reads %s as BatchResponseSimplePublicObject, 207 naming the missing ids",
    async (type) => {
      const { results } = (await get(`/crm/v3/objects/${type}?limit=2`)) as { results: { id: string }[] };
      const ok = await sim.post(`/crm/v3/objects/${type}/batch/read`, {
        inputs: results.map(({ id }) => ({ id })),
        properties: [],
      });
      expect(ok.status).toBe(200);
      expect(S.violations(S.batchResponse, await json(ok))).toEqual([]);
      const partial = await sim.post(`/crm/v3/objects/${type}/batch/read`, {
        inputs: [{ id: "1" }, ...results],
        properties: [],
      });
      expect(partial.status).toBe(207);
      const body = (await json(partial)) as { numErrors: number; errors: { context: { ids: string[] } }[] };
      expect(S.violations(S.batchResponse, body)).toEqual([]);
      expect(body.errors[0]!.context.ids).toEqual(["1"]);
    },
  );
});

describe("CRM search", () => {
  it.each(TYPES)("searches %s as CollectionResponseWithTotalSimplePublicObject", async (type) => {
    const body = await post(`/crm/v3/objects/${type}/search`, { limit: 2 });
    expect(S.violations(S.searchPage, body)).toEqual([]);
  });

  it("reports the full match count in total and pages by an integer offset without a link", async () => {
    const live = await listAll(sim, "/crm/v3/objects/companies?limit=100");
    const page = (await post("/crm/v3/objects/companies/search", { limit: 7 })) as {
      total: number;
      paging: { next: Record<string, string> };
    };
    expect(page.total).toBe(live.results.length);
    expect(page.paging.next).toEqual({ after: "7" });
    const last = (await post("/crm/v3/objects/companies/search", { limit: 7, after: String(page.total - 3) })) as {
      results: unknown[];
    };
    expect(last.results).toHaveLength(3);
    expect(last).not.toHaveProperty("paging");
  });
});

describe("archived records", () => {
  it.each(TYPES)(
    "lists archived %s with archived: true and archivedAt, and search never returns them",
    async (type) => {
      const { results } = (await get(`/crm/v3/objects/${type}?limit=1`)) as { results: { id: string }[] };
      const id = results[0]!.id;
      sim.portal.archive(type, id);
      const archived = (await get(`/crm/v3/objects/${type}?archived=true&limit=100`)) as {
        results: { id: string; archived: boolean; archivedAt?: string }[];
      };
      expect(S.violations(S.listPage, archived)).toEqual([]);
      expect(archived.results.map((r) => r.id)).toContain(id);
      for (const r of archived.results) {
        expect(r.archived).toBe(true);
        expect(r.archivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      }
      const live = (await get(`/crm/v3/objects/${type}?limit=100`)) as { results: { id: string; archived: boolean }[] };
      expect(live.results.every((r) => r.archived === false)).toBe(true);
      const search = (await post(`/crm/v3/objects/${type}/search`, {
        filterGroups: [{ filters: [{ propertyName: "hs_object_id", operator: "EQ", value: id }] }],
      })) as { total: number; results: unknown[] };
      expect(search).toMatchObject({ total: 0, results: [] });
      const all = (await post(`/crm/v3/objects/${type}/search`, { limit: 200 })) as { results: { id: string }[] };
      const archivedIds = new Set(archived.results.map((r) => r.id));
      expect(all.results.filter((r) => archivedIds.has(r.id))).toEqual([]);
    },
  );
});

describe("associations v4", () => {
  it("batch reads associations with toObjectId and typed association labels", async () => {
    const { results } = (await get("/crm/v3/objects/contacts?limit=20")) as { results: { id: string }[] };
    const body = (await post("/crm/v4/associations/contacts/companies/batch/read", {
      inputs: results.map(({ id }) => ({ id })),
    })) as { results: { to: unknown[] }[] };
    expect(S.violations(S.assocBatch, body)).toEqual([]);
    expect(body.results.some((r) => r.to.length > 0)).toBe(true);
  });

  it("lists one record's associations as CollectionResponseMultiAssociatedObjectWithLabel", async () => {
    const { results } = (await get("/crm/v3/objects/deals?limit=1")) as { results: { id: string }[] };
    const body = await get(`/crm/v4/objects/deals/${results[0]!.id}/associations/contacts`);
    expect(S.violations(S.assocPage, body)).toEqual([]);
  });
});

describe("CRM metadata", () => {
  it.each(["contacts", "companies", "deals", "tickets", "calls", "p_cars"])(
    "describes %s properties as Property",
    async (type) => {
      expect(S.violations(S.properties, await get(`/crm/v3/properties/${type}`))).toEqual([]);
    },
  );

  it("lists custom object schemas as ObjectSchema", async () => {
    const body = (await get("/crm/v3/schemas")) as { results: unknown[] };
    expect(body.results.length).toBeGreaterThan(0);
    expect(S.violations(S.schemas, body)).toEqual([]);
  });

  it.each(["deals", "tickets"])("lists %s pipelines as Pipeline with stages", async (type) => {
    expect(S.violations(S.pipelines, await get(`/crm/v3/pipelines/${type}`))).toEqual([]);
  });

  it.each(["", "?archived=true"])("lists owners%s as PublicOwner", async (query) => {
    expect(S.violations(S.owners, await get(`/crm/v3/owners${query}`))).toEqual([]);
  });
});
