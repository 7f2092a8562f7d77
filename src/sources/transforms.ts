/**
 * Pure record transforms named by the stream table (`StreamDef.transforms`): each maps one record to
 * zero or more records. No I/O; table-tested.
 */
import { cursorMillis } from "../operators/filter-by-cursor.js";
import type { Row } from "./page.js";
import type { LegacyName, RecordTransform } from "./stream-def.js";

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

/** A version's timestamp as integer epoch ms (the seed connector's schema); an unreadable one is kept as sent. */
function epochMs(timestamp: unknown): unknown {
  return cursorMillis(timestamp) ?? timestamp;
}

function historyRow(record: Row, property: string, version: Row, idAs: string, style: "v3" | "contacts"): Row {
  if (style === "v3") {
    const row: Row = { ...version, property, [idAs]: record.id, archived: record.archived ?? false };
    row.timestamp = epochMs(version.timestamp);
    return row;
  }
  const row: Row = {};
  for (const [k, v] of Object.entries(version)) row[CONTACT_KEYS[k] ?? k] = v;
  row.timestamp = epochMs(version.timestamp);
  row.property = property;
  row[idAs] = Number(record.id);
  row.archived = record.archived ?? false;
  return row;
}

/**
 * One row per property version of a v3 record read with `propertiesWithHistory`; properties in `skip`
 * (e.g. `hs_lastmodifieddate`, which changes on every edit) are left out. `timestamp` is written as integer epoch
 * ms; `style: "contacts"` also renames the version keys to kebab-case and writes the id as a number (`vid`).
 *
 * @example
 * explodeHistory({ id: "5", archived: false, propertiesWithHistory: { name: [{ value: "a", timestamp: "1970-01-01T00:00:01Z" }] } },
 *   "dealId", "v3", []);
 * // [{ value: "a", timestamp: 1000, property: "name", dealId: "5", archived: false }]
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

/**
 * The legacy name of a renamed property, or undefined when `name` was not renamed.
 *
 * @example
 * legacyNameOf("hs_v2_date_entered_lead", [{ prefix: "hs_v2_date_entered_", legacy: "hs_lifecyclestage_{}_date" }]);
 * // "hs_lifecyclestage_lead_date"
 */
export function legacyNameOf(name: string, names: readonly LegacyName[]): string | undefined {
  for (const n of names) {
    if (name.length > n.prefix.length && name.startsWith(n.prefix)) {
      const rest = name.slice(n.prefix.length);
      return n.legacy.replace("{}", () => rest);
    }
  }
  return undefined;
}

/**
 * Copies each renamed property of `properties` to its legacy name, unless the record already has a value
 * there (HubSpot may still send both).
 *
 * @example
 * withLegacyNames({ properties: { hs_v2_date_exited_7: "2024-01-01" } }, [{ prefix: "hs_v2_date_exited_", legacy: "hs_date_exited_{}" }]);
 * // { properties: { hs_v2_date_exited_7: "2024-01-01", hs_date_exited_7: "2024-01-01" } }
 */
export function withLegacyNames(row: Row, names: readonly LegacyName[]): Row {
  const props = row.properties;
  if (!isObject(props)) return row;
  let out: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(props)) {
    const legacy = legacyNameOf(name, names);
    if (legacy === undefined || (props[legacy] !== undefined && props[legacy] !== null)) continue;
    out ??= { ...props };
    out[legacy] = value;
  }
  return out ? { ...row, properties: out } : row;
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
      case "legacy-names":
        rows = rows.map((r) => withLegacyNames(r, t.names));
        break;
    }
  }
  return rows;
}
