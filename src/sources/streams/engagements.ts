/** The v1 engagements stream and its metadata child tables. */
import type { ChildSpec } from "../../operators/split-children.js";
import type { StreamDef } from "../stream-def.js";

const child = (table: string, path: string): ChildSpec => ({
  table,
  path,
  parentKey: "id",
  parentKeyAs: "engagement_id",
});

export const ENGAGEMENTS: StreamDef = {
  name: "engagements",
  source: {
    kind: "recent-or-all",
    // Last 30 days only, newest first, at most 10,000 records; `since` returns records changed after it.
    recent: {
      kind: "offset-paged",
      path: "/engagements/v1/engagements/recent/modified",
      recordsPath: "results",
      limit: 100,
      limitParam: "count",
      hasMore: "hasMore",
      since: { param: "since", format: "ms", exclusive: true },
    },
    all: {
      kind: "offset-paged",
      path: "/engagements/v1/engagements/paged",
      recordsPath: "results",
      limit: 250,
      limitParam: "limit",
      hasMore: "hasMore",
    },
    maxAgeMs: 30 * 86_400_000,
    maxRecords: 10_000,
  },
  primaryKey: [["id"]],
  cursorField: "lastUpdated",
  incremental: "client",
  scopes: [
    "crm.objects.companies.read",
    "crm.objects.contacts.read",
    "crm.objects.deals.read",
    "tickets",
    "e-commerce",
  ],
  transforms: [{ kind: "engagement" }],
  children: [
    child("engagements_metadata", "metadata"),
    child("engagements_metadata_from", "metadata.from"),
    child("engagements_metadata_to", "metadata.to"),
    child("engagements_metadata_cc", "metadata.cc"),
    child("engagements_metadata_bcc", "metadata.bcc"),
  ],
};
