// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const portal = makeFakePortal();

function walk(url: string) {
  const out: any[] = [];
  let after = "";
  for (let guard = 0; guard < 200; guard++) {
    const res = call(portal, `${url}${after ? `&after=${after}` : ""}`);
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBeLessThanOrEqual(100);
    out.push(...res.body.results);
    if (!res.body.paging) return out;
    after = res.body.paging.next.after;
  }
  throw new Error("did not finish");
}

describe("GET /events/v3/events", () => {
  it("walks a whole object type without loss or duplicates, matching per-object queries", () => {
    const all = walk("/events/v3/events?objectType=contact&limit=1000");
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const perObject: string[] = [];
    for (let i = 0; i < portal.count("contacts"); i++) {
      const id = portal.idAt("contacts", i)!;
      perObject.push(...walk(`/events/v3/events?objectType=CONTACT&objectId=${id}&limit=2`).map((e) => e.id));
    }
    expect(all.map((e) => e.id)).toEqual(perObject);
    expect(all.length).toBeGreaterThan(300);
    expect(all.every((e) => e.objectType === "CONTACT")).toBe(true);
  });

  it("defaults and caps the page at 100", () => {
    expect(call(portal, "/events/v3/events?objectType=contact").body.results).toHaveLength(100);
    expect(call(portal, "/events/v3/events?objectType=contact&limit=500").body.results).toHaveLength(100);
  });

  it("filters by eventType and occurred window", () => {
    const all = walk("/events/v3/events?objectType=contact&limit=100");
    const forms = walk("/events/v3/events?objectType=contact&eventType=e_submitted_form&limit=100");
    expect(forms.map((e) => e.id)).toEqual(all.filter((e) => e.eventType === "e_submitted_form").map((e) => e.id));
    const t = all.map((e) => e.occurredAt).sort()[Math.floor(all.length / 2)];
    const later = walk(`/events/v3/events?objectType=contact&occurredAfter=${t}&limit=100`);
    expect(later.length).toBe(all.filter((e) => e.occurredAt >= t).length);
    expect(later.length).toBeLessThan(all.length);
  });

  it("serves the dated alias identically and rejects unknown object types", () => {
    const id = portal.idAt("contacts", 3)!;
    const a = call(portal, `/events/v3/events?objectType=contact&objectId=${id}`);
    const b = call(portal, `/events/event-occurrences/2026-03?objectType=contact&objectId=${id}`);
    expect(b.body).toEqual(a.body);
    expect(call(portal, "/events/v3/events?objectType=spaceship").status).toBe(400);
  });
});
