import type { CrmObjectSource, RecordTransform, StreamDef } from "./stream-def.js";
import { PROPERTY_HISTORY_STREAMS, WEB_ANALYTICS_STREAMS } from "./streams/crm-derived.js";
import { ENGAGEMENTS } from "./streams/engagements.js";
import { MARKETING_STREAMS } from "./streams/marketing.js";

const ENGAGEMENT_ASSOCIATIONS = ["contacts", "companies", "deals", "tickets"];

/** HubSpot renamed these properties `hs_v2_*`; the seed connector still emits the old names, and so do we. */
const CONTACT_LEGACY_NAMES: RecordTransform = {
  kind: "legacy-names",
  names: [{ prefix: "hs_v2_date_entered_", legacy: "hs_lifecyclestage_{}_date" }],
};
const DEAL_LEGACY_NAMES: RecordTransform = {
  kind: "legacy-names",
  names: [
    { prefix: "hs_v2_date_entered_", legacy: "hs_date_entered_{}" },
    { prefix: "hs_v2_date_exited_", legacy: "hs_date_exited_{}" },
    { prefix: "hs_v2_latest_time_in_", legacy: "hs_time_in_{}" },
  ],
};

/** A CRM object stream: search-based incremental on the last-modified property, unnested properties. */
function crm(
  name: string,
  objectType: string,
  scopes: string[],
  extra: Partial<CrmObjectSource> = {},
  modifiedProperty = "hs_lastmodifieddate",
): StreamDef {
  return {
    name,
    source: { kind: "crm-object", objectType, modifiedProperty, ...extra },
    primaryKey: [["id"]],
    cursorField: "updatedAt",
    incremental: "server",
    scopes,
    unnest: true,
  };
}

/** Owners, active or archived: client-side incremental on updatedAt. */
function owners(name: string, query: Record<string, string>): StreamDef {
  return {
    name,
    source: { kind: "after-paged", path: "/crm/v3/owners", query, recordsPath: "results", limit: 100 },
    primaryKey: [["id"]],
    cursorField: "updatedAt",
    cursorFallback: ["createdAt"],
    incremental: "client",
    scopes: ["crm.objects.owners.read"],
  };
}

/**
 * Pipelines of an object type from the v3 Pipelines API, falling back to the v1 CRM Pipelines API
 * where v3 is not served; `aliases` gives both versions the same primary key.
 */
function pipelines(
  name: string,
  objectType: string,
  primaryKey: string[][],
  scopes: string[],
  aliases: Record<string, string>,
): StreamDef {
  return {
    name,
    source: {
      kind: "single",
      path: `/crm/v3/pipelines/${objectType}`,
      recordsPath: "results",
      errors: {
        notFound: {
          fallback: { kind: "single", path: `/crm-pipelines/v1/pipelines/${objectType}`, recordsPath: "results" },
        },
      },
    },
    primaryKey,
    cursorField: "updatedAt",
    cursorFallback: ["createdAt"],
    incremental: "client",
    scopes,
    aliases,
  };
}

/**
 * THE TABLE: every stream this connector reads, one small entry each.
 * Scopes are the ones the seed's documentation lists as required for reading the stream itself.
 */
export const STREAMS: readonly StreamDef[] = [
  {
    ...crm("contacts", "contacts", ["crm.objects.contacts.read"], { associations: ["companies"] }, "lastmodifieddate"),
    transforms: [CONTACT_LEGACY_NAMES],
  },
  crm("companies", "companies", ["crm.objects.companies.read"], { associations: ["contacts"] }),
  {
    ...crm("deals", "deals", ["crm.objects.deals.read"], { associations: ["contacts", "companies", "line_items"] }),
    transforms: [DEAL_LEGACY_NAMES],
  },
  crm("tickets", "tickets", ["tickets"], { associations: ["contacts", "companies", "deals"] }),
  crm("products", "products", ["e-commerce"]),
  crm("line_items", "line_items", ["e-commerce"]),
  crm("goals", "goal_targets", ["crm.objects.goals.read"]),
  crm("leads", "leads", ["crm.objects.leads.read"], { associations: ["contacts", "companies"] }),
  crm("deal_splits", "deal_split", ["crm.objects.deals.read"]),
  crm("engagements_calls", "calls", ["crm.objects.contacts.read"], { associations: ENGAGEMENT_ASSOCIATIONS }),
  crm("engagements_emails", "emails", ["crm.objects.contacts.read", "sales-email-read"], {
    associations: ENGAGEMENT_ASSOCIATIONS,
  }),
  crm("engagements_meetings", "meetings", ["crm.objects.contacts.read"], { associations: ENGAGEMENT_ASSOCIATIONS }),
  crm("engagements_notes", "notes", ["crm.objects.contacts.read"], { associations: ENGAGEMENT_ASSOCIATIONS }),
  crm("engagements_tasks", "tasks", ["crm.objects.contacts.read"], { associations: ENGAGEMENT_ASSOCIATIONS }),
  {
    ...crm("deals_archived", "deals", ["crm.objects.deals.read"], {
      archived: true,
      associations: ["contacts", "companies", "line_items"],
    }),
    cursorField: "archivedAt",
    cursorFallback: ["createdAt"],
    incremental: "client",
    transforms: [DEAL_LEGACY_NAMES],
  },
  owners("owners", {}),
  owners("owners_archived", { archived: "true" }),
  {
    name: "properties",
    source: {
      kind: "fan-out",
      param: "objectType",
      as: "objectType",
      // An object type the account lacks answers 403 or 404: nothing to list there, the others go on.
      inner: {
        kind: "single",
        path: "/crm/v3/properties/{objectType}",
        recordsPath: "results",
        errors: { forbidden: "skip", notFound: "skip" },
      },
      values: [
        "contacts",
        "companies",
        "deals",
        "tickets",
        "products",
        "line_items",
        "calls",
        "emails",
        "meetings",
      ].concat(["notes", "tasks", "leads", "goal_targets"]),
    },
    primaryKey: [["objectType"], ["name"]],
    scopes: [],
  },
  pipelines("deal_pipelines", "deals", [["pipelineId"]], ["crm.objects.contacts.read"], { id: "pipelineId" }),
  pipelines("ticket_pipelines", "tickets", [["id"]], ["tickets"], { pipelineId: "id" }),
  ENGAGEMENTS,
  ...MARKETING_STREAMS,
  ...PROPERTY_HISTORY_STREAMS,
  ...WEB_ANALYTICS_STREAMS,
];

/** Custom object schemas as /crm/v3/schemas describes them. */
export interface CustomObjectSchema {
  name: string;
  objectTypeId: string;
  fullyQualifiedName?: string;
}

/** A stream for a custom object; prefixed `custom_object_` when its name collides with a built-in stream. */
export function customObjectStream(schema: CustomObjectSchema, taken: ReadonlySet<string>): StreamDef {
  const name = taken.has(schema.name) ? `custom_object_${schema.name}` : schema.name;
  return { ...crm(name, schema.objectTypeId, ["crm.objects.custom.read"]), name };
}
