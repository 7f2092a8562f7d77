/**
 * Settings and account: `GET /settings/v3/users` (one user per owner plus a few seat-less users),
 * `GET /account-info/v3/details` and the legacy `GET /integrations/v1/me`.
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import { errorResult, intOf, intParam } from "./extra-common.js";

/** Users who own no records (admins, integrations) still appear in the users list. */
const EXTRA_USERS = 2;

function user(portal: PortalView, owners: string[], k: number) {
  const ownerId = owners[k];
  const owner = ownerId === undefined ? undefined : portal.get("owners", ownerId);
  const p = owner?.properties ?? {};
  const derivedId = 10_000_000 + k * 97 + intOf(portal, 0, 90, "users", "id", k);
  const roleId = portal.random("users", "role", k) < 0.5 ? "100" : "101";
  return {
    id: String(p.userId ?? derivedId),
    email: p.email ?? `user${k + 1}@example.com`,
    firstName: p.firstName ?? `User${k + 1}`,
    lastName: p.lastName ?? "Example",
    roleIds: [roleId],
    roleId,
    primaryTeamId: String(300 + (k % 3)),
    secondaryTeamIds: [],
    superAdmin: k === 0,
  };
}

function users(req: SimRequest, portal: PortalView): SimResult {
  const owners = portal.ownerIds();
  const n = owners.length + EXTRA_USERS;
  const limit = intParam(req.query, "limit", 100, 100);
  const after = req.query.get("after");
  let start = 0;
  if (after !== null && after !== "") {
    const text = Buffer.from(decodeURIComponent(after), "base64").toString("utf8");
    if (!/^\d+$/.test(text)) return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid after cursor");
    start = Number(text);
  }
  const results = [];
  for (let k = start; k < Math.min(n, start + limit); k++) results.push(user(portal, owners, k));
  if (start + limit >= n) return { status: 200, body: { results } };
  const token = Buffer.from(String(start + limit)).toString("base64");
  const link = `https://api.hubapi.com/settings/v3/users/?after=${encodeURIComponent(token)}`;
  return { status: 200, body: { results, paging: { next: { after: token, link } } } };
}

/** The portal's account settings; the offset is fixed (no DST) so responses stay stable. */
function details(portal: PortalView) {
  return {
    portalId: portal.portalId,
    accountType: "STANDARD",
    timeZone: "US/Eastern",
    companyCurrency: "USD",
    additionalCurrencies: [],
    utcOffset: "-05:00",
    utcOffsetMilliseconds: -18_000_000,
    uiDomain: "app.hubspot.com",
    dataHostingLocation: "na1",
  };
}

/** User and account routes. */
export const settingsRoutes: SimRoute[] = [
  {
    method: "GET",
    pattern: "/settings/v3/users",
    scopes: ["settings.users.read", "crm.objects.users.read"],
    handle: users,
  },
  {
    method: "GET",
    pattern: "/account-info/v3/details",
    // The connector doc lists `oauth` for account_details; OAuth apps always hold it.
    scopes: ["oauth"],
    handle: (_req, portal) => ({ status: 200, body: details(portal) }),
  },
  {
    method: "GET",
    pattern: "/integrations/v1/me",
    scopes: [],
    handle: (_req, portal) => {
      const d = details(portal);
      return {
        status: 200,
        body: {
          portalId: d.portalId,
          timeZone: d.timeZone,
          accountType: d.accountType,
          currency: d.companyCurrency,
          utcOffset: d.utcOffset,
          utcOffsetMilliseconds: d.utcOffsetMilliseconds,
        },
      };
    },
  },
];
