/**
 * Validates Airbyte protocol output against the official schema (test/fixtures/airbyte_protocol.yaml,
 * MIT, copied from airbytehq/airbyte-protocol).
 *
 * The schema makes every payload optional (a `{"type":"RECORD"}` with no `record` passes it), so
 * this helper is stricter in the places a real platform would choke:
 * - the payload named by `type` must be present (RECORD → record, CONNECTION_STATUS → connectionStatus…);
 * - a TRACE must carry the payload named by `trace.type` (ERROR → error, STREAM_STATUS → stream_status…);
 * - a STATE of type STREAM must carry `stream`, GLOBAL `global`, LEGACY `data`;
 * - a CONTROL of type CONNECTOR_CONFIG must carry `connectorConfig`.
 *
 * Usage in a CLI test:
 * ```ts
 * import { expectValidLines } from "../helpers/protocol-validator.js";
 * const messages = expectValidLines(stdout); // throws, naming the line, on the first invalid one
 * expect(messages.filter((m) => m.type === "RECORD")).toHaveLength(3);
 * ```
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parse } from "yaml";

const SCHEMA_PATH = fileURLToPath(new URL("../fixtures/airbyte_protocol.yaml", import.meta.url));

/** A parsed protocol line: loosely typed on purpose, tests inspect what they need. */
export type ParsedMessage = { type: string } & Record<string, unknown>;

let ajv: Ajv | undefined;
let schemaId = "";
const compiled = new Map<string, ValidateFunction>();

/**
 * An ajv for Airbyte-flavoured schemas (also our own connectionSpecification): draft-07, all
 * errors, `strict: false` because they use non-standard keywords (existingJavaType,
 * airbyte_secret, order), and the two formats they name defined here rather than pulling in
 * ajv-formats.
 */
export function newAjv(): Ajv {
  const instance = new Ajv({ strict: false, allErrors: true });
  instance.addFormat("uri", (s: string) => URL.canParse(s));
  instance.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  return instance;
}

/** Compiles (once) the validator for one entry of the schema's `definitions`. */
function validatorFor(definition: string): ValidateFunction {
  const cached = compiled.get(definition);
  if (cached) return cached;
  if (!ajv) {
    const schema = parse(readFileSync(SCHEMA_PATH, "utf8")) as { $id: string };
    schemaId = schema.$id;
    ajv = newAjv();
    ajv.addSchema(schema);
  }
  const validate = ajv.getSchema(`${schemaId}#/definitions/${definition}`);
  if (!validate) throw new Error(`airbyte_protocol.yaml has no definition ${definition}`);
  compiled.set(definition, validate);
  return validate;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}${params(e)}`);
}

function params(e: ErrorObject): string {
  if (e.keyword === "enum") return `: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (e.keyword === "additionalProperties")
    return `: ${(e.params as { additionalProperty: string }).additionalProperty}`;
  return "";
}

/**
 * Errors of `obj` against any definition of the official schema, e.g. "ConfiguredAirbyteCatalog",
 * "AirbyteStream", "ConnectorSpecification". Empty when valid.
 */
export function validateAgainst(definition: string, obj: unknown): string[] {
  const validate = validatorFor(definition);
  return validate(obj) ? [] : describe(validate.errors);
}

const PAYLOAD: Record<string, string> = {
  RECORD: "record",
  STATE: "state",
  LOG: "log",
  SPEC: "spec",
  CONNECTION_STATUS: "connectionStatus",
  CATALOG: "catalog",
  TRACE: "trace",
  CONTROL: "control",
  DESTINATION_CATALOG: "destination_catalog",
};
const TRACE_PAYLOAD: Record<string, string> = {
  ERROR: "error",
  ESTIMATE: "estimate",
  STREAM_STATUS: "stream_status",
  ANALYTICS: "analytics",
};
const STATE_PAYLOAD: Record<string, string> = { STREAM: "stream", GLOBAL: "global", LEGACY: "data" };

/**
 * Errors of `obj` as an AirbyteMessage: the schema's, plus the payload-presence rules above.
 * Empty when valid.
 */
export function validateMessage(obj: unknown): string[] {
  const errors = validateAgainst("AirbyteMessage", obj);
  if (errors.length > 0) return errors;
  const msg = obj as Record<string, Record<string, unknown> | undefined> & { type: string };
  const key = PAYLOAD[msg.type];
  const payload = key ? msg[key] : undefined;
  if (!key || payload === undefined) return [`/${key ?? "?"} is required for a ${msg.type} message`];
  const needs = (map: Record<string, string>, kind: unknown, at: string): string[] => {
    const field = map[String(kind ?? "LEGACY")];
    return field && payload[field] === undefined ? [`/${at}/${field} is required for ${at} type ${kind}`] : [];
  };
  if (msg.type === "TRACE") return needs(TRACE_PAYLOAD, payload.type, "trace");
  if (msg.type === "STATE") return needs(STATE_PAYLOAD, payload.type, "state");
  if (msg.type === "CONTROL" && payload.connectorConfig === undefined) {
    return ["/control/connectorConfig is required for control type CONNECTOR_CONFIG"];
  }
  return [];
}

/**
 * Asserts that every non-empty line of `stdout` is a JSON AirbyteMessage valid per
 * {@link validateMessage}, and that nothing but messages was printed. Throws an Error naming the
 * first bad line (1-based) and its problems.
 *
 * @returns the parsed messages, in order
 */
export function expectValidLines(stdout: string): ParsedMessage[] {
  const messages: ParsedMessage[] = [];
  const lines = stdout.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON: ${line.slice(0, 200)}`);
    }
    const errors = validateMessage(parsed);
    if (errors.length > 0) {
      throw new Error(
        `stdout line ${i + 1} is not a valid AirbyteMessage:\n  ${errors.join("\n  ")}\n${line.slice(0, 500)}`,
      );
    }
    messages.push(parsed as ParsedMessage);
  }
  return messages;
}
