/** The simulator's non-CRM answers (auth, lists, forms, marketing emails, users, account, events) against HubSpot's schemas. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSim, type TestSim } from "./sim-helpers.js";
import * as S from "./spec-schemas.js";

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim({ seed: 52, scale: "small" });
});
afterAll(() => sim.close());

const get = async (path: string) => (await sim.get(path)).json() as Promise<unknown>;
const post = async (path: string, body: unknown) => (await sim.post(path, body)).json() as Promise<unknown>;

describe("auth", () => {
  it("refreshes an OAuth token as AccessTokenResponse and introspects it as AccessTokenInfoResponse", async () => {
    const { clientId, clientSecret, refreshToken } = sim.credentials.oauth;
    const res = await fetch(`${sim.url}/oauth/v1/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: refreshToken,
      }).toString(),
    });
    const token = (await res.json()) as { access_token: string };
    expect(S.violations(S.accessToken, token)).toEqual([]);
    const info = await (await fetch(`${sim.url}/oauth/v1/access-tokens/${token.access_token}`)).json();
    expect(S.violations(S.accessTokenInfo, info)).toEqual([]);
  });

  it("describes a private-app token with its scopes", async () => {
    const body = await post("/oauth/v2/private-apps/get/access-token-info", {
      tokenKey: sim.credentials.privateAppToken,
    });
    expect(S.violations(S.privateAppTokenInfo, body)).toEqual([]);
  });

  it("refuses a missing scope with HubSpot's 403 body", async () => {
    const res = await sim.get("/marketing/v3/emails", sim.issueToken(["forms"]));
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(S.violations(S.error, body)).toEqual([]);
    expect(body).toMatchObject({
      category: "MISSING_SCOPES",
      errors: [{ context: { requiredScopes: expect.arrayContaining(["content", "marketing.email.read"]) } }],
    });
  });
});

describe("lists", () => {
  it("searches lists as ListSearchResponse, leaving unset additionalProperties out", async () => {
    const body = (await post("/crm/v3/lists/search", { count: 500 })) as { lists: { listId: string }[] };
    expect(body.lists.length).toBeGreaterThan(0);
    expect(S.violations(S.listSearch, body)).toEqual([]);
  });

  it("pages list memberships by recordId", async () => {
    const { lists } = (await post("/crm/v3/lists/search", { count: 500 })) as {
      lists: { listId: string; objectTypeId: string }[];
    };
    const contactList = lists.find((l) => l.objectTypeId === "0-1")!;
    expect(S.violations(S.memberships, await get(`/crm/v3/lists/${contactList.listId}/memberships?limit=5`))).toEqual(
      [],
    );
  });
});

describe("marketing", () => {
  it("lists forms as HubSpotFormDefinition with the full configuration and display options", async () => {
    const body = (await get("/marketing/v3/forms?formTypes=all&limit=100")) as {
      results: { fieldGroups: { fields: { fieldType: string }[] }[] }[];
    };
    expect(body.results.length).toBeGreaterThan(0);
    expect(S.violations(S.forms, body)).toEqual([]);
    const emailFields = body.results
      .flatMap((f) => f.fieldGroups.flatMap((g) => g.fields))
      .filter((f) => f.fieldType === "email");
    expect(emailFields.length).toBe(body.results.length);
    for (const f of emailFields) expect(S.violations(S.emailField, f)).toEqual([]);
  });

  it("lists marketing emails as PublicEmail with their statistics", async () => {
    const body = (await get("/marketing/v3/emails?limit=50&includeStats=true")) as { results: { stats?: unknown }[] };
    expect(S.violations(S.marketingEmails, body)).toEqual([]);
    expect(body.results.every((e) => e.stats !== undefined)).toBe(true);
  });
});

describe("settings, account and events", () => {
  it("lists users as PublicUser", async () => {
    expect(S.violations(S.users, await get("/settings/v3/users?limit=100"))).toEqual([]);
  });

  it("describes the account as PortalInformationResponse", async () => {
    expect(S.violations(S.accountDetails, await get("/account-info/v3/details"))).toEqual([]);
  });

  it("lists web analytics events as ExternalUnifiedEvent, leaving unset event properties out", async () => {
    const { results } = (await get("/crm/v3/objects/contacts?limit=20")) as { results: { id: string }[] };
    let seen = 0;
    for (const { id } of results) {
      const body = (await get(`/events/v3/events?objectType=contact&objectId=${id}&limit=100`)) as {
        results: unknown[];
      };
      expect(S.violations(S.events, body)).toEqual([]);
      seen += body.results.length;
    }
    expect(seen).toBeGreaterThan(0);
  });
});
