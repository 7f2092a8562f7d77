/** Table entries for the legacy email/marketing, lists, forms, settings and automation endpoints. */
import type { EndpointSource, StreamDef } from "../stream-def.js";

const DAY_MS = 86_400_000;

/** v1 listings: `offset` + `hasMore`. */
const v1Offset = (limit: number, limitParam: "limit" | "count" = "limit") =>
  ({ kind: "offset", limit, limitParam, hasMore: "hasMore" }) as const;

/** The v1 email analytics endpoints read in 30-day windows of epoch-ms bounds (reference: P30D). */
const EMAIL_WINDOWS = {
  startParam: "startTimestamp",
  endParam: "endTimestamp",
  format: "ms",
  stepMs: 30 * DAY_MS,
} as const;

export const CONTACT_LISTS_SOURCE: EndpointSource = {
  kind: "endpoint",
  method: "POST",
  path: "/crm/v3/lists/search",
  body: {},
  recordsPath: "lists",
  paginator: { kind: "post-offset", count: 500 },
};

export const FORMS_SOURCE: EndpointSource = {
  kind: "endpoint",
  path: "/marketing/v3/forms",
  query: { formTypes: ["hubspot", "captured", "flow"] },
  recordsPath: "results",
  paginator: { kind: "after", limit: 100 },
};

export const MARKETING_STREAMS: readonly StreamDef[] = [
  {
    name: "campaigns",
    source: {
      kind: "endpoint",
      path: "/email/public/v1/campaigns",
      recordsPath: "campaigns",
      paginator: v1Offset(500),
      detail: { path: "/email/public/v1/campaigns/{id}", idField: "id", param: "id", concurrency: 5 },
    },
    primaryKey: [["id"]],
    cursorField: "lastUpdatedTime",
    incremental: "client",
    scopes: ["content"],
    transforms: [{ kind: "flatten", field: "counters" }],
  },
  {
    name: "contact_lists",
    source: CONTACT_LISTS_SOURCE,
    primaryKey: [["listId"]],
    cursorField: "updatedAt",
    cursorFallback: ["createdAt"],
    incremental: "client",
    scopes: ["crm.lists.read"],
  },
  {
    name: "list_memberships",
    source: {
      kind: "endpoint",
      path: "/crm/v3/lists/{listId}/memberships",
      recordsPath: "results",
      paginator: { kind: "after", limit: 250 },
      parent: {
        source: CONTACT_LISTS_SOURCE,
        idField: "listId",
        param: "listId",
        as: "listId",
        ignore: [{ status: 400, subCategory: "ListError.INVALID_OBJECT_TYPE_FOR_LIST" }],
      },
    },
    primaryKey: [["listId"], ["recordId"]],
    scopes: ["crm.lists.read"],
  },
  {
    name: "email_events",
    source: {
      kind: "endpoint",
      path: "/email/public/v1/events",
      recordsPath: "events",
      paginator: v1Offset(1000),
      timeWindow: EMAIL_WINDOWS,
    },
    primaryKey: [["id"]],
    cursorField: "created",
    incremental: "server",
    scopes: ["content"],
  },
  {
    name: "email_subscriptions",
    source: {
      kind: "endpoint",
      path: "/email/public/v1/subscriptions",
      recordsPath: "subscriptionDefinitions",
      paginator: { kind: "single" },
    },
    primaryKey: [["id"]],
    scopes: ["content"],
  },
  {
    name: "subscription_changes",
    source: {
      kind: "endpoint",
      path: "/email/public/v1/subscriptions/timeline",
      recordsPath: "timeline",
      paginator: v1Offset(1000),
      timeWindow: EMAIL_WINDOWS,
    },
    // Timeline entries carry no id (reference connector: primary key none).
    primaryKey: [],
    cursorField: "timestamp",
    incremental: "server",
    scopes: ["content"],
  },
  {
    name: "forms",
    source: FORMS_SOURCE,
    primaryKey: [["id"]],
    cursorField: "updatedAt",
    cursorFallback: ["createdAt"],
    incremental: "client",
    scopes: ["forms"],
  },
  {
    name: "form_submissions",
    source: {
      kind: "endpoint",
      path: "/form-integrations/v1/submissions/forms/{formId}",
      recordsPath: "results",
      paginator: { kind: "after", limit: 50 },
      parent: { source: FORMS_SOURCE, idField: "id", param: "formId", as: "formId", dedupe: true },
    },
    // The reference declares none; a submission's conversionId is unique within its form.
    primaryKey: [["formId"], ["conversionId"]],
    cursorField: "updatedAt",
    cursorFallback: ["submittedAt"],
    incremental: "client",
    scopes: ["forms"],
  },
  {
    name: "marketing_emails",
    source: {
      kind: "endpoint",
      path: "/marketing/v3/emails",
      query: { includeStats: "true" },
      recordsPath: "results",
      paginator: { kind: "after", limit: 250 },
      sinceParam: { param: "updatedAfter", format: "iso" },
    },
    primaryKey: [["id"]],
    cursorField: "updatedAt",
    incremental: "server",
    scopes: ["content"],
  },
  {
    name: "users",
    source: {
      kind: "endpoint",
      path: "/settings/v3/users",
      recordsPath: "results",
      paginator: { kind: "after", limit: 100 },
    },
    primaryKey: [["id"]],
    scopes: ["crm.objects.users.read", "settings.users.read"],
  },
  {
    name: "workflows",
    source: {
      kind: "endpoint",
      path: "/automation/v3/workflows",
      recordsPath: "workflows",
      paginator: { kind: "single" },
    },
    primaryKey: [["id"]],
    cursorField: "updatedAt",
    cursorFallback: ["insertedAt"],
    incremental: "client",
    scopes: ["automation"],
    transforms: [{ kind: "flatten", field: "contactListIds" }],
  },
  {
    name: "account_details",
    source: {
      kind: "endpoint",
      path: "/account-info/v3/details",
      recordsPath: "",
      paginator: { kind: "single" },
    },
    // The body is the one record; the reference declares no key, portalId identifies the account.
    primaryKey: [["portalId"]],
    scopes: ["oauth"],
  },
];
