/**
 * Pure record transforms named by the stream table (`StreamDef.transforms`): each maps one record to
 * zero or more records. No I/O; table-tested.
 */
import type { Row } from "./page.js";
import type { RecordTransform } from "./stream-def.js";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Copies each key of `row[field]` to a top-level `prefix + key`; the nested object stays unless `remove`.
 *
 * @example
 * flattenField({ id: 1, counters: { sent: 5 } }, "counters", "counters_"); // { id: 1, counters: {…}, counters_sent: 5 }
 */
export function flattenField(row: Row, field: string, prefix = `${field}_`, remove = false): Row {
  const nested = row[field];
  const out: Row = { ...row };
  if (remove) delete out[field];
  if (!isObject(nested)) return out;
  for (const [k, v] of Object.entries(nested)) out[prefix + k] = v;
  return out;
}

/**
 * A v1 engagement as the reference emits it: the `engagement` object's keys lifted to the root (the object
 * removed), `associations` and `metadata` kept (child tables split them) plus `associations_<k>` and
 * `metadata_<k>` copies.
 *
 * @example
 * flattenEngagement({ engagement: { id: 7, type: "NOTE" }, associations: { contactIds: [1] }, metadata: { body: "x" } });
 * // { id: 7, type: "NOTE", associations: {…}, metadata: {…}, associations_contactIds: [1], metadata_body: "x" }
 */
export function flattenEngagement(row: Row): Row {
  const { engagement, ...rest } = row;
  let out: Row = isObject(engagement) ? { ...engagement, ...rest } : { ...rest };
  out = flattenField(out, "associations");
  return flattenField(out, "metadata");
}

// v3 history version keys → the contacts stream's kebab-case names (reference connector, §5).
const CONTACT_KEYS: Record<string, string> = {
  sourceType: "source-type",
  sourceId: "source-id",
  sourceLabel: "source-label",
  updatedByUserId: "updated-by-user-id",
};

function historyRow(record: Row, property: string, version: Row, idAs: string, style: "v3" | "contacts"): Row {
  if (style === "v3") return { ...version, property, [idAs]: record.id, archived: record.archived ?? false };
  const row: Row = {};
  for (const [k, v] of Object.entries(version)) row[CONTACT_KEYS[k] ?? k] = v;
  const ms = typeof version.timestamp === "number" ? version.timestamp : Date.parse(String(version.timestamp));
  row.timestamp = Number.isFinite(ms) ? String(ms) : version.timestamp;
  row.property = property;
  row[idAs] = Number(record.id);
  row.archived = record.archived ?? false;
  return row;
}

/**
 * One row per property version of a v3 record read with `propertiesWithHistory`; properties in `skip`
 * (e.g. `hs_lastmodifieddate`, which changes on every edit) are left out. `style: "contacts"` renames the
 * version keys to kebab-case, writes `timestamp` as an epoch-ms string and the id as a number (`vid`).
 *
 * @example
 * explodeHistory({ id: "5", archived: false, propertiesWithHistory: { name: [{ value: "a", timestamp: "…" }] } },
 *   "dealId", "v3", []);
 * // [{ value: "a", timestamp: "…", property: "name", dealId: "5", archived: false }]
 */
export function explodeHistory(record: Row, idAs: string, style: "v3" | "contacts", skip: readonly string[]): Row[] {
  const history = record.propertiesWithHistory;
  if (!isObject(history)) return [];
  const rows: Row[] = [];
  for (const [property, versions] of Object.entries(history)) {
    if (skip.includes(property) || !Array.isArray(versions)) continue;
    for (const v of versions) if (isObject(v)) rows.push(historyRow(record, property, v, idAs, style));
  }
  return rows;
}

/** Applies a stream's transforms, in order, to a page of records. */
export function applyTransforms(records: Row[], transforms: readonly RecordTransform[]): Row[] {
  let rows = records;
  for (const t of transforms) {
    switch (t.kind) {
      case "engagement":
        rows = rows.map(flattenEngagement);
        break;
      case "flatten":
        rows = rows.map((r) => flattenField(r, t.field, t.prefix, t.remove));
        break;
      case "property-history":
        rows = rows.flatMap((r) => explodeHistory(r, t.idAs, t.style, t.skip));
        break;
    }
  }
  return rows;
}
