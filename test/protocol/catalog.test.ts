import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.js";
import { type ConfiguredCatalog, parseConfiguredCatalog, readCatalogFile } from "../../src/protocol/catalog.js";
import { validateAgainst } from "../helpers/protocol-validator.js";

const stream = (name: string, extra: Record<string, unknown> = {}) => ({
  stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh", "incremental"] },
  sync_mode: "incremental",
  cursor_field: ["updatedAt"],
  destination_sync_mode: "append_dedup",
  primary_key: [["id"]],
  ...extra,
});

function problemsOf(raw: unknown): string[] {
  try {
    parseConfiguredCatalog(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

describe("parseConfiguredCatalog: valid", () => {
  it.each<[string, unknown, ConfiguredCatalog]>([
    [
      "the peers.md example",
      { streams: [stream("contacts")] },
      {
        streams: [
          {
            name: "contacts",
            syncMode: "incremental",
            cursorField: ["updatedAt"],
            destinationSyncMode: "append_dedup",
            primaryKey: [["id"]],
          },
        ],
      },
    ],
    [
      "a minimal stream, with protocol defaults",
      { streams: [{ stream: { name: "owners" } }] },
      { streams: [{ name: "owners", syncMode: "full_refresh", destinationSyncMode: "append" }] },
    ],
    [
      "an empty cursor_field and extra protocol fields",
      {
        streams: [
          stream("deals", {
            cursor_field: [],
            sync_mode: "full_refresh",
            destination_sync_mode: "overwrite",
            generation_id: 3,
            sync_id: 9,
          }),
        ],
      },
      {
        streams: [{ name: "deals", syncMode: "full_refresh", destinationSyncMode: "overwrite", primaryKey: [["id"]] }],
      },
    ],
    ["no streams", { streams: [] }, { streams: [] }],
  ])("accepts %s", (_label, raw, expected) => {
    expect(parseConfiguredCatalog(raw)).toEqual(expected);
  });

  it("keeps the streams in the given order", () => {
    const names = parseConfiguredCatalog({ streams: [stream("b"), stream("a"), stream("c")] }).streams.map(
      (s) => s.name,
    );
    expect(names).toEqual(["b", "a", "c"]);
  });
});

describe("parseConfiguredCatalog: invalid", () => {
  it.each<[string, unknown, string[]]>([
    ["a non-object", "contacts", ['catalog: must be an object with a "streams" array']],
    ["an array", [stream("contacts")], ['catalog: must be an object with a "streams" array']],
    ["missing streams", {}, ["streams: must be an array"]],
    ["streams as an object", { streams: { contacts: {} } }, ["streams: must be an array"]],
    ["a stream that is not an object", { streams: [stream("a"), 42] }, ["streams[1]: must be an object"]],
    [
      "a missing stream",
      { streams: [{ sync_mode: "full_refresh" }] },
      ["streams[0].stream: required (an object with at least a name)"],
    ],
    ["a missing name", { streams: [{ stream: { json_schema: {} } }] }, ["streams[0].stream.name: required"]],
    ["an empty name", { streams: [{ stream: { name: "" } }] }, ["streams[0].stream.name: must be a non-empty string"]],
    [
      "a bad sync_mode",
      { streams: [stream("a"), stream("b"), stream("c", { sync_mode: "incremental_append" })] },
      ["streams[2].sync_mode: must be full_refresh or incremental"],
    ],
    [
      "a bad destination_sync_mode",
      { streams: [stream("a", { destination_sync_mode: "dedup" })] },
      ["streams[0].destination_sync_mode: must be one of append, overwrite, append_dedup, update"],
    ],
    [
      "a string cursor_field",
      { streams: [stream("a", { cursor_field: "updatedAt" })] },
      ['streams[0].cursor_field: must be an array of strings, like ["updatedAt"]'],
    ],
    [
      "a flat primary_key",
      { streams: [stream("a", { primary_key: ["id"] })] },
      ['streams[0].primary_key: must be an array of arrays of strings, like [["id"]]'],
    ],
    [
      "a json_schema that is not an object",
      { streams: [{ stream: { name: "a", json_schema: "{}" } }] },
      ["streams[0].stream.json_schema: must be an object"],
    ],
    [
      "a duplicated stream",
      { streams: [stream("contacts"), stream("deals"), stream("contacts")] },
      ['streams[2].stream.name: "contacts" is listed more than once'],
    ],
  ])("refuses %s", (_label, raw, problems) => {
    expect(problemsOf(raw)).toEqual(problems);
  });

  it("lists every problem of every stream in one error", () => {
    const raw = {
      streams: [
        { stream: {}, sync_mode: "sometimes" },
        stream("ok"),
        { stream: { name: "x" }, destination_sync_mode: 1, primary_key: "id" },
      ],
    };
    expect(problemsOf(raw)).toEqual([
      "streams[0].stream.name: required",
      "streams[0].sync_mode: must be full_refresh or incremental",
      "streams[2].destination_sync_mode: must be one of append, overwrite, append_dedup, update",
      'streams[2].primary_key: must be an array of arrays of strings, like [["id"]]',
    ]);
  });
});

describe("readCatalogFile", () => {
  it("reads the example catalog, which is also valid per the official schema", async () => {
    const path = "config/catalog.contacts-incremental.json";
    expect(validateAgainst("ConfiguredAirbyteCatalog", JSON.parse(await readFile(path, "utf8")))).toEqual([]);
    const catalog = await readCatalogFile(path);
    expect(catalog.streams.map((s) => [s.name, s.syncMode])).toEqual([["contacts", "incremental"]]);
  });

  it("names a missing file in one line", async () => {
    await expect(readCatalogFile("/nonexistent/catalog.json")).rejects.toThrow(
      /^Cannot read catalog file \/nonexistent\/catalog\.json: no such file$/,
    );
  });

  it("names the file when the catalog is invalid", async () => {
    const dir = await mkdtemp(join(tmpdir(), "catalog-test-"));
    const path = join(dir, "catalog.json");
    await writeFile(path, JSON.stringify({ streams: [{ stream: {} }] }));
    await expect(readCatalogFile(path)).rejects.toThrow(
      `Invalid catalog file ${path}: streams[0].stream.name: required`,
    );
  });
});
