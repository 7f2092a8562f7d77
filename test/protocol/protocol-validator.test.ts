import { describe, expect, it } from "vitest";
import { expectValidLines, validateAgainst, validateMessage } from "../helpers/protocol-validator.js";

// The helper is shared by the CLI tests: prove it rejects what it must, or it proves nothing.
describe("protocol validator", () => {
  it.each<[string, unknown, RegExp]>([
    ["an unknown type", { type: "HELLO" }, /\/type must be equal to one of the allowed values/],
    ["a missing type", { record: {} }, /must have required property 'type'/],
    ["a RECORD without record", { type: "RECORD" }, /\/record is required for a RECORD message/],
    ["a record without emitted_at", { type: "RECORD", record: { stream: "s", data: {} } }, /emitted_at/],
    [
      "a fractional record emitted_at",
      { type: "RECORD", record: { stream: "s", data: {}, emitted_at: 1.5 } },
      /\/record\/emitted_at must be integer/,
    ],
    ["a LOG with a bad level", { type: "LOG", log: { level: "NOTICE", message: "m" } }, /\/log\/level/],
    [
      "a TRACE ERROR without error",
      { type: "TRACE", trace: { type: "ERROR", emitted_at: 1 } },
      /\/trace\/error is required/,
    ],
    [
      "an unknown failure_type",
      { type: "TRACE", trace: { type: "ERROR", emitted_at: 1, error: { message: "m", failure_type: "oops" } } },
      /failure_type/,
    ],
    [
      "a STREAM state without stream",
      { type: "STATE", state: { type: "STREAM", data: {} } },
      /\/state\/stream is required/,
    ],
    [
      "a string recordCount",
      {
        type: "STATE",
        state: { type: "STREAM", stream: { stream_descriptor: { name: "s" } }, sourceStats: { recordCount: "1" } },
      },
      /recordCount must be number/,
    ],
    [
      "a CONTROL without connectorConfig",
      { type: "CONTROL", control: { type: "CONNECTOR_CONFIG", emitted_at: 1 } },
      /connectorConfig/,
    ],
    ["a bad connection status", { type: "CONNECTION_STATUS", connectionStatus: { status: "OK" } }, /status/],
  ])("rejects %s", (_label, msg, problem) => {
    const errors = validateMessage(msg);
    expect(errors.join("\n")).toMatch(problem);
  });

  it("names the first invalid stdout line", () => {
    const stdout = '{"type":"LOG","log":{"level":"INFO","message":"ok"}}\n{"type":"RECORD"}\n';
    expect(() => expectValidLines(stdout)).toThrow(/stdout line 2 is not a valid AirbyteMessage/);
  });

  it("refuses stray text on stdout", () => {
    expect(() => expectValidLines("Starting sync...\n")).toThrow(/stdout line 1 is not JSON/);
  });

  it("skips blank lines and returns the parsed messages", () => {
    const msgs = expectValidLines('\n{"type":"LOG","log":{"level":"INFO","message":"a"}}\n\n');
    expect(msgs).toEqual([{ type: "LOG", log: { level: "INFO", message: "a" } }]);
  });

  it("validates other definitions by name", () => {
    expect(validateAgainst("ConfiguredAirbyteCatalog", { streams: [] })).toEqual([]);
    expect(validateAgainst("ConfiguredAirbyteCatalog", { streams: [{}] }).length).toBeGreaterThan(0);
    expect(() => validateAgainst("NoSuchThing", {})).toThrow(/no definition NoSuchThing/);
  });
});
