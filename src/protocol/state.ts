/**
 * The `--state` file: read in every shape Airbyte runners write, written back in one (an array of
 * STREAM state messages), and replaced atomically so a crash never leaves half a file.
 */
import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ConfigError } from "../config.js";
import type { StreamState } from "../sources/page.js";
import { loadJsonFile } from "./json-file.js";
import type { StreamStateMessage } from "./messages.js";

/** Stream name → its saved state. */
export type StateMap = Map<string, StreamState>;

/** Thrown inside the walk; becomes a one-line ConfigError at the top. */
class Unreadable extends Error {}

/**
 * Reads saved state, accepting:
 * - a JSON array of state messages: `{type:"STREAM", stream:{stream_descriptor:{name}, stream_state}}`,
 *   `{type:"GLOBAL", global:{stream_states:[…]}}`, `{type:"LEGACY", data:{…}}`, each optionally
 *   wrapped as a full message `{type:"STATE", state:{…}}`;
 * - one such message on its own;
 * - a LEGACY object `{data:{stream: state}}`, or Faros' gzip form `{format:"base64/gzip", data:"…"}`;
 * - a bare `{stream: state}` object;
 * - `null`, `undefined` (empty file), `[]` or `{}`: no state.
 *
 * Later entries for the same stream win. GLOBAL `shared_state` is ignored: this source keeps none.
 *
 * @throws ConfigError with a one-line message naming the first bad entry
 */
export function parseState(raw: unknown): StateMap {
  return parseWithHeadline(raw, "Invalid state");
}

/** Reads a state file; a missing file is an error (omit `--state` to start from scratch). */
export async function readStateFile(path: string): Promise<StateMap> {
  const file = await loadJsonFile(path);
  if (!file.ok) throw new ConfigError(`Cannot read state file ${path}`, [file.problem]);
  return parseWithHeadline(file.value, `Invalid state file ${path}`);
}

function parseWithHeadline(raw: unknown, headline: string): StateMap {
  const states: StateMap = new Map();
  try {
    if (Array.isArray(raw)) {
      for (const [i, item] of raw.entries()) addMessage(unwrap(item), `state[${i}]`, states);
    } else if (isObject(raw)) addObject(unwrapObject(raw), states);
    else if (raw !== null && raw !== undefined) throw new Unreadable("state: must be a JSON array or object");
  } catch (err) {
    if (err instanceof Unreadable) throw new ConfigError(headline, [err.message]);
    throw err;
  }
  return states;
}

/** A full AirbyteMessage `{type:"STATE", state}` → its `state`. */
function unwrap(item: unknown): unknown {
  return isObject(item) && item.type === "STATE" && isObject(item.state) ? item.state : item;
}

function unwrapObject(obj: Record<string, unknown>): Record<string, unknown> {
  const inner = unwrap(obj);
  return isObject(inner) ? inner : obj;
}

/** An object at the top level: a single state message, a legacy blob, or a bare stream map. */
function addObject(obj: Record<string, unknown>, states: StateMap): void {
  if (isStateMessage(obj)) addMessage(obj, "state", states);
  else if (isObject(obj.data) || obj.format !== undefined) addLegacy(obj, "state", states);
  else addStreams(obj, "state", states);
}

function isStateMessage(obj: Record<string, unknown>): boolean {
  return (
    obj.type === "STREAM" ||
    obj.type === "GLOBAL" ||
    obj.type === "LEGACY" ||
    (isObject(obj.stream) && "stream_descriptor" in obj.stream) ||
    (isObject(obj.global) && "stream_states" in obj.global)
  );
}

function addMessage(item: unknown, at: string, states: StateMap): void {
  if (!isObject(item)) throw new Unreadable(`${at}: must be a state message object`);
  const type = item.type ?? (item.stream ? "STREAM" : item.global ? "GLOBAL" : "LEGACY");
  if (type === "STREAM") addStreamState(item.stream, `${at}.stream`, states);
  else if (type === "GLOBAL") {
    const list = isObject(item.global) ? item.global.stream_states : undefined;
    if (!Array.isArray(list)) throw new Unreadable(`${at}.global.stream_states: must be an array`);
    for (const [i, s] of list.entries()) addStreamState(s, `${at}.global.stream_states[${i}]`, states);
  } else if (type === "LEGACY") addLegacy(item, at, states);
  else throw new Unreadable(`${at}.type: must be STREAM, GLOBAL or LEGACY`);
}

function addStreamState(entry: unknown, at: string, states: StateMap): void {
  if (!isObject(entry)) throw new Unreadable(`${at}: must be an object`);
  const descriptor = entry.stream_descriptor;
  const name = isObject(descriptor) ? descriptor.name : undefined;
  if (typeof name !== "string" || name === "") throw new Unreadable(`${at}.stream_descriptor.name: required`);
  const blob = entry.stream_state;
  // A stream listed without state (the protocol allows it) simply starts from scratch.
  if (blob === undefined || blob === null) return;
  if (!isObject(blob)) throw new Unreadable(`${at}.stream_state: must be an object`);
  states.set(name, blob);
}

function addLegacy(item: Record<string, unknown>, at: string, states: StateMap): void {
  let data = item.data;
  if (item.format !== undefined) data = decompress(item, at);
  if (!isObject(data)) throw new Unreadable(`${at}.data: must be an object of stream name → state`);
  addStreams(data, `${at}.data`, states);
}

/** Faros CDK's compressed legacy state: base64 of gzipped JSON. */
function decompress(item: Record<string, unknown>, at: string): unknown {
  if (item.format !== "base64/gzip" || typeof item.data !== "string") {
    throw new Unreadable(`${at}.format: only "base64/gzip" with a string data field is supported`);
  }
  try {
    return JSON.parse(gunzipSync(Buffer.from(item.data, "base64")).toString("utf8"));
  } catch {
    throw new Unreadable(`${at}.data: not valid base64-encoded gzipped JSON`);
  }
}

function addStreams(map: Record<string, unknown>, at: string, states: StateMap): void {
  for (const [name, blob] of Object.entries(map)) {
    if (blob === null) continue;
    if (!isObject(blob)) throw new Unreadable(`${at}.${name}: must be an object`);
    states.set(name, blob);
  }
}

/** The state map as the JSON array of STREAM state messages that `--state` accepts. */
export function serializeState(states: StateMap): StreamStateMessage[] {
  return [...states].map(([name, streamState]) => ({
    type: "STREAM",
    stream: { stream_descriptor: { name }, stream_state: streamState },
  }));
}

/**
 * Writes the state file so that, whatever happens, it holds either the old or the new state:
 * write a temporary file beside it, fsync, rename over the target, then fsync the directory.
 */
export async function writeStateFileAtomic(path: string, states: StateMap): Promise<void> {
  const text = `${JSON.stringify(serializeState(states), null, 2)}\n`;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(tmp, "w", 0o600);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
