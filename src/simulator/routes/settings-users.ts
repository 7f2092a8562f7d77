/**
 * Settings and account: `GET /settings/v3/users` (one user per owner plus a few seat-less users),
 * `GET /account-info/v3/details` and the legacy `GET /integrations/v1/me`.
 */
import type { PortalView, SimOwner, SimRequest, SimResult, SimRoute } from "../types.js";
import { errorResult, intOf, intParam } from "./extra-common.js";

/** Users who own no records (admins, integrations) still appear in the users list. */
const EXTRA_USERS = 2;

function user(portal: PortalView, owners: SimOwner[], k: number) {
  const owner = owners[k];
  const roleId = portal.random("users", "role", k) < 0.5 ? "100" : "101";
  const primaryTeam = owner?.teams.find((t) => t.primary)?.id;
  return {
    // An owner's userId is the matching user's id, as in HubSpot.
    id: String(owner?.userId ?? 10_000_000 + k * 97 + intOf(portal, 0, 90, "users", "id", k)),
    email: owner?.email ?? `user${k + 1}@example.com`,
    firstName: owner?.firstName ?? `User${k + 1}`,
    lastName: owner?.lastName ?? "Example",
    roleIds: [roleId],
    roleId,
    ...(primaryTeam ? { primaryTeamId: primaryTeam } : {}),
    secondaryTeamIds: owner?.teams.filter((t) => !t.primary).map((t) => t.id) ?? [],
    superAdmin: k === 0,
  };
}

function users(req: SimRequest, portal: PortalView): SimResult {
  // Full owner records when the portal offers them; otherwise bare ids and derived details.
  const owners = portal.ownerList ? portal.ownerList(false) : [];
  const n = (portal.ownerList ? owners.length : portal.ownerIds().length) + EXTRA_USERS;
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
