import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.js";
import { stateMessage } from "../../src/protocol/messages.js";
import { parseState, readStateFile, serializeState, writeStateFileAtomic } from "../../src/protocol/state.js";
import { validateAgainst, validateMessage } from "../helpers/protocol-validator.js";

const C = { updatedAt: "2026-01-02T03:04:05.000Z" };
const D = { updatedAt: "2025-12-31T00:00:00.000Z" };
const streamState = (name: string, state: unknown) => ({
  type: "STREAM",
  stream: { stream_descriptor: { name }, stream_state: state },
});

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "state-test-"));
}

describe("parseState: accepted shapes", () => {
  it.each<[string, unknown, [string, unknown][]]>([
    ["null", null, []],
    ["undefined (empty file)", undefined, []],
    ["an empty array", [], []],
    ["an empty object", {}, []],
    ["the peers.md STREAM array", [streamState("contacts", C)], [["contacts", C]]],
    [
      "items wrapped as full STATE messages",
      [{ type: "STATE", state: streamState("contacts", C) }, streamState("deals", D)],
      [
        ["contacts", C],
        ["deals", D],
      ],
    ],
    ["our own emitted STATE message, with sourceStats", [stateMessage("contacts", C, 3)], [["contacts", C]]],
    [
      "a STREAM item without type",
      [{ stream: { stream_descriptor: { name: "contacts" }, stream_state: C } }],
      [["contacts", C]],
    ],
    [
      "GLOBAL",
      [
        {
          type: "GLOBAL",
          global: {
            shared_state: { cdc: 1 },
            stream_states: [
              { stream_descriptor: { name: "contacts" }, stream_state: C },
              { stream_descriptor: { name: "deals" }, stream_state: D },
            ],
          },
        },
      ],
      [
        ["contacts", C],
        ["deals", D],
      ],
    ],
    ["LEGACY in an array", [{ type: "LEGACY", data: { contacts: C } }], [["contacts", C]]],
    [
      "a LEGACY data object",
      { data: { contacts: C, deals: D } },
      [
        ["contacts", C],
        ["deals", D],
      ],
    ],
    ["Faros' legacy STATE message", { type: "STATE", state: { data: { contacts: C } } }, [["contacts", C]]],
    [
      "Faros' compressed legacy state",
      { format: "base64/gzip", data: gzipSync(JSON.stringify({ contacts: C })).toString("base64") },
      [["contacts", C]],
    ],
    [
      "a bare stream map",
      { contacts: C, deals: D },
      [
        ["contacts", C],
        ["deals", D],
      ],
    ],
    ["a single STREAM message", streamState("contacts", C), [["contacts", C]]],
    [
      "a stream without stream_state (starts from scratch)",
      [{ type: "STREAM", stream: { stream_descriptor: { name: "contacts" } } }],
      [],
    ],
    [
      "the same stream twice (the later wins)",
      [streamState("contacts", D), streamState("contacts", C)],
      [["contacts", C]],
    ],
  ])("reads %s", (_label, raw, expected) => {
    expect([...parseState(raw)]).toEqual(expected);
  });
});

describe("parseState: refused shapes", () => {
  it.each<[string, unknown, string]>([
    ["a string", "contacts", "Invalid state: state: must be a JSON array or object"],
    ["a number", 42, "Invalid state: state: must be a JSON array or object"],
    ["an array of strings", ["contacts"], "Invalid state: state[0]: must be a state message object"],
    [
      "a STREAM item without descriptor name",
      [streamState("contacts", C), { type: "STREAM", stream: { stream_descriptor: {}, stream_state: C } }],
      "Invalid state: state[1].stream.stream_descriptor.name: required",
    ],
    [
      "a STREAM item with a string state",
      [streamState("contacts", "2026-01-01")],
      "Invalid state: state[0].stream.stream_state: must be an object",
    ],
    ["an unknown type", [{ type: "PER_STREAM" }], "Invalid state: state[0].type: must be STREAM, GLOBAL or LEGACY"],
    [
      "GLOBAL without stream_states",
      [{ type: "GLOBAL", global: { shared_state: {} } }],
      "Invalid state: state[0].global.stream_states: must be an array",
    ],
    [
      "LEGACY without data",
      [{ type: "LEGACY" }],
      "Invalid state: state[0].data: must be an object of stream name → state",
    ],
    [
      "a bare map with a non-object state",
      { contacts: "2026-01-01" },
      "Invalid state: state.contacts: must be an object",
    ],
    [
      "an unknown compression",
      { format: "base64/zstd", data: "abc" },
      'Invalid state: state.format: only "base64/gzip" with a string data field is supported',
    ],
    [
      "corrupt compressed data",
      { format: "base64/gzip", data: "not-gzip" },
      "Invalid state: state.data: not valid base64-encoded gzipped JSON",
    ],
  ])("refuses %s with a one-line message", (_label, raw, message) => {
    let error: unknown;
    try {
      parseState(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(message);
  });
});

describe("serializeState", () => {
  it("writes the array form that parseState reads back and the schema accepts", () => {
    const states = new Map<string, Record<string, unknown>>([
      ["contacts", C],
      ["engagements", { lastUpdated: 1645315200000 }],
    ]);
    const array = serializeState(states);
    expect(array).toEqual([streamState("contacts", C), streamState("engagements", { lastUpdated: 1645315200000 })]);
    for (const item of array) expect(validateAgainst("AirbyteStateMessage", item)).toEqual([]);
    expect(validateMessage({ type: "STATE", state: array[0] })).toEqual([]);
    expect(parseState(JSON.parse(JSON.stringify(array)))).toEqual(states);
  });
});

describe("state files", () => {
  it("writes atomically, leaving no temporary file, and reads back", async () => {
    const dir = await tempDir();
    const path = join(dir, "state.json");
    await writeStateFileAtomic(path, new Map([["contacts", D]]));
    await writeStateFileAtomic(path, new Map([["contacts", C]]));
    expect(await readdir(dir)).toEqual(["state.json"]);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual([streamState("contacts", C)]);
    expect([...(await readStateFile(path))]).toEqual([["contacts", C]]);
  });

  it("reads an empty file as no state", async () => {
    const path = join(await tempDir(), "state.json");
    await writeFile(path, "\n");
    expect((await readStateFile(path)).size).toBe(0);
  });

  it("refuses a missing file, naming it", async () => {
    await expect(readStateFile("/nonexistent/state.json")).rejects.toThrow(
      /^Cannot read state file \/nonexistent\/state\.json: no such file$/,
    );
  });

  it("refuses invalid JSON in one line without quoting it", async () => {
    const path = join(await tempDir(), "state.json");
    await writeFile(path, '[{"type":"STREAM", secret-looking-thing]');
    const err = await readStateFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^Cannot read state file ${path}: not valid JSON[^\\n]*$`));
    expect((err as Error).message).not.toContain("secret-looking-thing");
  });

  it("fails without replacing the file when the directory does not exist", async () => {
    await expect(writeStateFileAtomic("/nonexistent/dir/state.json", new Map())).rejects.toThrow(/ENOENT/);
  });
});
