/** Table entries for the legacy email/marketing, lists, forms, settings and automation endpoints. */
import type {
  AfterPagedSource,
  OffsetPagedSource,
  ParentSource,
  PostOffsetSource,
  StreamDef,
  TimeWindowsSource,
  UnboundedSource,
} from "../stream-def.js";

const DAY_MS = 86_400_000;

/** A v1 listing: `offset` + `hasMore`. */
const v1Offset = (path: string, recordsPath: string, limit: number): OffsetPagedSource & UnboundedSource => ({
  kind: "offset-paged",
  path,
  recordsPath,
  limit,
  limitParam: "limit",
  hasMore: "hasMore",
});

/** A v1 email analytics endpoint read in 30-day windows of epoch-ms bounds (reference: P30D). */
const emailWindows = (path: string, recordsPath: string): TimeWindowsSource => ({
  kind: "time-windows",
  startParam: "startTimestamp",
  endParam: "endTimestamp",
  format: "ms",
  stepMs: 30 * DAY_MS,
  inner: v1Offset(path, recordsPath, 1000),
});

export const CONTACT_LISTS_SOURCE: PostOffsetSource & ParentSource = {
  kind: "post-offset",
  method: "POST",
  path: "/crm/v3/lists/search",
  body: {},
  recordsPath: "lists",
  count: 500,
};

export const FORMS_SOURCE: AfterPagedSource & ParentSource = {
  kind: "after-paged",
  path: "/marketing/v3/forms",
  query: { formTypes: ["hubspot", "captured", "flow"] },
  recordsPath: "results",
  limit: 100,
};

export const MARKETING_STREAMS: readonly StreamDef[] = [
  {
    name: "campaigns",
    source: {
      ...v1Offset("/email/public/v1/campaigns", "campaigns", 500),
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
      kind: "per-parent",
      parent: CONTACT_LISTS_SOURCE,
      idField: "listId",
      param: "listId",
      as: "listId",
      child: {
        kind: "after-paged",
        path: "/crm/v3/lists/{listId}/memberships",
        recordsPath: "results",
        limit: 250,
        // Lists of other object types have no contact memberships to read.
        errors: { ignore: [{ status: 400, subCategory: "ListError.INVALID_OBJECT_TYPE_FOR_LIST" }] },
      },
    },
    primaryKey: [["listId"], ["recordId"]],
    scopes: ["crm.lists.read"],
  },
  {
    name: "email_events",
    source: emailWindows("/email/public/v1/events", "events"),
    primaryKey: [["id"]],
    cursorField: "created",
    incremental: "server",
    scopes: ["content"],
  },
  {
    name: "email_subscriptions",
    source: { kind: "single", path: "/email/public/v1/subscriptions", recordsPath: "subscriptionDefinitions" },
    primaryKey: [["id"]],
    scopes: ["content"],
  },
  {
    name: "subscription_changes",
    source: emailWindows("/email/public/v1/subscriptions/timeline", "timeline"),
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
      kind: "per-parent",
      parent: FORMS_SOURCE,
      idField: "id",
      param: "formId",
      as: "formId",
      dedupe: true,
      child: {
        kind: "after-paged",
        path: "/form-integrations/v1/submissions/forms/{formId}",
        recordsPath: "results",
        limit: 50,
      },
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
      kind: "after-paged",
      path: "/marketing/v3/emails",
      query: { includeStats: "true" },
      recordsPath: "results",
      limit: 250,
      since: { param: "updatedAfter", format: "iso" },
    },
    primaryKey: [["id"]],
    cursorField: "updatedAt",
    incremental: "server",
    scopes: ["content"],
  },
  {
    name: "users",
    source: { kind: "after-paged", path: "/settings/v3/users", recordsPath: "results", limit: 100 },
    primaryKey: [["id"]],
    scopes: ["crm.objects.users.read", "settings.users.read"],
  },
  {
    name: "workflows",
    source: { kind: "single", path: "/automation/v3/workflows", recordsPath: "workflows" },
    primaryKey: [["id"]],
    cursorField: "updatedAt",
    cursorFallback: ["insertedAt"],
    incremental: "client",
    scopes: ["automation"],
    transforms: [{ kind: "flatten", field: "contactListIds" }],
  },
  {
    name: "account_details",
    source: { kind: "single", path: "/account-info/v3/details", recordsPath: "" },
    // The body is the one record; the reference declares no key, portalId identifies the account.
    primaryKey: [["portalId"]],
    scopes: ["oauth"],
  },
];
