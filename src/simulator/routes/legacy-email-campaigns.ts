/**
 * Legacy email campaigns: `/email/public/v1/campaigns`, `/campaigns/by-id` and `/campaigns/:id`.
 * The campaign catalog is small and derived from the seed; email events point into it.
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import {
  DAY_MS,
  decodeCursor,
  encodeCursor,
  errorResult,
  intOf,
  intParam,
  pick,
  queryFingerprint,
} from "./extra-common.js";

const APPS = [
  { appId: 113, appName: "Batch" },
  { appId: 20053, appName: "AbBatch" },
  { appId: 1240, appName: "Automated" },
] as const;

/** Number of email campaigns in the portal (12–31, from the seed). */
export function campaignCount(portal: PortalView): number {
  return intOf(portal, 12, 31, "campaigns", "count");
}

/** Campaign id of the k-th campaign; ids ascend with k but are not contiguous. */
export function campaignIdAt(portal: PortalView, k: number): number {
  return 1_000_000 + k * 37 + intOf(portal, 0, 30, "campaigns", "id", k);
}

/** The summary fields the listing endpoints return for campaign k. */
export function campaignSummary(portal: PortalView, k: number) {
  const app = pick(portal, APPS, "campaigns", "app", k);
  const lastUpdatedTime = portal.now() - Math.floor(portal.random("campaigns", "updated", k) * 400 * DAY_MS);
  return { id: campaignIdAt(portal, k), appId: app.appId, appName: app.appName, lastUpdatedTime };
}

function indexOfCampaign(portal: PortalView, id: number): number | undefined {
  const n = campaignCount(portal);
  for (let k = 0; k < n; k++) if (campaignIdAt(portal, k) === id) return k;
  return undefined;
}

function detail(portal: PortalView, k: number) {
  const summary = campaignSummary(portal, k);
  const r = (key: string) => portal.random("campaigns", key, k);
  const sent = 200 + Math.floor(r("sent") * 5000);
  const delivered = Math.floor(sent * (0.9 + r("dlv") * 0.09));
  const open = Math.floor(delivered * r("open") * 0.6);
  const click = Math.floor(open * r("click") * 0.4);
  const bounce = sent - delivered;
  return {
    ...summary,
    contentId: 5_000_000 + k * 101,
    name: `Campaign ${k + 1}`,
    subject: `Newsletter #${k + 1}`,
    type: summary.appName === "Automated" ? "AUTOMATED" : "BATCH",
    subType: summary.appName === "AbBatch" ? "ab_master" : "",
    numIncluded: sent + Math.floor(r("excl") * 20),
    numQueued: 0,
    processingState: "DONE",
    lastProcessingFinishedAt: summary.lastUpdatedTime,
    lastProcessingStartedAt: summary.lastUpdatedTime - 60_000,
    lastProcessingStateChangeAt: summary.lastUpdatedTime,
    counters: {
      processed: sent,
      sent,
      delivered,
      open,
      click,
      bounce,
      dropped: Math.floor(r("drop") * 10),
      deferred: Math.floor(r("defer") * 15),
      unsubscribed: Math.floor(open * r("unsub") * 0.05),
      spamreport: Math.floor(r("spam") * 3),
      statuschange: Math.floor(r("status") * 8),
      forward: Math.floor(open * r("fwd") * 0.02),
      print: Math.floor(r("print") * 4),
      reply: Math.floor(open * r("reply") * 0.03),
      suppressed: Math.floor(r("supp") * 12),
    },
  };
}

// Both listings share paging: limit (default 10, max 1000) and an opaque offset bound to the query.
function listing(order: (portal: PortalView) => number[], withTime: boolean) {
  return (req: SimRequest, portal: PortalView): SimResult => {
    const limit = intParam(req.query, "limit", 10, 1000);
    const fingerprint = queryFingerprint(req.query);
    const raw = req.query.get("offset");
    const start = raw === null || raw === "" ? 0 : decodeCursor(raw, fingerprint);
    if (start === undefined) return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid or expired offset");
    const ks = order(portal);
    const campaigns = ks.slice(start, start + limit).map((k) => {
      const { lastUpdatedTime, ...rest } = campaignSummary(portal, k);
      return withTime ? { ...rest, lastUpdatedTime } : rest;
    });
    const next = Math.min(ks.length, start + limit);
    return { status: 200, body: { campaigns, hasMore: next < ks.length, offset: encodeCursor(next, fingerprint) } };
  };
}

const byId = (portal: PortalView) => Array.from({ length: campaignCount(portal) }, (_, k) => k);
// The plain listing is "recently active first".
const byRecency = (portal: PortalView) =>
  byId(portal).sort(
    (a, b) => campaignSummary(portal, b).lastUpdatedTime - campaignSummary(portal, a).lastUpdatedTime || a - b,
  );

function getCampaign(req: SimRequest, portal: PortalView): SimResult {
  const raw = req.params.id ?? "";
  const k = /^\d+$/.test(raw) ? indexOfCampaign(portal, Number(raw)) : undefined;
  if (k === undefined) return errorResult(req, portal, 404, "OBJECT_NOT_FOUND", `Campaign ${raw} does not exist`);
  return { status: 200, body: detail(portal, k) };
}

/** Legacy campaign routes (scope `content`). */
export const campaignRoutes: SimRoute[] = [
  { method: "GET", pattern: "/email/public/v1/campaigns", scopes: ["content"], handle: listing(byRecency, true) },
  { method: "GET", pattern: "/email/public/v1/campaigns/by-id", scopes: ["content"], handle: listing(byId, false) },
  { method: "GET", pattern: "/email/public/v1/campaigns/:id", scopes: ["content"], handle: getCampaign },
];
