// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const portal = makeFakePortal();

function walk(url: string, limit: number) {
  const out: any[] = [];
  let offset = "";
  for (let guard = 0; guard < 500; guard++) {
    const sep = url.includes("?") ? "&" : "?";
    const res = call(portal, `${url}${sep}limit=${limit}${offset ? `&offset=${offset}` : ""}`);
    expect(res.status).toBe(200);
    out.push(...res.body.timeline);
    offset = res.body.offset;
    if (!res.body.hasMore) return out;
  }
  throw new Error("did not finish");
}

describe("GET /email/public/v1/subscriptions/timeline", () => {
  it("pages through every change once, newest first", () => {
    const all = walk("/email/public/v1/subscriptions/timeline", 33);
    expect(all).toHaveLength(450);
    const ids = all.map((t) => t.changes[0].causedByEvent.id);
    expect(new Set(ids).size).toBe(ids.length);
    const ts = all.map((t) => t.timestamp);
    expect([...ts].sort((a, b) => b - a)).toEqual(ts);
  });

  it("filters by changeType and window", () => {
    const all = walk("/email/public/v1/subscriptions/timeline", 1000);
    const bounces = walk("/email/public/v1/subscriptions/timeline?changeType=PORTAL_BOUNCE", 10);
    expect(bounces.map((t) => t.timestamp)).toEqual(
      all.filter((t) => t.changes[0].changeType === "PORTAL_BOUNCE").map((t) => t.timestamp),
    );
    const start = all[20].timestamp;
    expect(walk(`/email/public/v1/subscriptions/timeline?startTimestamp=${start}`, 4)).toHaveLength(21);
  });

  it("rejects an offset issued for a different query", () => {
    const first = call(portal, "/email/public/v1/subscriptions/timeline?limit=3");
    const res = call(
      portal,
      `/email/public/v1/subscriptions/timeline?limit=3&changeType=PORTAL_STATUS&offset=${first.body.offset}`,
    );
    expect(res.status).toBe(400);
  });
});

describe("subscription definitions", () => {
  it("lists the same definitions on the legacy and v3 endpoints", () => {
    const legacy = call(portal, "/email/public/v1/subscriptions").body.subscriptionDefinitions;
    const v3 = call(portal, "/communication-preferences/v3/definitions").body.subscriptionDefinitions;
    expect(legacy.map((d: any) => String(d.id))).toEqual(v3.map((d: any) => d.id));
    expect(v3[0]).toMatchObject({ isActive: true, communicationMethod: "Email" });
    expect(Date.parse(v3[0].createdAt)).toBeLessThan(Date.parse(v3[0].updatedAt) + 1);
  });

  it("only names definitions that exist in subscription changes", () => {
    const ids = new Set(
      call(portal, "/email/public/v1/subscriptions").body.subscriptionDefinitions.map((d: any) => d.id),
    );
    const changes = walk("/email/public/v1/subscriptions/timeline", 1000).flatMap((t) => t.changes);
    const named = changes.filter((c) => c.subscriptionId !== undefined);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((c) => ids.has(c.subscriptionId))).toBe(true);
  });
});
