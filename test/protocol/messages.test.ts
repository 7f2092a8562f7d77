import { describe, expect, it } from "vitest";
import { configSpecification } from "../../src/config.js";
import { airbyteStream } from "../../src/protocol/catalog.js";
import {
  type AirbyteMessage,
  catalogMessage,
  connectionStatus,
  controlConfigMessage,
  errorTrace,
  estimateTrace,
  logMessage,
  recordMessage,
  specMessage,
  stateMessage,
  streamStatus,
  toLine,
} from "../../src/protocol/messages.js";
import { expectValidLines, validateMessage } from "../helpers/protocol-validator.js";

const NOW = 1767322000000;

const contacts = airbyteStream({
  name: "contacts",
  jsonSchema: { type: "object", properties: { id: { type: "string" } } },
  primaryKey: [["id"]],
  cursorField: ["updatedAt"],
});

/** Every builder, with the exact JSON it must produce (peers.md §5.2 shapes). */
const cases: [string, AirbyteMessage, unknown][] = [
  [
    "recordMessage",
    recordMessage("contacts", { id: "101", updatedAt: "2026-01-02T03:04:05.000Z" }, NOW + 123.7),
    {
      type: "RECORD",
      record: { stream: "contacts", data: { id: "101", updatedAt: "2026-01-02T03:04:05.000Z" }, emitted_at: NOW + 123 },
    },
  ],
  [
    "stateMessage",
    stateMessage("contacts", { updatedAt: "2026-01-02T03:04:05.000Z" }, 1),
    {
      type: "STATE",
      state: {
        type: "STREAM",
        stream: { stream_descriptor: { name: "contacts" }, stream_state: { updatedAt: "2026-01-02T03:04:05.000Z" } },
        sourceStats: { recordCount: 1 },
      },
    },
  ],
  [
    "logMessage",
    logMessage("WARN", "429 from search; backing off 2.0s"),
    { type: "LOG", log: { level: "WARN", message: "429 from search; backing off 2.0s" } },
  ],
  [
    "logMessage with a stack trace",
    logMessage("ERROR", "boom", "Error: boom\n    at x"),
    { type: "LOG", log: { level: "ERROR", message: "boom", stack_trace: "Error: boom\n    at x" } },
  ],
  ...(["STARTED", "RUNNING", "COMPLETE", "INCOMPLETE"] as const).map((status): [string, AirbyteMessage, unknown] => [
    `streamStatus ${status}`,
    streamStatus("contacts", status, NOW),
    {
      type: "TRACE",
      trace: {
        type: "STREAM_STATUS",
        emitted_at: NOW,
        stream_status: { stream_descriptor: { name: "contacts" }, status },
      },
    },
  ]),
  [
    "streamStatus RUNNING rate limited",
    streamStatus("contacts", "RUNNING", NOW, [{ type: "RATE_LIMITED", rate_limited: { quota_reset: NOW + 10_000 } }]),
    {
      type: "TRACE",
      trace: {
        type: "STREAM_STATUS",
        emitted_at: NOW,
        stream_status: {
          stream_descriptor: { name: "contacts" },
          status: "RUNNING",
          reasons: [{ type: "RATE_LIMITED", rate_limited: { quota_reset: NOW + 10_000 } }],
        },
      },
    },
  ],
  [
    "errorTrace with stream",
    errorTrace(
      {
        message: "HubSpot rejected the token",
        internalMessage: "HTTP 401",
        failureType: "config_error",
        stream: "deals",
      },
      NOW,
    ),
    {
      type: "TRACE",
      trace: {
        type: "ERROR",
        emitted_at: NOW,
        error: {
          message: "HubSpot rejected the token",
          internal_message: "HTTP 401",
          failure_type: "config_error",
          stream_descriptor: { name: "deals" },
        },
      },
    },
  ],
  [
    "errorTrace without stream, with stack",
    errorTrace({ message: "bug", failureType: "system_error", stackTrace: "Error: bug" }, NOW),
    {
      type: "TRACE",
      trace: {
        type: "ERROR",
        emitted_at: NOW,
        error: { message: "bug", failure_type: "system_error", stack_trace: "Error: bug" },
      },
    },
  ],
  [
    "errorTrace transient",
    errorTrace({ message: "HubSpot kept answering 502", failureType: "transient_error" }, NOW),
    {
      type: "TRACE",
      trace: {
        type: "ERROR",
        emitted_at: NOW,
        error: { message: "HubSpot kept answering 502", failure_type: "transient_error" },
      },
    },
  ],
  [
    "estimateTrace",
    estimateTrace("contacts", 48213, NOW + 1),
    {
      type: "TRACE",
      trace: {
        type: "ESTIMATE",
        emitted_at: NOW + 1,
        estimate: { name: "contacts", type: "STREAM", row_estimate: 48213 },
      },
    },
  ],
  [
    "specMessage",
    specMessage({ connectionSpecification: configSpecification }),
    { type: "SPEC", spec: { connectionSpecification: configSpecification } },
  ],
  [
    "connectionStatus ok",
    connectionStatus(true),
    { type: "CONNECTION_STATUS", connectionStatus: { status: "SUCCEEDED" } },
  ],
  [
    "connectionStatus failed",
    connectionStatus(false, "401 from /crm/v3/owners: invalid token"),
    {
      type: "CONNECTION_STATUS",
      connectionStatus: { status: "FAILED", message: "401 from /crm/v3/owners: invalid token" },
    },
  ],
  [
    "catalogMessage",
    catalogMessage([contacts]),
    {
      type: "CATALOG",
      catalog: {
        streams: [
          {
            name: "contacts",
            json_schema: { type: "object", properties: { id: { type: "string" } } },
            supported_sync_modes: ["full_refresh", "incremental"],
            source_defined_cursor: true,
            default_cursor_field: ["updatedAt"],
            source_defined_primary_key: [["id"]],
            is_resumable: true,
          },
        ],
      },
    },
  ],
  [
    "controlConfigMessage",
    controlConfigMessage({ credentials: { refresh_token: "<rotated>" } }, NOW),
    {
      type: "CONTROL",
      control: {
        type: "CONNECTOR_CONFIG",
        emitted_at: NOW,
        connectorConfig: { config: { credentials: { refresh_token: "<rotated>" } } },
      },
    },
  ],
];

