/**
 * Renders a v3 engagement object (calls/emails/meetings/notes/tasks) as the v1 engagement HubSpot's
 * legacy Engagements API returns for the same record (v1 and v3 share ids).
 */
import type { PortalView, SimObject } from "../types.js";
import { msOf, numId, uuidOf } from "./extra-common.js";

/** The five v3 engagement object types, in the order used to break id ties. */
export const ENGAGEMENT_TYPES = ["calls", "emails", "meetings", "notes", "tasks"] as const;
export type EngagementObjectType = (typeof ENGAGEMENT_TYPES)[number];

/** Body HubSpot substitutes for email metadata when the caller lacks `sales-email-read` (legacy docs). */
export const REDACTED_EMAIL_METADATA = {
  cc: [],
  to: [],
  validationSkipped: [],
  html: "The content of this email has been redacted. To include it in the response, your app must require the sales-email-read scope.",
  bcc: [],
} as const;

const V1_TYPE: Record<EngagementObjectType, string> = {
  calls: "CALL",
  emails: "EMAIL",
  meetings: "MEETING",
  notes: "NOTE",
  tasks: "TASK",
};

// hs_email_direction values that v1 reports as their own engagement types.
const EMAIL_DIRECTION_TYPES = new Set(["INCOMING_EMAIL", "FORWARDED_EMAIL"]);

const ids = (portal: PortalView, obj: SimObject, to: string): number[] =>
  portal.associations(obj.objectType, obj.id, to).map(numId);

const addresses = (value: string | null | undefined): { email: string }[] =>
  (value ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((email) => ({ email }));

function numberOrNull(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function metadataOf(obj: SimObject, portal: PortalView, forObjectType: string): Record<string, unknown> {
  const p = obj.properties;
  switch (obj.objectType as EngagementObjectType) {
    case "calls":
      return {
        toNumber: p.hs_call_to_number ?? null,
        fromNumber: p.hs_call_from_number ?? null,
        status: p.hs_call_status ?? null,
        externalId: uuidOf(portal, "call-external", obj.id),
        durationMilliseconds: numberOrNull(p.hs_call_duration),
        externalAccountId: String(Math.floor(portal.random("call-account", obj.id) * 900_000) + 100_000),
        recordingUrl: p.hs_call_recording_url ?? null,
        body: p.hs_call_body ?? null,
        disposition: p.hs_call_disposition ?? null,
      };
    case "emails":
      return {
        from: {
          email: p.hs_email_from_email ?? null,
          firstName: p.hs_email_from_firstname ?? null,
          lastName: p.hs_email_from_lastname ?? null,
        },
        to: addresses(p.hs_email_to_email),
        cc: addresses(p.hs_email_cc_email),
        bcc: addresses(p.hs_email_bcc_email),
        subject: p.hs_email_subject ?? null,
        html: p.hs_email_html ?? null,
        text: p.hs_email_text ?? null,
      };
    case "meetings":
      return {
        body: p.hs_meeting_body ?? null,
        startTime: msOf(p.hs_meeting_start_time, obj.createdAt),
        endTime: msOf(p.hs_meeting_end_time, obj.createdAt),
        title: p.hs_meeting_title ?? null,
      };
    case "notes":
      return { body: p.hs_note_body ?? null };
    case "tasks":
      return {
        body: p.hs_task_body ?? null,
        status: p.hs_task_status ?? null,
        subject: p.hs_task_subject ?? null,
        forObjectType,
        taskType: p.hs_task_type ?? null,
      };
  }
  return {};
}

/**
 * The v1 engagement for a v3 engagement object. Without `sales-email-read`, email engagements come
 * back with redacted metadata and no `ownerId`, as the legacy API does.
 */
export function toV1Engagement(obj: SimObject, portal: PortalView, scopes: ReadonlySet<string>): unknown {
  const type = obj.objectType as EngagementObjectType;
  const direction = obj.properties.hs_email_direction ?? "";
  const v1Type = type === "emails" && EMAIL_DIRECTION_TYPES.has(direction) ? direction : V1_TYPE[type];
  const associations = {
    contactIds: ids(portal, obj, "contacts"),
    companyIds: ids(portal, obj, "companies"),
    dealIds: ids(portal, obj, "deals"),
    ownerIds: [] as number[],
    ticketIds: ids(portal, obj, "tickets"),
  };
  const forObjectType =
    associations.contactIds.length > 0 || associations.companyIds.length + associations.dealIds.length === 0
      ? "CONTACT"
      : associations.companyIds.length > 0
        ? "COMPANY"
        : "DEAL";
  const owner = numberOrNull(obj.properties.hubspot_owner_id);
  const redact = type === "emails" && !scopes.has("sales-email-read");
  const engagement: Record<string, unknown> = {
    id: numId(obj.id),
    portalId: portal.portalId,
    active: !obj.archived,
    createdAt: obj.createdAt,
    lastUpdated: obj.updatedAt,
    type: v1Type,
    timestamp: msOf(obj.properties.hs_timestamp, obj.createdAt),
  };
  if (owner !== null && !redact) engagement.ownerId = owner;
  return {
    engagement,
    associations,
    attachments: [],
    metadata: redact ? { ...REDACTED_EMAIL_METADATA } : metadataOf(obj, portal, forObjectType),
  };
}
