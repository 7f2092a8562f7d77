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

/** Parquet column type of one HubSpot property value after castTypes. */
export function propertyColumn(type: string): ColumnType {
  switch (type) {
    case "number":
      return "number";
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

/** Typed columns for a stream's table (Parquet); undefined lets the sink infer them. */
export function streamColumns(def: StreamDef, declared: readonly PropertyDef[] | undefined): ColumnSpec[] | undefined {
  if (def.source.kind !== "crm-object" || !declared) return undefined;
  const columns: ColumnSpec[] = Object.entries(CRM_BASE).map(([name, [, type]]) => ({ name, type }));
  columns.push({ name: "properties", type: "json" });
  if (def.unnest)
    for (const p of streamProperties(def, declared))
      columns.push({ name: `properties_${p.name}`, type: propertyColumn(p.type) });
  for (const assoc of def.source.associations ?? []) columns.push({ name: assoc, type: "json" });
  return columns;
}
