/** Streams read per CRM record: property history (one row per version) and web analytics (experimental). */
import type { AfterPagedSource, ParentSource, StreamDef } from "../stream-def.js";

function propertyHistory(
  name: string,
  objectType: string,
  idAs: string,
  style: "v3" | "contacts",
  scopes: string[],
): StreamDef {
  return {
    name,
    source: {
      kind: "after-paged",
      path: `/crm/v3/objects/${objectType}`,
      query: { archived: "false", properties: "hs_object_id" },
      recordsPath: "results",
      // HubSpot caps pages at 50 records when histories are asked for.
      limit: 50,
      propertyChunks: { objectType, param: "propertiesWithHistory" },
    },
    primaryKey: [[idAs], ["property"], ["timestamp"]],
    cursorField: "timestamp",
    incremental: "client",
    scopes,
    transforms: [{ kind: "property-history", idAs, style, skip: ["hs_lastmodifieddate"] }],
  };
}

export const PROPERTY_HISTORY_STREAMS: readonly StreamDef[] = [
  propertyHistory("contacts_property_history", "contacts", "vid", "contacts", ["crm.objects.contacts.read"]),
  propertyHistory("companies_property_history", "companies", "companyId", "v3", ["crm.objects.companies.read"]),
  propertyHistory("deals_property_history", "deals", "dealId", "v3", ["crm.objects.deals.read"]),
];

/** Ids of every live record of a CRM object type (the parents of a web analytics stream). */
const idsOf = (objectType: string): AfterPagedSource & ParentSource => ({
  kind: "after-paged",
  path: `/crm/v3/objects/${objectType}`,
  query: { archived: "false", properties: "hs_object_id" },
  recordsPath: "results",
  limit: 100,
});

function webAnalytics(parentStream: string, objectType: string, eventObjectType: string, scopes: string[]): StreamDef {
  return {
    name: `${parentStream}_web_analytics`,
    source: {
      kind: "per-parent",
      parent: idsOf(objectType),
      idField: "id",
      param: "objectId",
      // One window per parent, from its own cursor (the newest event seen for it, less the lookback window) to
      // the run's start; the reference slices P30D per parent, which multiplies requests.
      child: {
        kind: "time-windows",
        startParam: "occurredAfter",
        endParam: "occurredBefore",
        format: "iso",
        inner: {
          kind: "after-paged",
          path: "/events/v3/events",
          query: { objectType: eventObjectType },
          recordsPath: "results",
          limit: 100,
        },
      },
    },
    primaryKey: [["id"]],
    cursorField: "occurredAt",
    incremental: "server",
    scopes: [...scopes, "business-intelligence"],
    transforms: [{ kind: "flatten", field: "properties", remove: true }],
    experimental: true,
  };
}

const ENGAGEMENT_SCOPES = ["crm.objects.contacts.read"];

export const WEB_ANALYTICS_STREAMS: readonly StreamDef[] = [
  webAnalytics("contacts", "contacts", "contact", ["crm.objects.contacts.read"]),
  webAnalytics("companies", "companies", "company", ["crm.objects.companies.read"]),
  webAnalytics("deals", "deals", "deal", ["crm.objects.deals.read"]),
  webAnalytics("tickets", "tickets", "ticket", ["tickets"]),
  webAnalytics("engagements_calls", "calls", "calls", ENGAGEMENT_SCOPES),
  webAnalytics("engagements_emails", "emails", "emails", [...ENGAGEMENT_SCOPES, "sales-email-read"]),
  webAnalytics("engagements_meetings", "meetings", "meetings", ENGAGEMENT_SCOPES),
  webAnalytics("engagements_notes", "notes", "notes", ENGAGEMENT_SCOPES),
  webAnalytics("engagements_tasks", "tasks", "tasks", ENGAGEMENT_SCOPES),
  webAnalytics("goals", "goal_targets", "goal_targets", ["crm.objects.goals.read"]),
  webAnalytics("line_items", "line_items", "line_item", ["e-commerce"]),
  webAnalytics("products", "products", "product", ["e-commerce"]),
];
