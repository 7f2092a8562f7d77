import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAll, startTestSim, type TestSim } from "./sim-helpers.js";

describe("associations and owners", () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ seed: 17 });
  });
  afterAll(() => sim.close());

  it("v4 batch read: numeric toObjectId, primary listed with both types, 207 for ids without links, 400 past 1000", async () => {
    const ids = Array.from({ length: 30 }, (_, k) => sim.portal.idAt("deals", k)!);
    const res = await sim.post("/crm/v4/associations/deals/companies/batch/read", {
      inputs: ids.map((id) => ({ id })),
    });
    const body = (await res.json()) as {
      results: {
        from: { id: string };
        to: { toObjectId: number; associationTypes: { typeId: number; label: string | null }[] }[];
      }[];
      errors?: { subCategory: string }[];
    };
    const linked = ids.filter((id) => sim.portal.associations("deals", id, "companies").length > 0);
    expect(body.results.map((r) => r.from.id).sort()).toEqual(linked.sort());
    expect(res.status).toBe(linked.length === ids.length ? 200 : 207);
    const first = body.results[0]!;
    expect(typeof first.to[0]!.toObjectId).toBe("number");
    const types = body.results.flatMap((r) => r.to.flatMap((t) => t.associationTypes));
    expect(types.some((t) => t.typeId === 5 && t.label === "Primary")).toBe(true);
    expect(types.some((t) => t.typeId === 341 && t.label === null)).toBe(true);
    const many = Array.from({ length: 1001 }, () => ({ id: ids[0]! }));
    expect((await sim.post("/crm/v4/associations/deals/companies/batch/read", { inputs: many })).status).toBe(400);
  });

  it("v3 batch read and v4 per-record GET agree with the portal in both directions", async () => {
    let k = 0;
    while (sim.portal.associations("companies", sim.portal.idAt("companies", k)!, "contacts").length === 0) k++;
    const company = sim.portal.idAt("companies", k)!;
    const contacts = sim.portal.associations("companies", company, "contacts");
    expect(contacts.length).toBeGreaterThan(0);
    for (const c of contacts) expect(sim.portal.associations("contacts", c, "companies")).toContain(company);
    const v3 = (await (
      await sim.post("/crm/v3/associations/company/contact/batch/read", { inputs: [{ id: company }] })
    ).json()) as {
      results: { from: { id: string }; to: { id: string; type: string }[] }[];
    };
    expect([...new Set(v3.results[0]!.to.map((t) => t.id))].sort()).toEqual([...contacts].sort());
    const v4 = (await (await sim.get(`/crm/v4/objects/companies/${company}/associations/contacts`)).json()) as {
      results: { toObjectId: number }[];
    };
    expect(v4.results.map((r) => String(r.toObjectId))).toEqual(contacts);
  });

  it("pages owners with after, caps limit at 500 and separates archived owners", async () => {
    const { results, pages } = await listAll(sim, "/crm/v3/owners/?limit=5");
    expect(results.length).toBe(sim.portal.ownerList(false).length);
    expect(pages).toBe(Math.ceil(results.length / 5));
    expect((await sim.get("/crm/v3/owners?limit=501")).status).toBe(400);
    const archived = (await (await sim.get("/crm/v3/owners?archived=true")).json()) as {
      results: { id: string; archived: boolean }[];
    };
    expect(archived.results.length).toBeGreaterThan(0);
    expect(archived.results.every((o) => o.archived)).toBe(true);
    expect(archived.results.some((a) => results.some((r) => r.id === a.id))).toBe(false);
  });

  it("serves v1 pipelines with epoch-ms times and stageId, and v3 schemas with fullyQualifiedName", async () => {
    const v1 = (await (await sim.get("/crm-pipelines/v1/pipelines/deals")).json()) as {
      results: { pipelineId: string; createdAt: number; stages: { stageId: string }[] }[];
    };
    expect(v1.results[0]).toMatchObject({ pipelineId: "default", createdAt: 0 });
    expect(typeof v1.results[1]!.createdAt).toBe("number");
    expect(v1.results[0]!.stages[0]!.stageId).toBe("appointmentscheduled");
    for (const path of ["/crm/v3/schemas", "/crm-object-schemas/v3/schemas"]) {
      const s = (await (await sim.get(path)).json()) as {
        results: { fullyQualifiedName: string; objectTypeId: string; properties: unknown[] }[];
      };
      expect(s.results.map((r) => r.fullyQualifiedName).sort()).toEqual([
        `p${sim.portal.portalId}_cars`,
        `p${sim.portal.portalId}_pets`,
      ]);
      expect(s.results.every((r) => /^2-\d+$/.test(r.objectTypeId) && r.properties.length > 0)).toBe(true);
    }
  });
});
