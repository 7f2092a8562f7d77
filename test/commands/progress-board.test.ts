import { describe, expect, it } from "vitest";
import {
  eta,
  formatDuration,
  heartbeatLine,
  ProgressBoard,
  type RunStats,
  summaryText,
  windowRate,
} from "../../src/commands/progress-board.js";

const stats = (over: Partial<RunStats> = {}): RunStats => ({
  requests: 120,
  byBudget: { standard: 100, search: 15, exempt: 5 },
  rateLimited: 3,
  retries: 4,
  bytes: 0,
  byStream: {},
  ...over,
});

describe("windowRate", () => {
  it.each([
    ["no samples", [], 5_000, 0],
    ["one sample", [{ at: 0, records: 0 }], 5_000, 0],
    [
      "a steady stream",
      [
        { at: 0, records: 0 },
        { at: 5_000, records: 500 },
      ],
      5_000,
      100,
    ],
    [
      "a stream that stalled after its first 10 s",
      [
        { at: 0, records: 0 },
        { at: 10_000, records: 10_000 },
      ],
      25_000,
      0,
    ],
    [
      "only the last 10 s",
      [
        { at: 0, records: 0 },
        { at: 10_000, records: 10_000 },
        { at: 20_000, records: 10_500 },
      ],
      20_000,
      50,
    ],
  ])("of %s is %s records/s", (_what, samples, now, rate) => {
    expect(windowRate(samples, now)).toBeCloseTo(rate, 6);
  });
});

describe("ProgressBoard", () => {
  it("counts streams done out of every stream expected, failed ones included", () => {
    const board = new ProgressBoard(0);
    board.expect(["contacts", "deals", "owners"]);
    board.started("owners", 0);
    board.finished("owners", true, 100);
    board.started("deals", 0);
    board.finished("deals", false, 200);
    board.started("contacts", 0);
    expect(board.done()).toBe(2);
    expect(heartbeatLine(board, stats(), 30_000)).toBe(
      "progress: 2/3 streams done, 0 records, 0 records/s, 120 requests, 3 429s, 30s elapsed",
    );
  });

  it("reports the recent rate, not the average since the stream started", () => {
    const board = new ProgressBoard(0);
    board.started("contacts", 0);
    for (let t = 1_000; t <= 10_000; t += 1_000) board.records("contacts", t, undefined, t);
    board.records("contacts", 10_000, undefined, 60_000); // a minute in, nothing new for 50 s
    expect(board.rate(60_000, "contacts")).toBe(0);
    expect(board.rate(60_000)).toBe(0);
    board.records("contacts", 12_000, undefined, 62_000);
    expect(board.rate(62_000, "contacts")).toBeGreaterThan(0);
  });

  it("keeps the total HubSpot reported and gives an ETA from the recent rate", () => {
    const board = new ProgressBoard(0);
    board.started("contacts", 0);
    board.records("contacts", 1_000, 10_000, 10_000);
    const line = board.streams.get("contacts")!;
    expect(line.total).toBe(10_000);
    expect(eta(line, board.rate(10_000, "contacts"))).toBe("1m30s");
    board.records("contacts", 2_000, undefined, 11_000);
    expect(line.total).toBe(10_000);
  });

  it("has no ETA without a total or while nothing flows", () => {
    const board = new ProgressBoard(0);
    board.started("owners", 0);
    const line = board.streams.get("owners")!;
    expect(eta(line, 100)).toBeUndefined();
    line.total = 50;
    expect(eta(line, 0)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [42_400, "42s"],
    [185_000, "3m05s"],
    [3_720_000, "1h02m"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("summaryText", () => {
  const summaries = [
    { stream: "contacts", records: 300, status: "complete" as const },
    { stream: "engagements_meetings_web_analytics", records: 0, status: "skipped" as const, reason: "missing scopes" },
    { stream: "deals", records: 7, status: "interrupted" as const, reason: "interrupted" },
  ];

  it("aligns every row on the longest stream name and shows per-stream requests and 429s when known", () => {
    const text = summaryText(
      summaries,
      stats({ byStream: { contacts: { requests: 4, rateLimited: 1, retries: 1 } } }),
      2_000,
      "out",
      (t) => t,
    );
    const rows = text.split("\n").filter((l) => /^ {2}(contacts|engagements\w*|deals|stream) /.test(l));
    expect(rows).toHaveLength(4);
    const statusColumn = rows.map((r) => r.search(/ {2}(complete|skipped|interrupted|status) /));
    expect(new Set(statusColumn).size).toBe(1);
    expect(rows[1]).toMatch(/contacts +300 {2}complete +4 +1$/);
    expect(rows[2]).toMatch(/skipped +– +– {2}\(missing scopes\)$/);
    expect(text).toContain("synced 307 records from 3 streams in 2.0 s");
    expect(text).toContain("requests 120 (search 15, associations 5), 429s 3, retries 4");
  });

  it("redacts the reasons", () => {
    const text = summaryText(
      [{ stream: "deals", records: 0, status: "failed", reason: "token pat-123 rejected" }],
      stats(),
      1_000,
      "out",
      (t) => t.replace("pat-123", "***"),
    );
    expect(text).toContain("(token *** rejected)");
  });
});
