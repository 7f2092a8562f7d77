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
    kind: "endpoint",
    path: "/engagements/v1/engagements/paged",
    recordsPath: "results",
    paginator: { kind: "offset", limit: 250, limitParam: "limit", hasMore: "hasMore" },
    recent: {
      path: "/engagements/v1/engagements/recent/modified",
      paginator: { kind: "offset", limit: 100, limitParam: "count", hasMore: "hasMore" },
      sinceParam: "since",
      maxAgeMs: 30 * 86_400_000,
      maxRecords: 10_000,
    },
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
