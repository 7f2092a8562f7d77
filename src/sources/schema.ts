import type { ColumnSpec, ColumnType } from "../sinks/sink.js";
import type { PropertyDef } from "./properties.js";
import type { StreamDef } from "./stream-def.js";

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

/** JSON Schema of a stream's records: CRM objects get every property twice (nested and unnested). */
export function streamJsonSchema(def: StreamDef, props: readonly PropertyDef[] | undefined): JsonSchema {
  if (def.source.kind !== "crm-object" || !props) {
    return { $schema: "http://json-schema.org/draft-07/schema#", type: "object", additionalProperties: true };
  }
  const properties: JsonSchema = {};
  for (const [name, [schema]] of Object.entries(CRM_BASE)) properties[name] = schema;
  const nested: JsonSchema = {};
  for (const p of props) {
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
export function streamColumns(def: StreamDef, props: readonly PropertyDef[] | undefined): ColumnSpec[] | undefined {
  if (def.source.kind !== "crm-object" || !props) return undefined;
  const columns: ColumnSpec[] = Object.entries(CRM_BASE).map(([name, [, type]]) => ({ name, type }));
  columns.push({ name: "properties", type: "json" });
  if (def.unnest) {
    for (const p of props) columns.push({ name: `properties_${p.name}`, type: propertyColumn(p.type, p.name) });
  }
  for (const assoc of def.source.associations ?? []) columns.push({ name: assoc, type: "string[]" });
  return columns;
}
