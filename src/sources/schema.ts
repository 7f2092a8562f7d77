import type { ColumnSpec, ColumnType } from "../sinks/sink.js";
import type { PropertyDef } from "./properties.js";
import type { StreamDef } from "./stream-def.js";
import { legacyNameOf } from "./transforms.js";

type JsonSchema = Record<string, unknown>;

const nullable = (type: string, extra: JsonSchema = {}): JsonSchema => ({ type: ["null", type], ...extra });

/** JSON Schema of one HubSpot property value after castTypes. */
export function propertySchema(type: string): JsonSchema {
  switch (type) {
    case "number":
      return nullable("number");
    case "bool":
    case "boolean":
      return nullable("boolean");
    case "datetime":
    case "date-time":
      return nullable("string", { format: "date-time", airbyte_type: "timestamp_with_timezone" });
    case "date":
      return nullable("string", { format: "date" });
    default:
      return nullable("string");
  }
}

/**
 * HubSpot-defined number properties whose values are record or user ids, always integers: stored as INT64 rather
 * than DOUBLE. Kept to names HubSpot defines (a custom property of the same name must also be of type number); a
 * value that is not a safe integer still lands in `_raw`, never rounded.
 */
export const INTEGER_ID_PROPERTIES: ReadonlySet<string> = new Set([
  "hs_object_id",
  "associatedcompanyid",
  "hs_created_by_user_id",
  "hs_updated_by_user_id",
]);

/** Sink column type of one HubSpot property value after castTypes. */
export function propertyColumn(type: string, name = ""): ColumnType {
  switch (type) {
    case "number":
      return INTEGER_ID_PROPERTIES.has(name) ? "integer" : "number";
    case "bool":
    case "boolean":
      return "boolean";
    case "datetime":
    case "date-time":
      return "timestamp";
    case "date":
      return "date";
    default:
      return "string";
  }
}

const CRM_BASE: Record<string, [JsonSchema, ColumnType]> = {
  id: [{ type: "string" }, "string"],
  createdAt: [nullable("string", { format: "date-time" }), "timestamp"],
  updatedAt: [nullable("string", { format: "date-time" }), "timestamp"],
  archived: [nullable("boolean"), "boolean"],
  archivedAt: [nullable("string", { format: "date-time" }), "timestamp"],
};

/**
 * Incremental CRM object streams deliver deletes as tombstones carrying the delete time here (Airbyte's CDC
 * column; its destinations apply such a record as a delete in deduplicated mode).
 */
const DELETED_AT: [string, JsonSchema, ColumnType] = [
  "_ab_cdc_deleted_at",
  nullable("string", { format: "date-time", airbyte_type: "timestamp_with_timezone" }),
  "timestamp",
];
const hasTombstones = (def: StreamDef) =>
  def.source.kind === "crm-object" && !def.source.archived && def.incremental === "server";

/**
 * The properties a stream's records carry: the properties API's, plus the legacy name of each renamed one the
 * stream's `legacy-names` transform copies back (same type), unless HubSpot still declares that name itself.
 */
export function streamProperties(def: StreamDef, props: readonly PropertyDef[]): PropertyDef[] {
  const names = (def.transforms ?? []).flatMap((t) => (t.kind === "legacy-names" ? t.names : []));
  if (!names.length) return [...props];
  const declared = new Set(props.map((p) => p.name));
  const out = [...props];
  for (const p of props) {
    const legacy = legacyNameOf(p.name, names);
    if (legacy !== undefined && !declared.has(legacy)) {
      declared.add(legacy);
      out.push({ name: legacy, type: p.type });
    }
  }
  return out;
}

/** JSON Schema of a stream's records: CRM objects get every property twice (nested and unnested). */
export function streamJsonSchema(def: StreamDef, declared: readonly PropertyDef[] | undefined): JsonSchema {
  if (def.source.kind !== "crm-object" || !declared) {
    return { $schema: "http://json-schema.org/draft-07/schema#", type: "object", additionalProperties: true };
  }
  const properties: JsonSchema = {};
  for (const [name, [schema]] of Object.entries(CRM_BASE)) properties[name] = schema;
  if (hasTombstones(def)) properties[DELETED_AT[0]] = DELETED_AT[1];
  const nested: JsonSchema = {};
  for (const p of streamProperties(def, declared)) {
    nested[p.name] = propertySchema(p.type);
    if (def.unnest) properties[`properties_${p.name}`] = propertySchema(p.type);
  }
  properties.properties = { type: "object", properties: nested, additionalProperties: true };
  for (const assoc of def.source.associations ?? [])
    properties[assoc] = nullable("array", { items: { type: "string" } });
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: true,
    properties,
  };
}

/** Typed columns for a stream's table (Parquet, DuckDB); undefined lets the sink infer them. */
export function streamColumns(def: StreamDef, declared: readonly PropertyDef[] | undefined): ColumnSpec[] | undefined {
  if (def.source.kind !== "crm-object" || !declared) return undefined;
  const columns: ColumnSpec[] = Object.entries(CRM_BASE).map(([name, [, type]]) => ({ name, type }));
  if (hasTombstones(def)) columns.push({ name: DELETED_AT[0], type: DELETED_AT[2] });
  columns.push({ name: "properties", type: "json" });
  if (def.unnest) {
    for (const p of streamProperties(def, declared))
      columns.push({ name: `properties_${p.name}`, type: propertyColumn(p.type, p.name) });
  }
  for (const assoc of def.source.associations ?? []) columns.push({ name: assoc, type: "string[]" });
  return columns;
}
