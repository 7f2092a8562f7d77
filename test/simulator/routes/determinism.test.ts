import { describe, expect, it } from "vitest";
import { extraRoutes } from "../../../src/simulator/routes/extra.js";
import { makeFakePortal } from "./fake-portal.js";
import { call } from "./harness.js";

const URLS = [
  "/engagements/v1/engagements/paged?limit=250",
  "/engagements/v1/engagements/recent/modified?count=100",
  "/email/public/v1/events?limit=200",
  "/email/public/v1/campaigns?limit=50",
  "/email/public/v1/campaigns/by-id?limit=50",
  "/email/public/v1/subscriptions/timeline?limit=100",
  "/email/public/v1/subscriptions",
  "/communication-preferences/v3/definitions",
  "/marketing/v3/forms?formTypes=all",
  "/marketing/v3/emails?includeStats=true&limit=50",
  "/automation/v3/workflows",
  "/settings/v3/users",
  "/account-info/v3/details",
  "/contacts/v1/lists?count=250",
  "/events/v3/events?objectType=contact",
  "/email/public/v1/events?offset=bogus",
];

describe("determinism", () => {
  it("gives byte-identical bodies for the same seed", () => {
    for (const url of URLS) {
      const a = JSON.stringify(call(makeFakePortal({ seed: 5 }), url));
      const b = JSON.stringify(call(makeFakePortal({ seed: 5 }), url));
      expect(b, url).toBe(a);
    }
    const search = { method: "POST" as const, body: { count: 100 } };
    expect(JSON.stringify(call(makeFakePortal({ seed: 5 }), "/crm/v3/lists/search", search))).toBe(
      JSON.stringify(call(makeFakePortal({ seed: 5 }), "/crm/v3/lists/search", search)),
    );
  });

  it("gives different data for a different seed", () => {
    const differing = URLS.filter(
      (url) =>
        JSON.stringify(call(makeFakePortal({ seed: 5 }), url).body) !==
        JSON.stringify(call(makeFakePortal({ seed: 6 }), url).body),
    );
    // Account details are seed-independent; everything generated should move.
    expect(differing.length).toBeGreaterThanOrEqual(URLS.length - 3);
  });
});

describe("route table", () => {
  it("has unique method+pattern pairs without trailing slashes", () => {
    const keys = extraRoutes.map((r) => `${r.method} ${r.pattern}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(extraRoutes.every((r) => r.pattern.startsWith("/") && !r.pattern.endsWith("/"))).toBe(true);
  });

  it("guards the engagements with the connector's scopes and the marketing APIs with content", () => {
    const scopes = (p: string) => extraRoutes.find((r) => r.pattern === p)?.scopes;
    expect(scopes("/engagements/v1/engagements/paged")).toEqual([
      "crm.objects.contacts.read",
      "crm.objects.companies.read",
      "crm.objects.deals.read",
      "tickets",
      "e-commerce",
    ]);
    expect(scopes("/email/public/v1/events")).toEqual(["content"]);
    expect(scopes("/crm/v3/lists/search")).toEqual(["crm.lists.read"]);
    expect(scopes("/events/v3/events")).toEqual(["business-intelligence", "oauth"]);
    expect(scopes("/marketing/v3/emails")).toContain("marketing.email.read");
  });
});
