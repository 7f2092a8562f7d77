import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSim, type TestSim } from "./sim-helpers.js";

const form = (o: Record<string, string>) =>
  ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(o),
  }) as const;

describe("auth", () => {
  let sim: TestSim;
  const refresh = async (refreshToken: string, secret?: string) => {
    const { clientId, clientSecret } = sim.credentials.oauth;
    const res = await fetch(
      `${sim.url}/oauth/v1/token`,
      form({
        grant_type: "refresh_token",
        client_id: clientId,
        client_secret: secret ?? clientSecret,
        refresh_token: refreshToken,
      }),
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  beforeAll(async () => {
    sim = await startTestSim({ seed: 2, oauth: { accessTokenTtlSec: 600, rotateRefreshToken: true } });
  });
  afterAll(() => sim.close());

  it("401 INVALID_AUTHENTICATION with the exact body and x-hubspot-auth-failure for unknown tokens", async () => {
    const res = await sim.get("/crm/v3/objects/contacts", "pat-na1-nope");
    expect(res.status).toBe(401);
    expect(res.headers.get("x-hubspot-auth-failure")).toBe("401 Unauthorized");
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({
      status: "error",
      message:
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
      correlationId: res.headers.get("x-hubspot-correlation-id"),
      category: "INVALID_AUTHENTICATION",
    });
    expect((await fetch(`${sim.url}/crm/v3/objects/contacts`)).status).toBe(401);
  });

  it("refreshes, expires access tokens (401 EXPIRED_AUTHENTICATION) and rotates refresh tokens", async () => {
    const first = await refresh(sim.credentials.oauth.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      token_type: "bearer",
      expires_in: 600,
      token_use: "access_token",
      hub_id: sim.portal.portalId,
    });
    const access = first.body.access_token as string;
    expect((await sim.get("/crm/v3/objects/contacts?limit=1", access)).status).toBe(200);
    const info = (await (await fetch(`${sim.url}/oauth/v1/access-tokens/${access}`)).json()) as {
      hub_id: number;
      expires_in: number;
      scopes: string[];
    };
    expect(info.hub_id).toBe(sim.portal.portalId);
    expect(info.expires_in).toBeGreaterThan(590);
    expect(info.scopes).toContain("crm.objects.contacts.read");

    sim.portal.advance(601_000);
    const expired = await sim.get("/crm/v3/objects/contacts?limit=1", access);
    expect(expired.status).toBe(401);
    const eb = (await expired.json()) as { category: string; message: string; context: Record<string, string[]> };
    expect(eb.category).toBe("EXPIRED_AUTHENTICATION");
    expect(eb.message).toMatch(/^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/);
    expect(eb.context["expire time"]).toHaveLength(1);

    // Rotation: the new refresh token works, the old one is now BAD_REFRESH_TOKEN.
    const rotated = first.body.refresh_token as string;
    expect(rotated).not.toBe(sim.credentials.oauth.refreshToken);
    const stale = await refresh(sim.credentials.oauth.refreshToken);
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ error: "invalid_grant", status: "BAD_REFRESH_TOKEN" });
    const second = await refresh(rotated);
    expect(second.status).toBe(200);
    expect((await sim.get("/crm/v3/objects/contacts?limit=1", second.body.access_token as string)).status).toBe(200);
    sim.expireAccessTokens();
    expect((await sim.get("/crm/v3/objects/contacts?limit=1", second.body.access_token as string)).status).toBe(401);
  });

  it("rejects a bad client secret with 400", async () => {
    const r = await refresh(sim.currentRefreshToken(), "wrong");
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_client");
  });

  it("403 MISSING_SCOPES names the scopes the route needs", async () => {
    const token = sim.issueToken(["crm.objects.companies.read"]);
    expect((await sim.get("/crm/v3/objects/companies?limit=1", token)).status).toBe(200);
    const res = await sim.get("/crm/v3/objects/contacts?limit=1", token);
    expect(res.status).toBe(403);
    const body = (await res.json()) as {
      category: string;
      errors: { context: { requiredScopes: string[] } }[];
      links: object;
    };
    expect(body.category).toBe("MISSING_SCOPES");
    expect(body.errors[0]!.context.requiredScopes).toEqual(["crm.objects.contacts.read"]);
    expect(body.links).toEqual({ scopes: "https://developers.hubspot.com/scopes" });
    // The emails object's spec secures it by the contacts scope alone (sales-email-read is a v1 engagements matter).
    const emails = await sim.get("/crm/v3/objects/emails?limit=1", sim.issueToken(["crm.objects.contacts.read"]));
    expect(emails.status).toBe(200);
    expect((await sim.get("/crm/v3/owners", token)).status).toBe(403);
    expect((await sim.get("/crm/v3/schemas", token)).status).toBe(403);
  });

  it("reports a private app's scopes through access-token-info", async () => {
    const token = sim.issueToken(["tickets", "e-commerce"]);
    const res = await fetch(`${sim.url}/oauth/v2/private-apps/get/access-token-info`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tokenKey: token }),
    });
    const body = (await res.json()) as { hubId: number; scopes: string[] };
    expect(body.hubId).toBe(sim.portal.portalId);
    expect(body.scopes.sort()).toEqual(["e-commerce", "tickets"]);
  });
});
