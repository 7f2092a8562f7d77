// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const portal = makeFakePortal();

function walk(url: string, limit: number) {
  const events: any[] = [];
  let offset: string | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const sep = url.includes("?") ? "&" : "?";
    const res = call(portal, `${url}${sep}limit=${limit}${offset ? `&offset=${offset}` : ""}`);
    expect(res.status).toBe(200);
    events.push(...res.body.events);
    offset = res.body.offset;
    if (!res.body.hasMore) return events;
  }
  throw new Error("did not finish");
}

describe("GET /email/public/v1/events", () => {
  it("pages through every event once, newest first", () => {
    const events = walk("/email/public/v1/events", 1000);
    expect(events).toHaveLength(300 * 4);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const created = events.map((e) => e.created);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
  });

  it("serves 10 by default and at most 1000", () => {
    expect(call(portal, "/email/public/v1/events").body.events).toHaveLength(10);
    expect(call(portal, "/email/public/v1/events?limit=5000").body.events).toHaveLength(1000);
  });

  it("treats startTimestamp and endTimestamp as inclusive", () => {
    const all = walk("/email/public/v1/events", 1000);
    const a = all[100].created;
    const b = all[40].created;
    const inWindow = walk(`/email/public/v1/events?startTimestamp=${a}&endTimestamp=${b}`, 7);
    expect(inWindow.map((e) => e.id)).toEqual(all.slice(40, 101).map((e) => e.id));
  });

  it("filters by eventType across pages with short pages allowed", () => {
    const clicks = walk("/email/public/v1/events?eventType=CLICK", 13);
    const expected = walk("/email/public/v1/events", 1000).filter((e) => e.type === "CLICK");
    expect(clicks.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(clicks.length).toBeGreaterThan(0);
  });

  it("rejects an offset reused with different parameters, or made up", () => {
    const first = call(portal, "/email/public/v1/events?limit=5&eventType=OPEN");
    const ok = call(portal, `/email/public/v1/events?limit=9&eventType=OPEN&offset=${first.body.offset}`);
    expect(ok.status).toBe(200);
    const bad = call(portal, `/email/public/v1/events?limit=5&eventType=CLICK&offset=${first.body.offset}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect(bad.body.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call(portal, "/email/public/v1/events?offset=abc").status).toBe(400);
  });
});

describe("email campaigns", () => {
  it("pages /campaigns/by-id to the end in id order, and every id has a detail", () => {
    const ids: number[] = [];
    let offset = "";
    for (let guard = 0; guard < 50; guard++) {
      const res = call(portal, `/email/public/v1/campaigns/by-id?limit=5${offset ? `&offset=${offset}` : ""}`);
      ids.push(...res.body.campaigns.map((c: any) => c.id));
      offset = res.body.offset;
      if (!res.body.hasMore) break;
    }
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    for (const id of ids) {
      const detail = call(portal, `/email/public/v1/campaigns/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.id).toBe(id);
      expect(detail.body.counters.sent).toBeGreaterThanOrEqual(detail.body.counters.delivered);
    }
    const all = call(portal, "/email/public/v1/campaigns?limit=1000").body.campaigns;
    expect(all.map((c: any) => c.id).sort((a: number, b: number) => a - b)).toEqual(ids);
    const times = all.map((c: any) => c.lastUpdatedTime);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("answers an unknown campaign with a 404 OBJECT_NOT_FOUND", () => {
    const res = call(portal, "/email/public/v1/campaigns/1");
    expect(res.status).toBe(404);
    expect(res.body.category).toBe("OBJECT_NOT_FOUND");
    expect(res.headers?.["X-HubSpot-NotFound"]).toBe("true");
  });

  it("points every event at an existing campaign", () => {
    const ids = new Set(
      call(portal, "/email/public/v1/campaigns/by-id?limit=1000").body.campaigns.map((c: any) => c.id),
    );
    const events = call(portal, "/email/public/v1/events?limit=300").body.events;
    expect(events.every((e: any) => ids.has(e.emailCampaignId))).toBe(true);
  });
});
