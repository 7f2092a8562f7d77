/**
 * Web analytics events: `GET /events/v3/events` and its dated alias `/events/event-occurrences/2026-03`.
 * Each CRM record has 0–6 events spread between its creation and now; with `objectId` one record's
 * events are listed, without it the records of the type are walked in id order.
 */
import type { PortalView, SimRequest, SimResult, SimRoute } from "../types.js";
import {
  decodeCursor,
  encodeCursor,
  errorResult,
  intParam,
  iso,
  queryFingerprint,
  timeParam,
  uuidOf,
} from "./extra-common.js";

// Accepted spellings of objectType → [portal type, label printed in results].
const OBJECT_TYPES: Record<string, [string, string]> = {};
for (const [type, label, aliases] of [
  ["contacts", "CONTACT", ["contact", "0-1"]],
  ["companies", "COMPANY", ["company", "0-2"]],
  ["deals", "DEAL", ["deal", "0-3"]],
  ["tickets", "TICKET", ["ticket", "0-5"]],
  ["calls", "CALL", ["call", "0-48"]],
  ["emails", "EMAIL", ["email", "0-49"]],
  ["meetings", "MEETING", ["meeting", "0-47"]],
  ["notes", "NOTE", ["note", "0-46"]],
  ["tasks", "TASK", ["task", "0-27"]],
  ["goal_targets", "GOAL_TARGET", ["goal_target", "goals", "0-74"]],
  ["line_items", "LINE_ITEM", ["line_item", "0-8"]],
  ["products", "PRODUCT", ["product", "0-7"]],
] as const) {
  for (const name of [type, label, ...aliases]) OBJECT_TYPES[name.toLowerCase()] = [type, label];
}

/** At most this many events per record; cursor positions are record index × SLOTS + event index. */
const SLOTS = 8;
// Records walked per request when listing a whole type; a short page with a next cursor is legal.
const RECORD_BUDGET = 5000;

function eventTypes(portal: PortalView): string[] {
  return [
    "e_visited_page",
    "e_visited_page",
    "e_visited_page",
    "e_submitted_form",
    `pe${portal.portalId}_demo_requested`,
  ];
}

interface RecordRef {
  type: string;
  label: string;
  id: string;
  createdAt: number;
}

function eventsOf(portal: PortalView, ref: RecordRef): Record<string, unknown>[] {
  const n = Math.floor(portal.random("web-events", ref.type, ref.id, "n") * 7);
  const span = Math.max(1, portal.now() - ref.createdAt);
  const types = eventTypes(portal);
  const out = [];
  for (let j = 0; j < n; j++) {
    const u = portal.random("web-events", ref.type, ref.id, "t", j);
    const eventType = types[Math.floor(portal.random("web-events", ref.type, ref.id, "k", j) * types.length)] as string;
    const page = `https://www.example.com/${eventType === "e_submitted_form" ? "contact-us" : `blog/post-${j + 1}`}`;
    out.push({
      objectType: ref.label,
      objectId: ref.id,
      eventType,
      occurredAt: iso(ref.createdAt + Math.floor(((j + u) / n) * span)),
      id: uuidOf(portal, "web-event", ref.type, ref.id, j),
      properties: {
        hs_url: page,
        hs_title: eventType === "e_submitted_form" ? "Contact us" : `Post ${j + 1}`,
        hs_referrer: j === 0 ? "https://www.google.com/" : "https://www.example.com/",
        hs_browser: "chrome",
        hs_device_type: u < 0.6 ? "COMPUTER" : "MOBILE",
        hs_country: "us",
        // Unset event properties are left out (ExternalUnifiedEvent.properties maps to strings only).
        ...(j === 0 ? { hs_utm_source: "google" } : {}),
        hs_session_id: uuidOf(portal, "web-session", ref.type, ref.id, j),
      },
    });
  }
  return out;
}

function list(req: SimRequest, portal: PortalView): SimResult {
  const q = req.query;
  const named = OBJECT_TYPES[(q.get("objectType") ?? "").toLowerCase()];
  if (!named) return errorResult(req, portal, 400, "VALIDATION_ERROR", "objectType is missing or not supported");
  const [type, label] = named;
  const limit = intParam(q, "limit", 100, 100);
  const fingerprint = queryFingerprint(q, ["after", "limit"]);
  const after = q.get("after");
  const start = after ? decodeCursor(after, fingerprint) : 0;
  if (start === undefined) return errorResult(req, portal, 400, "VALIDATION_ERROR", "Invalid after cursor");
  const from = timeParam(q, "occurredAfter");
  const to = timeParam(q, "occurredBefore");
  const wantType = q.get("eventType");
  const keep = (e: Record<string, unknown>) => {
    const t = Date.parse(String(e.occurredAt));
    return (
      (!wantType || e.eventType === wantType) && (from === undefined || t >= from) && (to === undefined || t <= to)
    );
  };
  const objectId = q.get("objectId");
  const results: Record<string, unknown>[] = [];
  let pos = start;
  let end: number;
  if (objectId) {
    const obj = portal.get(type, objectId);
    const all = obj ? eventsOf(portal, { type, label, id: obj.id, createdAt: obj.createdAt }).filter(keep) : [];
    if (q.get("sort") === "DESCENDING") all.reverse();
    end = all.length;
    results.push(...all.slice(start, start + limit));
    pos = Math.min(end, start + limit);
  } else {
    // Position = record index × SLOTS + event index, so a page can stop mid-record.
    const records = portal.count(type);
    end = records * SLOTS;
    const stopRecord = Math.min(records, Math.floor(start / SLOTS) + RECORD_BUDGET);
    while (results.length < limit && Math.floor(pos / SLOTS) < stopRecord) {
      const r = Math.floor(pos / SLOTS);
      const id = portal.idAt(type, r);
      const obj = id === undefined ? undefined : portal.get(type, id);
      const evs = obj ? eventsOf(portal, { type, label, id: obj.id, createdAt: obj.createdAt }) : [];
      const j = pos % SLOTS;
      if (j < evs.length) {
        const e = evs[j] as Record<string, unknown>;
        if (keep(e)) results.push(e);
        pos++;
      } else {
        pos = (r + 1) * SLOTS;
      }
    }
  }
  if (pos >= end) return { status: 200, body: { results } };
  const token = encodeCursor(pos, fingerprint);
  const rest = new URLSearchParams(q);
  rest.set("after", token);
  return {
    status: 200,
    body: { results, paging: { next: { after: token, link: `https://api.hubapi.com${req.path}?${rest}` } } },
  };
}

/** Web analytics routes (scope `business-intelligence`). */
/** Events/…/v3/events.json secures reads with `oauth`; the connector docs name `business-intelligence`. */
const EVENT_SCOPES = ["business-intelligence", "oauth"];

export const analyticsRoutes: SimRoute[] = [
  { method: "GET", pattern: "/events/v3/events", scopes: EVENT_SCOPES, handle: list },
  { method: "GET", pattern: "/events/event-occurrences/2026-03", scopes: EVENT_SCOPES, handle: list },
];
