// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { formCatalog } from "../../../src/simulator/routes/marketing-forms.js";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const portal = makeFakePortal();

function walkForms(query: string, limit: number) {
  const out: any[] = [];
  let after = "";
  for (let guard = 0; guard < 100; guard++) {
    const res = call(portal, `/marketing/v3/forms?limit=${limit}${query}${after ? `&after=${after}` : ""}`);
    expect(res.status).toBe(200);
    out.push(...res.body.results);
    if (!res.body.paging) return out;
    after = res.body.paging.next.after;
  }
  throw new Error("did not finish");
}

describe("GET /marketing/v3/forms", () => {
  it("returns only live hubspot forms unless formTypes says otherwise", () => {
    const forms = formCatalog(portal);
    const hubspot = walkForms("", 2);
    expect(hubspot.map((f) => f.id)).toEqual(
      forms.filter((f) => f.formType === "hubspot" && !f.archived).map((f) => f.id),
    );
    const several = walkForms("&formTypes=hubspot&formTypes=captured&formTypes=flow", 3);
    expect(several.length).toBe(
      forms.filter((f) => ["hubspot", "captured", "flow"].includes(f.formType) && !f.archived).length,
    );
    const all = walkForms("&formTypes=all", 1);
    expect(all.length).toBe(forms.filter((f) => !f.archived).length);
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(hubspot.length);
  });

  it("accepts an oversized limit and serves every form in one page", () => {
    const big = makeFakePortal({ seed: 7 });
    const res = call(big, "/marketing/v3/forms?formTypes=all&limit=1000");
    expect(res.body.results.length).toBe(formCatalog(big).filter((f) => !f.archived).length);
    expect(res.body.paging).toBeUndefined();
  });

  it("rejects an after cursor from another query", () => {
    const first = call(portal, "/marketing/v3/forms?limit=1&formTypes=all");
    const res = call(portal, `/marketing/v3/forms?limit=1&after=${first.body.paging.next.after}`);
    expect(res.status).toBe(400);
  });
});

describe("GET /form-integrations/v1/submissions/forms/:formId", () => {
  const busiest = formCatalog(portal)
    .filter((f) => !f.archived)
    .map((f) => ({
      f,
      n: call(portal, `/form-integrations/v1/submissions/forms/${f.id}?limit=50`).body.results.length,
    }))
    .sort((a, b) => b.n - a.n)[0]!.f;

  it("pages newest first through every submission, at most 50 a page", () => {
    const seen: any[] = [];
    let after = "";
    let pages = 0;
    for (let guard = 0; guard < 100; guard++) {
      const res = call(
        portal,
        `/form-integrations/v1/submissions/forms/${busiest.id}?limit=500${after ? `&after=${after}` : ""}`,
      );
      expect(res.body.results.length).toBeLessThanOrEqual(50);
      seen.push(...res.body.results);
      pages++;
      if (!res.body.paging) break;
      after = res.body.paging.next.after;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen.map((s) => s.conversionId)).size).toBe(seen.length);
    const ts = seen.map((s) => s.submittedAt);
    expect([...ts].sort((a, b) => b - a)).toEqual(ts);
    expect(call(portal, `/form-integrations/v1/submissions/forms/${busiest.id}`).body.results.length).toBe(
      Math.min(20, seen.length),
    );
  });

  it("answers an unknown form with 404", () => {
    const res = call(portal, "/form-integrations/v1/submissions/forms/00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(404);
    expect(res.body.category).toBe("OBJECT_NOT_FOUND");
  });
});
