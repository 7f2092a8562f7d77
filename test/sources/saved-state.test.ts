import { describe, expect, it } from "vitest";
import type { StreamState } from "../../src/sources/page.js";
import { usableState } from "../../src/sources/saved-state.js";
import { STREAMS } from "../../src/sources/streams.js";
import type { RequestSpec } from "../../src/sources/transport.js";
import { fakeTransport, readAll, readOptions } from "../helpers/fake-transport.js";

const stream = (name: string) => STREAMS.find((s) => s.name === name) as (typeof STREAMS)[number];

describe("usableState", () => {
  it.each([
    ["an empty string", { updatedAt: "" }, undefined],
    ["null", { updatedAt: null }, undefined],
    ["text that is not a date", { updatedAt: "not-a-date" }, undefined],
    ["an unusable cursor beside other keys", { updatedAt: "", drainAfterId: "9" }, { drainAfterId: "9" }],
  ] as [string, StreamState, StreamState | undefined][])(
    "drops %s, with one warning naming the stream",
    (_n, state, want) => {
      const warnings: string[] = [];
      expect(usableState(stream("contacts"), state, (m) => warnings.push(m))).toEqual(want);
      expect(warnings).toEqual([expect.stringMatching(/^contacts: the saved cursor updatedAt .* is not a date/)]);
    },
  );

  it.each([
    ["an ISO date-time", { updatedAt: "2024-01-01T00:00:00.000000Z" }],
    ["epoch ms", { updatedAt: 1_700_000_000_000 }],
    ["an epoch-ms string", { updatedAt: "1700000000000" }],
    ["no cursor at all", { backfill: { cutoff: "2024-01-01T00:00:00Z" } }],
  ] as [string, StreamState][])("keeps %s as it is, without a warning", (_n, state) => {
    const warnings: string[] = [];
    expect(usableState(stream("contacts"), state, (m) => warnings.push(m))).toEqual(state);
    expect(warnings).toEqual([]);
  });

  it("drops the per-parent cursors that are not dates, keeping the others, with one warning", () => {
    const warnings: string[] = [];
    const state = { "1": { occurredAt: "" }, "2": { occurredAt: "2024-01-01T00:00:00Z" }, "3": { occurredAt: null } };
    expect(usableState(stream("contacts_web_analytics"), state, (m) => warnings.push(m))).toEqual({
      "2": { occurredAt: "2024-01-01T00:00:00Z" },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("contacts_web_analytics");
  });
});

describe("a client-side incremental stream with an unusable saved cursor", () => {
  it.each([[""], [null], ["not-a-date"]])("reads from start_date instead of failing (%j)", async (cursor) => {
    const startDate = Date.parse("2024-01-02T00:00:00.000Z");
    const log: RequestSpec[] = [];
    const owners = [
      { id: "1", updatedAt: "2024-01-01T00:00:00.000Z" },
      { id: "2", updatedAt: "2024-01-03T00:00:00.000Z" },
    ];
    const warnings: string[] = [];
    const pages = await readAll(
      stream("owners"),
      readOptions(
        fakeTransport(() => ({ results: owners }), log),
        { syncMode: "incremental", state: { updatedAt: cursor }, startDate, warn: (m) => warnings.push(m) },
      ),
    );
    expect(pages.flatMap((p) => p.records.map((r) => r.id))).toEqual(["2"]);
    expect(pages.at(-1)?.state).toEqual({ updatedAt: "2024-01-03T00:00:00.000Z" });
    expect(warnings).toEqual([expect.stringContaining("owners: the saved cursor updatedAt")]);
  });
});
