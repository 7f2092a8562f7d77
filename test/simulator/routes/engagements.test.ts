// biome-ignore-all lint/suspicious/noExplicitAny: tests walk JSON response bodies loosely.
import { describe, expect, it } from "vitest";
import { REDACTED_EMAIL_METADATA } from "../../../src/simulator/routes/legacy-engagement-shape.js";
import { RECENT_MAX_RECORDS, RECENT_WINDOW_MS } from "../../../src/simulator/routes/legacy-engagements.js";
import type { PortalView, SimObject } from "../../../src/simulator/types.js";
import { FAKE_NOW, makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const TYPES = ["calls", "emails", "meetings", "notes", "tasks"];
const total = (p: PortalView) => TYPES.reduce((s, t) => s + p.count(t), 0);

function allObjects(p: PortalView): SimObject[] {
  return TYPES.flatMap((t) => Array.from({ length: p.count(t) }, (_, i) => p.get(t, p.idAt(t, i)!)!));
}

describe("GET /engagements/v1/engagements/paged", () => {
  it("pages through every engagement once, in ascending id order", () => {
    const portal = makeFakePortal();
    const ids: number[] = [];
    let offset: number | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const res = call(
        portal,
        `/engagements/v1/engagements/paged?limit=40${offset === undefined ? "" : `&offset=${offset}`}`,
      );
      expect(res.status).toBe(200);
      ids.push(...res.body.results.map((r: any) => r.engagement.id));
      offset = res.body.offset;
      if (!res.body.hasMore) break;
    }
    expect(ids).toHaveLength(total(portal));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("loses nothing when two engagement types share ids", () => {
    const portal = makeFakePortal({ sharedEngagementIds: true });
    const seen: string[] = [];
    let offset: number | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const res = call(
        portal,
        `/engagements/v1/engagements/paged?limit=7${offset === undefined ? "" : `&offset=${offset}`}`,
      );
      seen.push(...res.body.results.map((r: any) => `${r.engagement.type}:${r.engagement.id}`));
      offset = res.body.offset;
      if (!res.body.hasMore) break;
    }
    expect(seen).toHaveLength(total(portal));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("serves 100 by default and caps limit at 250", () => {
    const portal = makeFakePortal({ sizes: { notes: 400 } });
    expect(call(portal, "/engagements/v1/engagements/paged").body.results).toHaveLength(100);
    expect(call(portal, "/engagements/v1/engagements/paged?limit=1000").body.results).toHaveLength(250);
  });

  it("renders each type with its metadata and numeric associations", () => {
    const res = call(makeFakePortal(), "/engagements/v1/engagements/paged?limit=250");
    const byType = new Map<string, any>(res.body.results.map((r: any) => [r.engagement.type, r]));
    expect([...byType.keys()].sort()).toEqual(["CALL", "EMAIL", "INCOMING_EMAIL", "MEETING", "NOTE", "TASK"]);
    expect(Object.keys(byType.get("CALL").metadata).sort()).toEqual(
      [
        "body",
        "disposition",
        "durationMilliseconds",
        "externalAccountId",
        "externalId",
        "fromNumber",
        "recordingUrl",
        "status",
        "toNumber",
      ].sort(),
    );
    expect(typeof byType.get("MEETING").metadata.startTime).toBe("number");
    const email = byType.get("EMAIL");
    expect(email.metadata.to).toHaveLength(2);
    expect(email.metadata.from.email).toBe("rep@example.com");
    for (const r of res.body.results) {
      expect(r.engagement.portalId).toBe(62515);
      expect(r.attachments).toEqual([]);
      for (const k of ["contactIds", "companyIds", "dealIds", "ownerIds", "ticketIds"]) {
        expect(r.associations[k].every((x: unknown) => typeof x === "number")).toBe(true);
      }
    }
  });

  it("redacts email metadata and drops ownerId without sales-email-read", () => {
    const portal = makeFakePortal();
    const scopes = new Set(["crm.objects.contacts.read"]);
    const res = call(portal, "/engagements/v1/engagements/paged?limit=250", { scopes });
    const emails = res.body.results.filter((r: any) => r.engagement.type.endsWith("EMAIL"));
    expect(emails.length).toBeGreaterThan(0);
    for (const e of emails) {
      expect(e.metadata).toEqual(REDACTED_EMAIL_METADATA);
      expect("ownerId" in e.engagement).toBe(false);
    }
    const notes = res.body.results.filter((r: any) => r.engagement.type === "NOTE");
    expect(notes.some((n: any) => typeof n.engagement.ownerId === "number")).toBe(true);
  });
});

describe("GET /engagements/v1/engagements/recent/modified", () => {
  it("returns only the last 30 days, newest first, with the true total", () => {
    const portal = makeFakePortal();
    const expected = allObjects(portal).filter((o) => o.updatedAt >= FAKE_NOW - RECENT_WINDOW_MS);
    expect(expected.length).toBeLessThan(total(portal));
    const seen: number[] = [];
    let offset = 0;
    for (let guard = 0; guard < 100; guard++) {
      const res = call(portal, `/engagements/v1/engagements/recent/modified?count=30&offset=${offset}`);
      expect(res.body.total).toBe(expected.length);
      seen.push(...res.body.results.map((r: any) => r.engagement.lastUpdated));
      offset = res.body.offset;
      if (!res.body.hasMore) break;
    }
    expect(seen).toHaveLength(expected.length);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it("honours since and caps count at 100 (default 20)", () => {
    const portal = makeFakePortal({ sizes: { notes: 500 }, updatedWithinDays: 10 });
    expect(call(portal, "/engagements/v1/engagements/recent/modified").body.results).toHaveLength(20);
    expect(call(portal, "/engagements/v1/engagements/recent/modified?count=500").body.results).toHaveLength(100);
    const since = FAKE_NOW - 2 * 86_400_000;
    const res = call(portal, `/engagements/v1/engagements/recent/modified?count=100&since=${since}`);
    const want = allObjects(portal).filter((o) => o.updatedAt > since).length;
    expect(res.body.total).toBe(want);
    expect(res.body.results.every((r: any) => r.engagement.lastUpdated > since)).toBe(true);
  });

  it("silently stops at the 10,000 most recently updated records, its total capped there too", () => {
    const portal = makeFakePortal({
      sizes: { notes: 10_050, calls: 0, emails: 0, meetings: 0, tasks: 0 },
      updatedWithinDays: 20,
    });
    const sorted = allObjects(portal).sort((a, b) => b.updatedAt - a.updatedAt || Number(b.id) - Number(a.id));
    const before = call(portal, "/engagements/v1/engagements/recent/modified?count=100&offset=9800");
    expect(before.body.hasMore).toBe(true);
    const page = call(portal, `/engagements/v1/engagements/recent/modified?count=100&offset=${before.body.offset}`);
    expect(page.body.total).toBe(RECENT_MAX_RECORDS);
    expect(page.body.hasMore).toBe(false);
    expect(page.body.results.map((r: any) => String(r.engagement.id))).toEqual(
      sorted.slice(9900, 10_000).map((o) => o.id),
    );
    const past = call(portal, `/engagements/v1/engagements/recent/modified?count=100&offset=${page.body.offset}`);
    expect(past.body.results).toEqual([]);
    expect(past.body.hasMore).toBe(false);
    const straddle = call(portal, "/engagements/v1/engagements/recent/modified?count=100&offset=9950");
    expect(straddle.body.results).toHaveLength(RECENT_MAX_RECORDS - 9950);
    expect(straddle.body.hasMore).toBe(false);
  });
});