describe("message builders", () => {
  it.each(cases)("%s builds the expected message", (_name, msg, expected) => {
    expect(msg).toEqual(expected);
  });

  it.each(cases)("%s validates against the official schema", (_name, msg) => {
    expect(validateMessage(msg)).toEqual([]);
    expect(validateMessage(JSON.parse(toLine(msg)))).toEqual([]);
  });

  it("builds a full-refresh-only stream without cursor", () => {
    const owners = airbyteStream({ name: "users", jsonSchema: {}, primaryKey: [["id"]] });
    expect(owners).toMatchObject({
      supported_sync_modes: ["full_refresh"],
      source_defined_cursor: false,
      default_cursor_field: [],
      is_resumable: false,
    });
    expect(validateMessage(catalogMessage([owners]))).toEqual([]);
  });
});

describe("toLine", () => {
  it("prints one JSON object and a newline", () => {
    const line = toLine(logMessage("INFO", "multi\nline"));
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(line)).toEqual(logMessage("INFO", "multi\nline"));
  });

  it("writes an integer recordCount with a decimal point and keeps the message intact", () => {
    const msg = stateMessage("contacts", { updatedAt: "2026-01-02T03:04:05.000Z", note: '}},"x' }, 3);
    const line = toLine(msg);
    expect(line).toContain('"sourceStats":{"recordCount":3.0}');
    expect(JSON.parse(line)).toEqual(msg);
    expect(expectValidLines(line)).toHaveLength(1);
  });

  it("leaves a fractional recordCount as JSON prints it", () => {
    expect(toLine(stateMessage("contacts", {}, 2.5))).toContain('"recordCount":2.5}');
  });

  it("prints lines that together pass expectValidLines", () => {
    const stdout = cases.map(([, msg]) => toLine(msg)).join("");
    expect(expectValidLines(stdout)).toHaveLength(cases.length);
  });
});
