// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { marketingEmailCount } from "../../../src/simulator/routes/marketing-emails.js";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const portal = makeFakePortal();

describe("GET /marketing/v3/emails", () => {
  it("pages by after to the end with a stable total, and offset paging agrees", () => {
    const n = marketingEmailCount(portal);
    const byAfter: string[] = [];
    let after = "";
    for (let guard = 0; guard < 100; guard++) {
      const res = call(portal, `/marketing/v3/emails?limit=7${after ? `&after=${after}` : ""}`);
      expect(res.body.total).toBe(n);
      byAfter.push(...res.body.results.map((e: any) => e.id));
      if (!res.body.paging) break;
      after = res.body.paging.next.after;
    }
    expect(byAfter).toHaveLength(n);
    expect(new Set(byAfter).size).toBe(n);
    const byOffset: string[] = [];
    for (let offset = 0; offset < n; offset += 25) {
      byOffset.push(
        ...call(portal, `/marketing/v3/emails?limit=25&offset=${offset}`).body.results.map((e: any) => e.id),
      );
    }
    expect(byOffset).toEqual(byAfter);
  });

  it("inlines stats only when asked and filters by updatedAfter", () => {
    expect(call(portal, "/marketing/v3/emails?limit=3").body.results[0].stats).toBeUndefined();
    expect(call(portal, "/marketing/v3/emails?limit=3&includeStats=true").body.results[0].stats.counters).toBeDefined();
    const all = call(portal, "/marketing/v3/emails?limit=500").body.results;
    const cut = all.map((e: any) => Date.parse(e.updatedAt)).sort((a: number, b: number) => a - b)[
      Math.floor(all.length / 2)
    ];
    const recent = call(portal, `/marketing/v3/emails?limit=500&updatedAfter=${new Date(cut).toISOString()}`).body;
    expect(recent.total).toBe(all.filter((e: any) => Date.parse(e.updatedAt) >= cut).length);
    expect(recent.total).toBeLessThan(all.length);
  });
});

describe("GET /automation/v3/workflows", () => {
  it("returns every workflow unpaged with epoch-ms times", () => {
    const res = call(portal, "/automation/v3/workflows");
    expect(res.body.paging).toBeUndefined();
    const wf = res.body.workflows;
    expect(wf.length).toBeGreaterThanOrEqual(3);
    expect(new Set(wf.map((w: any) => w.id)).size).toBe(wf.length);
    for (const w of wf) {
      expect(Number.isInteger(w.insertedAt) && w.updatedAt >= w.insertedAt).toBe(true);
      expect(w.contactListIds.steps).toEqual([]);
    }
  });
});
