/**
 * `GET /email/public/v1/events`: email events newest first, filtered by time window, type, campaign,
 * recipient or app, paged by an opaque offset that only works with the query that issued it.
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import {
  DAY_MS,
  decodeCursor,
  encodeCursor,
  errorResult,
  intParam,
  queryFingerprint,
  timeParam,
  uuidOf,
} from "./extra-common.js";
import { makeTimeline, type Timeline } from "./extra-timeline.js";
import { campaignCount, campaignSummary } from "./legacy-email-campaigns.js";

// Relative frequencies of event types in a typical portal.
const TYPE_WEIGHTS: [string, number][] = [
  ["PROCESSED", 20],
  ["SENT", 20],
  ["DELIVERED", 20],
  ["OPEN", 18],
  ["CLICK", 8],
  ["DEFERRED", 3],
  ["BOUNCE", 3],
  ["DROPPED", 2],
  ["STATUSCHANGE", 2],
  ["FORWARD", 2],
  ["SPAMREPORT", 1],
  ["PRINT", 1],
];
const TOTAL_WEIGHT = TYPE_WEIGHTS.reduce((s, [, w]) => s + w, 0);

/** Events per contact, and how far back they reach. */
const EVENTS_PER_CONTACT = 4;
const EVENT_SPAN_MS = 365 * DAY_MS;
// A filtered query inspects at most this many events per request and may return a short page.
const SCAN_BUDGET = 20_000;

/** The portal's email-event timeline (index 0 = newest). */
export function eventTimeline(portal: PortalView): Timeline {
  return makeTimeline(
    portal,
    "email-events",
    portal.count("contacts") * EVENTS_PER_CONTACT,
    portal.now(),
    EVENT_SPAN_MS,
  );
}

function typeAt(portal: PortalView, i: number): string {
  let x = portal.random("email-events", "type", i) * TOTAL_WEIGHT;
  for (const [type, w] of TYPE_WEIGHTS) {
    x -= w;
    if (x < 0) return type;
  }
  return "PROCESSED";
}

/** Event i of the timeline, as the legacy API prints it. */
export function eventAt(portal: PortalView, timeline: Timeline, i: number): Record<string, unknown> {
  const created = timeline.timeAt(i);
  const campaign = campaignSummary(
    portal,
    Math.floor(portal.random("email-events", "campaign", i) * campaignCount(portal)),
  );
  const contacts = portal.count("contacts");
  const contactId = portal.idAt("contacts", Math.floor(portal.random("email-events", "recipient", i) * contacts));
  const email = contactId === undefined ? undefined : portal.get("contacts", contactId)?.properties.email;
  const type = typeAt(portal, i);
  const event: Record<string, unknown> = {
    appId: campaign.appId,
    appName: campaign.appName,
    created,
    emailCampaignId: campaign.id,
    id: uuidOf(portal, "email-event", i),
    portalId: portal.portalId,
    recipient: email ?? `contact-${contactId ?? i}@example.com`,
    type,
    sentBy: { id: uuidOf(portal, "email-send", i), created: created - 1000 },
  };
  if (type === "OPEN" || type === "CLICK") {
    event.browser = {
      name: "Chrome 122",
      family: "Chrome",
      producer: "Google Inc.",
      type: "Browser",
      version: ["122"],
    };
    event.location = { country: "United States", state: "massachusetts", city: "boston" };
    event.userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/122.0 Safari/537.36";
    event.filteredEvent = portal.random("email-events", "filtered", i) < 0.05;
  }
  if (type === "CLICK") event.url = `https://example.com/landing/${campaign.id}`;
  if (type === "DELIVERED") event.response = "250 2.0.0 OK";
  if (type === "SENT") event.subject = `Newsletter for ${campaign.id}`;
  if (type === "PROCESSED") event.smtpId = `<${uuidOf(portal, "smtp", i)}@example.com>`;
  if (type === "BOUNCE") event.category = "HARD_BOUNCE";
  return event;
}

function events(req: SimRequest, portal: PortalView): SimResult {
  const q = req.query;
  const limit = intParam(q, "limit", 10, 1000);
  const fingerprint = queryFingerprint(q);
  const rawOffset = q.get("offset");
  const timeline = eventTimeline(portal);
  const [from, to] = timeline.range(timeParam(q, "startTimestamp"), timeParam(q, "endTimestamp"));
  let start = from;
  if (rawOffset !== null && rawOffset !== "") {
    const pos = decodeCursor(rawOffset, fingerprint);
    // An offset from another query (or a made-up one) is rejected, as HubSpot does.
    if (pos === undefined || pos < from || pos > to) {
      return errorResult(req, portal, 400, "VALIDATION_ERROR", "The offset is invalid or expired for this query");
    }
    start = pos;
  }
  const wanted = {
    type: q.get("eventType"),
    campaign: q.get("campaignId"),
    recipient: q.get("recipient")?.toLowerCase(),
    app: q.get("appId"),
  };
  const excludeFiltered = q.get("excludeFilteredEvents") === "true";
  const out: Record<string, unknown>[] = [];
  let i = start;
  const stop = Math.min(to, start + SCAN_BUDGET);
  for (; i < stop && out.length < limit; i++) {
    // Cheap type check before building the event.
    if (wanted.type && typeAt(portal, i) !== wanted.type) continue;
    const e = eventAt(portal, timeline, i);
    if (wanted.campaign && String(e.emailCampaignId) !== wanted.campaign) continue;
    if (wanted.recipient && String(e.recipient).toLowerCase() !== wanted.recipient) continue;
    if (wanted.app && String(e.appId) !== wanted.app) continue;
    if (excludeFiltered && e.filteredEvent === true) continue;
    out.push(e);
  }
  return { status: 200, body: { events: out, hasMore: i < to, offset: encodeCursor(i, fingerprint) } };
}

/** The email events route (scope `content`). */
export const emailEventRoutes: SimRoute[] = [
  { method: "GET", pattern: "/email/public/v1/events", scopes: ["content"], handle: events },
];
