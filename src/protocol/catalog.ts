/**
 * Catalogs in both directions: the streams `discover` offers ({@link AirbyteStream}) and the
 * configured catalog `read` receives ({@link parseConfiguredCatalog}).
 */
import { ConfigError } from "../config.js";
import { loadJsonFile } from "./json-file.js";

/** How the source reads a stream: everything, or only what changed since the saved state. */
export type SyncMode = "full_refresh" | "incremental";
/** How the destination writes a stream; carried through, a source does not act on it. */
export type DestinationSyncMode = "append" | "overwrite" | "append_dedup" | "update";

const SYNC_MODES: readonly SyncMode[] = ["full_refresh", "incremental"];
const DESTINATION_SYNC_MODES: readonly DestinationSyncMode[] = ["append", "overwrite", "append_dedup", "update"];

/** A stream as `discover` prints it (wire names). */
export interface AirbyteStream {
  name: string;
  json_schema: Record<string, unknown>;
  supported_sync_modes: SyncMode[];
  source_defined_cursor: boolean;
  default_cursor_field: string[];
  source_defined_primary_key: string[][];
  is_resumable: boolean;
}

/** Input of {@link airbyteStream}. */
export interface DiscoveredStreamInput {
  name: string;
  jsonSchema: Record<string, unknown>;
  /** e.g. `[["id"]]`; `[]` for streams without one. */
  primaryKey: string[][];
  /** e.g. `["updatedAt"]`; omitted for full-refresh-only streams. */
  cursorField?: string[];
}

/**
 * Describes a stream for `discover`. A stream with a cursor supports incremental, defines the
 * cursor itself (users cannot pick another) and is resumable; one without is full refresh only.
 */
export function airbyteStream(input: DiscoveredStreamInput): AirbyteStream {
  const incremental = input.cursorField !== undefined && input.cursorField.length > 0;
  return {
    name: input.name,
    json_schema: input.jsonSchema,
    supported_sync_modes: incremental ? ["full_refresh", "incremental"] : ["full_refresh"],
    source_defined_cursor: incremental,
    default_cursor_field: incremental ? [...(input.cursorField ?? [])] : [],
    source_defined_primary_key: input.primaryKey,
    is_resumable: incremental,
  };
}

/** One stream of a configured catalog, as `read` uses it. */
export interface ConfiguredStream {
  name: string;
  syncMode: SyncMode;
  /** Present only when the catalog gives a non-empty one; this source's cursors are source-defined. */
  cursorField?: string[];
  destinationSyncMode: DestinationSyncMode;
  primaryKey?: string[][];
}

/** The configured catalog, in the order given. */
export interface ConfiguredCatalog {
  streams: ConfiguredStream[];
}

/**
 * Validates a configured catalog (the `--catalog` file of `read`). `stream.json_schema` and
 * `supported_sync_modes` are not needed and may be `{}` or absent; `sync_mode` and
 * `destination_sync_mode` default as in the protocol (full_refresh, append).
 *
 * @throws ConfigError listing every problem, e.g. `streams[2].sync_mode: must be full_refresh or incremental`
 */
export function parseConfiguredCatalog(raw: unknown): ConfiguredCatalog {
  return parseWithHeadline(raw, "Invalid catalog");
}

/** Reads and validates a configured catalog file. */
export async function readCatalogFile(path: string): Promise<ConfiguredCatalog> {
  const file = await loadJsonFile(path);
  if (!file.ok) throw new ConfigError(`Cannot read catalog file ${path}`, [file.problem]);
  return parseWithHeadline(file.value, `Invalid catalog file ${path}`);
}

function parseWithHeadline(raw: unknown, headline: string): ConfiguredCatalog {
  if (!isObject(raw)) throw new ConfigError(headline, ['catalog: must be an object with a "streams" array']);
  if (!Array.isArray(raw.streams)) throw new ConfigError(headline, ["streams: must be an array"]);
  const problems: string[] = [];
  const streams: ConfiguredStream[] = [];
  const seen = new Set<string>();
  raw.streams.forEach((item: unknown, i: number) => {
    const stream = parseStream(item, `streams[${i}]`, problems);
    if (!stream) return;
    if (seen.has(stream.name)) problems.push(`streams[${i}].stream.name: "${stream.name}" is listed more than once`);
    seen.add(stream.name);
    streams.push(stream);
  });
  if (problems.length > 0) throw new ConfigError(headline, problems);
  return { streams };
}

function parseStream(item: unknown, at: string, problems: string[]): ConfiguredStream | undefined {
  if (!isObject(item)) {
    problems.push(`${at}: must be an object`);
    return undefined;
  }
  const before = problems.length;
  const name = streamName(item.stream, at, problems);
  const syncMode = oneOf(item.sync_mode, SYNC_MODES, "full_refresh", `${at}.sync_mode`, problems);
  const destinationSyncMode = oneOf(
    item.destination_sync_mode,
    DESTINATION_SYNC_MODES,
    "append",
    `${at}.destination_sync_mode`,
    problems,
  );
  const cursorField = optionalPath(item.cursor_field, `${at}.cursor_field`, problems);
  let primaryKey: string[][] | undefined;
  if (item.primary_key !== undefined && item.primary_key !== null) {
    const pk = item.primary_key;
    if (Array.isArray(pk) && pk.every(isStringArray)) primaryKey = pk;
    else problems.push(`${at}.primary_key: must be an array of arrays of strings, like [["id"]]`);
  }
  if (problems.length > before || name === undefined) return undefined;
  return {
    name,
    syncMode,
    ...(cursorField && cursorField.length > 0 ? { cursorField } : {}),
    destinationSyncMode,
    ...(primaryKey ? { primaryKey } : {}),
  };
}

function streamName(stream: unknown, at: string, problems: string[]): string | undefined {
  if (!isObject(stream)) {
    problems.push(`${at}.stream: required (an object with at least a name)`);
    return undefined;
  }
  if (stream.json_schema !== undefined && !isObject(stream.json_schema)) {
    problems.push(`${at}.stream.json_schema: must be an object`);
  }
  const name = stream.name;
  if (name === undefined || name === null) problems.push(`${at}.stream.name: required`);
  else if (typeof name !== "string" || name === "") problems.push(`${at}.stream.name: must be a non-empty string`);
  else return name;
  return undefined;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  at: string,
  problems: string[],
): T {
  if (value === undefined || value === null) return fallback;
  if (allowed.includes(value as T)) return value as T;
  const list = allowed.length === 2 ? allowed.join(" or ") : `one of ${allowed.join(", ")}`;
  problems.push(`${at}: must be ${list}`);
  return fallback;
}

function optionalPath(value: unknown, at: string, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (isStringArray(value)) return value;
  problems.push(`${at}: must be an array of strings, like ["updatedAt"]`);
  return undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
