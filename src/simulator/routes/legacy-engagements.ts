/**
 * Engagements v1: `/engagements/v1/engagements/paged` (all engagements in id order) and
 * `/engagements/v1/engagements/recent/modified` (last 30 days, newest first, silently capped at 10,000, its
 * `total` too).
 * Both read the same v3 calls/emails/meetings/notes/tasks records the CRM object APIs serve.
 */
import type { PortalView, SimObject, SimRequest, SimResult, SimRoute } from "../types.js";
import { DAY_MS, intParam, numId, timeParam } from "./extra-common.js";
import { ENGAGEMENT_TYPES, toV1Engagement } from "./legacy-engagement-shape.js";
import { TopK } from "./legacy-top-k.js";

/** Scopes any one of which opens the v1 engagements endpoints (connector doc, "engagements" row). */
export const ENGAGEMENT_SCOPES = [
  "crm.objects.contacts.read",
  "crm.objects.companies.read",
  "crm.objects.deals.read",
  "tickets",
  "e-commerce",
];

/** The recent endpoint's documented horizon and record cap. */
export const RECENT_WINDOW_MS = 30 * DAY_MS;
export const RECENT_MAX_RECORDS = 10_000;

/**
 * Paged offsets encode the last served (id, type rank) as id * 8 + rank: v1 ids are unique in HubSpot,
 * but the position must stay exact even if two types ever share an id.
 */
const RANK_SLOTS = 8;

// First index of `type` ordered after (afterId, afterRank); idAt is in ascending numeric id order.
function firstIndexAfter(portal: PortalView, type: string, rank: number, afterId: number, afterRank: number): number {
  const inclusive = rank > afterRank;
  let lo = 0;
  let hi = portal.count(type);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const id = numId(portal.idAt(type, mid) ?? "0");
    if (id > afterId || (inclusive && id === afterId)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function paged(req: SimRequest, portal: PortalView): SimResult {
  const limit = intParam(req.query, "limit", 100, 250);
  const raw = req.query.get("offset");
  const offset = raw === null || raw === "" ? -1 : Math.max(0, Math.trunc(Number(raw)) || 0);
  const afterId = offset < 0 ? -1 : Math.floor(offset / RANK_SLOTS);
  const afterRank = offset < 0 ? RANK_SLOTS : offset % RANK_SLOTS;
  // A five-way merge by (id, type rank) resumes right after the last engagement served.
  const heads = ENGAGEMENT_TYPES.map((t, rank) => firstIndexAfter(portal, t, rank, afterId, afterRank));
  const ends = ENGAGEMENT_TYPES.map((t) => portal.count(t));
  const results: unknown[] = [];
  let last = Math.max(0, offset);
  while (results.length < limit) {
    let best = -1;
    let bestId = Number.POSITIVE_INFINITY;
    ENGAGEMENT_TYPES.forEach((type, t) => {
      if ((heads[t] ?? 0) >= (ends[t] ?? 0)) return;
      const id = numId(portal.idAt(type, heads[t] ?? 0) ?? "0");
      if (id < bestId) {
        best = t;
        bestId = id;
      }
    });
    if (best < 0) break;
    const type = ENGAGEMENT_TYPES[best] as string;
    const id = portal.idAt(type, heads[best] ?? 0) as string;
    heads[best] = (heads[best] ?? 0) + 1;
    const obj = portal.get(type, id);
    if (obj) results.push(toV1Engagement(obj, portal, req.scopes));
    last = bestId * RANK_SLOTS + best;
  }
  const hasMore = heads.some((h, t) => h < (ends[t] ?? 0));
  return { status: 200, body: { results, hasMore, offset: last } };
}

// Newest first; ties broken by the larger id so the order is total.
const rankOf = (o: SimObject): number => ENGAGEMENT_TYPES.indexOf(o.objectType as (typeof ENGAGEMENT_TYPES)[number]);
const newerFirst = (a: SimObject, b: SimObject): number =>
  b.updatedAt - a.updatedAt || numId(b.id) - numId(a.id) || rankOf(b) - rankOf(a);

function recent(req: SimRequest, portal: PortalView): SimResult {
  const count = intParam(req.query, "count", 20, 100);
  const offset = Math.max(0, Math.trunc(Number(req.query.get("offset") ?? "0")) || 0);
  const since = timeParam(req.query, "since");
  const horizon = portal.now() - RECENT_WINDOW_MS;
  // Only the first min(offset + count, 10k) of the ordering are ever needed, so keep just those.
  const keep = Math.min(offset + count, RECENT_MAX_RECORDS);
  const top = new TopK<SimObject>(keep, newerFirst);
  let total = 0;
  for (const type of ENGAGEMENT_TYPES) {
    const n = portal.count(type);
    for (let i = 0; i < n; i++) {
      const id = portal.idAt(type, i);
      const obj = id === undefined ? undefined : portal.get(type, id);
      if (!obj || obj.updatedAt < horizon || (since !== undefined && obj.updatedAt <= since)) continue;
      total++;
      top.offer(obj);
    }
  }
  const page = top.sorted().slice(offset, offset + count);
  const served = offset + page.length;
  // Past 10k HubSpot just stops: hasMore turns false, and `total` may be capped at 10k too, so it cannot say
  // whether more records changed.
  const hasMore = served < Math.min(total, RECENT_MAX_RECORDS);
  return {
    status: 200,
    body: {
      results: page.map((o) => toV1Engagement(o, portal, req.scopes)),
      hasMore,
      offset: served,
      total: Math.min(total, RECENT_MAX_RECORDS),
    },
  };
}

/** The two v1 engagement listing routes. */
export const engagementRoutes: SimRoute[] = [
  { method: "GET", pattern: "/engagements/v1/engagements/paged", scopes: ENGAGEMENT_SCOPES, handle: paged },
  { method: "GET", pattern: "/engagements/v1/engagements/recent/modified", scopes: ENGAGEMENT_SCOPES, handle: recent },
];
