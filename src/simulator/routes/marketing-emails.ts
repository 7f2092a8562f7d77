/**
 * `GET /marketing/v3/emails`: marketing emails with optional inline stats, paged by `after` (base64 of
 * the next index, as HubSpot's "MjA%3D" cursors are) or by a numeric `offset`.
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import { DAY_MS, errorResult, intOf, intParam, iso, pick, timeParam } from "./extra-common.js";
import { campaignCount, campaignIdAt } from "./legacy-email-campaigns.js";

const STATES = ["PUBLISHED", "PUBLISHED", "PUBLISHED", "DRAFT", "SCHEDULED", "AUTOMATED", "AUTOMATED_DRAFT"] as const;
const TYPES = ["BATCH_EMAIL", "BATCH_EMAIL", "AUTOMATED_EMAIL", "AB_EMAIL", "RSS_EMAIL"] as const;
/** PublicEmail.subcategory for each type (the spec derives the type from it). */
const SUBCATEGORY: Record<(typeof TYPES)[number], string> = {
  BATCH_EMAIL: "batch",
  AUTOMATED_EMAIL: "automated",
  AB_EMAIL: "ab_master",
  RSS_EMAIL: "rss_to_email",
};

/** Number of marketing emails in the portal (30–200, from the seed). */
export function marketingEmailCount(portal: PortalView): number {
  return intOf(portal, 30, 200, "marketing-emails", "count");
}

function times(portal: PortalView, k: number) {
  const createdAt = portal.now() - Math.floor((1 + portal.random("marketing-emails", "created", k) * 700) * DAY_MS);
  const updatedAt =
    createdAt + Math.floor(portal.random("marketing-emails", "updated", k) * (portal.now() - createdAt));
  return { createdAt, updatedAt };
}

function stats(portal: PortalView, k: number) {
  const r = (key: string) => portal.random("marketing-emails", "stats", key, k);
  const sent = Math.floor(r("sent") * 4000);
  const delivered = Math.floor(sent * (0.9 + r("dlv") * 0.09));
  const open = Math.floor(delivered * r("open") * 0.6);
  const click = Math.floor(open * r("click") * 0.4);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 100);
  return {
    counters: {
      sent,
      delivered,
      open,
      click,
      bounce: sent - delivered,
      unsubscribed: Math.floor(open * 0.02),
      dropped: 0,
    },
    deviceBreakdown: { open_device_type: { computer: Math.ceil(open / 2), mobile: Math.floor(open / 2), unknown: 0 } },
    qualifierStats: {},
    ratios: {
      deliveredratio: ratio(delivered, sent),
      openratio: ratio(open, delivered),
      clickratio: ratio(click, delivered),
    },
  };
}

function email(portal: PortalView, k: number, withStats: boolean) {
  const { createdAt, updatedAt } = times(portal, k);
  const state = pick(portal, STATES, "marketing-emails", "state", k);
  const published = state === "PUBLISHED" || state === "AUTOMATED";
  const campaignId = String(campaignIdAt(portal, k % Math.max(1, campaignCount(portal))));
  const type = pick(portal, TYPES, "marketing-emails", "type", k);
  // PublicEmail's required fields (content, from, sendOnPublish, subcategory, to …) plus isAb, which HubSpot
  // sends on every email.
  return {
    id: String(150_000_000 + k * 17),
    name: `Marketing email ${k + 1}`,
    subject: `Offer #${k + 1}`,
    state,
    type,
    subcategory: SUBCATEGORY[type],
    isAb: type === "AB_EMAIL",
    isTransactional: false,
    sendOnPublish: type !== "AUTOMATED_EMAIL",
    language: "en",
    activeDomain: "info.example.com",
    content: { templatePath: "@hubspot/email/dnd/welcome.html", plainTextVersion: "", widgets: {} },
    to: { contactIds: {}, contactIlsLists: { include: [], exclude: [] }, suppressGraymail: true },
    isPublished: published,
    publishDate: iso(published ? updatedAt : createdAt),
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
    archived: false,
    allEmailCampaignIds: published ? [campaignId] : [],
    ...(published ? { primaryEmailCampaignId: campaignId } : {}),
    from: { fromName: "Marketing Team", replyTo: "marketing@example.com" },
    ...(withStats ? { stats: stats(portal, k) } : {}),
  };
}

function decodeAfter(after: string): number | undefined {
  const text = Buffer.from(decodeURIComponent(after), "base64").toString("utf8");
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function list(req: SimRequest, portal: PortalView): SimResult {
  const q = req.query;
  const limit = intParam(q, "limit", 10, 500);
  const withStats = q.get("includeStats") === "true";
  if (q.get("archived") === "true") return { status: 200, body: { total: 0, results: [] } };
  const bounds = {
    createdAfter: timeParam(q, "createdAfter"),
    createdBefore: timeParam(q, "createdBefore"),
    updatedAfter: timeParam(q, "updatedAfter"),
    updatedBefore: timeParam(q, "updatedBefore"),
  };
  const n = marketingEmailCount(portal);
  // The catalog is at most 200 emails, so filtering by index is cheap.
  const matching: number[] = [];
  for (let k = 0; k < n; k++) {
    const { createdAt, updatedAt } = times(portal, k);
    if (bounds.createdAfter !== undefined && createdAt < bounds.createdAfter) continue;
    if (bounds.createdBefore !== undefined && createdAt > bounds.createdBefore) continue;
    if (bounds.updatedAfter !== undefined && updatedAt < bounds.updatedAfter) continue;
    if (bounds.updatedBefore !== undefined && updatedAt > bounds.updatedBefore) continue;
    matching.push(k);
  }
  const after = q.get("after");
  const offset = q.get("offset");
  let start = 0;
  if (after !== null && after !== "") {
    const pos = decodeAfter(after);
    if (pos === undefined) return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid after cursor");
    start = pos;
  } else if (offset !== null && offset !== "") {
    start = Math.max(0, Math.trunc(Number(offset)) || 0);
  }
  const results = matching.slice(start, start + limit).map((k) => email(portal, k, withStats));
  const body: Record<string, unknown> = { total: matching.length, results };
  if (start + limit < matching.length) {
    const token = encodeURIComponent(Buffer.from(String(start + limit)).toString("base64"));
    body.paging = { next: { after: token, link: `https://api.hubapi.com/marketing/v3/emails/?after=${token}` } };
  }
  return { status: 200, body };
}

/**
 * The marketing emails route. HubSpot's docs list `content`, `marketing-email` and `transactional-email` for
 * the API, and it also takes the granular `marketing.email.read` (issue 8.7).
 */
export const marketingEmailRoutes: SimRoute[] = [
  {
    method: "GET",
    pattern: "/marketing/v3/emails",
    scopes: ["content", "marketing.email.read", "marketing-email", "transactional-email"],
    handle: list,
  },
];
