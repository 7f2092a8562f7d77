/**
 * Email subscriptions: the legacy subscription-change timeline (`/email/public/v1/subscriptions/timeline`),
 * the legacy type list (`/email/public/v1/subscriptions`) and the current definitions
 * (`/communication-preferences/v3/definitions`), all derived from the seed.
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import {
  DAY_MS,
  decodeCursor,
  encodeCursor,
  errorResult,
  intParam,
  iso,
  pick,
  queryFingerprint,
  timeParam,
  uuidOf,
} from "./extra-common.js";
import { makeTimeline } from "./extra-timeline.js";

const DEFINITIONS = [
  ["Marketing Information", "Marketing offers and updates.", "MARKETING", true],
  ["Customer Service Communication", "Feedback requests and service updates.", "MARKETING", false],
  ["One to One", "One to one emails.", "SALES", false],
  ["Newsletter", "The monthly newsletter.", "MARKETING", false],
  ["Product Updates", "Release notes and product news.", "MARKETING", false],
] as const;

/** Subscription definition ids: a stable, seed-dependent, non-contiguous series. */
function definitionId(portal: PortalView, k: number): number {
  return 2849 + k * 1000 + Math.floor(portal.random("subscriptions", "def", k) * 900);
}

function definitionCreatedAt(portal: PortalView, k: number): number {
  return portal.now() - Math.floor((800 + portal.random("subscriptions", "created", k) * 400) * DAY_MS);
}

function legacyDefinitions(_req: SimRequest, portal: PortalView): SimResult {
  const subscriptionDefinitions = DEFINITIONS.map(([name, description, purpose, isDefault], k) => ({
    active: true,
    portalId: portal.portalId,
    description,
    id: definitionId(portal, k),
    name,
    internal: purpose === "SALES",
    category: purpose === "SALES" ? "Sales" : "Marketing",
    channel: "Email",
    businessUnitId: 0,
    isDefault,
  }));
  return { status: 200, body: { subscriptionDefinitions } };
}

function v3Definitions(_req: SimRequest, portal: PortalView): SimResult {
  const subscriptionDefinitions = DEFINITIONS.map(([name, description, purpose, isDefault], k) => {
    const createdAt = definitionCreatedAt(portal, k);
    return {
      id: String(definitionId(portal, k)),
      name,
      description,
      purpose: purpose === "SALES" ? "Sales" : "Marketing",
      communicationMethod: "Email",
      isActive: true,
      isDefault,
      isInternal: purpose === "SALES",
      businessUnitId: 0,
      createdAt: iso(createdAt),
      updatedAt: iso(createdAt + Math.floor(portal.random("subscriptions", "upd", k) * 300 * DAY_MS)),
    };
  });
  return { status: 200, body: { subscriptionDefinitions } };
}

const CHANGE_KINDS = [
  { changeType: "SUBSCRIPTION_STATUS", change: "SUBSCRIBED", source: "SOURCE_RECIPIENT" },
  { changeType: "SUBSCRIPTION_STATUS", change: "UNSUBSCRIBED", source: "SOURCE_RECIPIENT" },
  { changeType: "SUBSCRIPTION_STATUS", change: "SUBSCRIBED", source: "SOURCE_IMPORT" },
  { changeType: "PORTAL_STATUS", change: "UNSUBSCRIBED", source: "SOURCE_RECIPIENT" },
  { changeType: "PORTAL_BOUNCE", change: "BOUNCED", source: "SOURCE_NON_DELIVERY_REPORT" },
  { changeType: "PORTAL_SPAM_REPORT", change: "REPORTED_SPAM", source: "SOURCE_SPAM_REPORT" },
] as const;

const timelineOf = (portal: PortalView) =>
  makeTimeline(
    portal,
    "subscription-timeline",
    Math.floor(portal.count("contacts") * 1.5),
    portal.now(),
    2 * 365 * DAY_MS,
  );

function entryAt(portal: PortalView, i: number, timestamp: number) {
  const kind = pick(portal, CHANGE_KINDS, "subscription-timeline", "kind", i);
  const contactId = portal.idAt(
    "contacts",
    Math.floor(portal.random("subscription-timeline", "who", i) * portal.count("contacts")),
  );
  const email = contactId === undefined ? undefined : portal.get("contacts", contactId)?.properties.email;
  const change: Record<string, unknown> = {
    change: kind.change,
    source: kind.source,
    portalId: portal.portalId,
    changeType: kind.changeType,
    timestamp,
    causedByEvent: { id: uuidOf(portal, "subscription-cause", i), created: timestamp },
  };
  // Only per-type changes name a subscription; portal-wide changes do not.
  if (kind.changeType === "SUBSCRIPTION_STATUS") {
    change.subscriptionId = definitionId(portal, Math.floor(portal.random("subscription-timeline", "def", i) * 5));
  }
  return { timestamp, portalId: portal.portalId, recipient: email ?? `contact-${i}@example.com`, changes: [change] };
}

function timeline(req: SimRequest, portal: PortalView): SimResult {
  const q = req.query;
  const limit = intParam(q, "limit", 10, 1000);
  const fingerprint = queryFingerprint(q);
  const tl = timelineOf(portal);
  const [from, to] = tl.range(timeParam(q, "startTimestamp"), timeParam(q, "endTimestamp"));
  let start = from;
  const raw = q.get("offset");
  if (raw !== null && raw !== "") {
    const pos = decodeCursor(raw, fingerprint);
    if (pos === undefined || pos < from || pos > to) {
      return errorResult(req, portal, 400, "VALIDATION_ERROR", "The offset is invalid or expired for this query");
    }
    start = pos;
  }
  const changeType = q.get("changeType");
  const out: unknown[] = [];
  let i = start;
  // Filtered scans are bounded per request; a short page with hasMore=true is legal.
  const stop = Math.min(to, start + 20_000);
  for (; i < stop && out.length < limit; i++) {
    const entry = entryAt(portal, i, tl.timeAt(i));
    if (changeType && entry.changes[0]?.changeType !== changeType) continue;
    out.push(entry);
  }
  return { status: 200, body: { timeline: out, hasMore: i < to, offset: encodeCursor(i, fingerprint) } };
}

/** Subscription routes (scope `content`). */
export const subscriptionRoutes: SimRoute[] = [
  { method: "GET", pattern: "/email/public/v1/subscriptions/timeline", scopes: ["content"], handle: timeline },
  { method: "GET", pattern: "/email/public/v1/subscriptions", scopes: ["content"], handle: legacyDefinitions },
  { method: "GET", pattern: "/communication-preferences/v3/definitions", scopes: ["content"], handle: v3Definitions },
];
