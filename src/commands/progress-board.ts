/**
 * What `sync` knows about a run in progress, and how it reads as text: a live block on a TTY, a heartbeat line
 * when piped, the summary at the end. Pure: every function takes the time it renders for.
 */
import type { StreamSummary } from "../pipeline.js";
import type { TransportStats } from "../sources/transport.js";

/** What the transport counted; a stream it has no counts for shows "–". */
export type RunStats = TransportStats;

/**
 * Records/s over the last 10 s: HubSpot's rolling window, so a rate read between two windows of the rate limit
 * does not swing between a burst and zero, and a stall shows within seconds (an average since the start hides it).
 */
export const RATE_WINDOW_MS = 10_000;

export type StreamPhase = "queued" | "running" | "done" | "incomplete";

interface Sample {
  at: number;
  records: number;
}

export interface StreamLine {
  name: string;
  phase: StreamPhase;
  records: number;
  total?: number;
  startedAt?: number;
  endedAt?: number;
  samples: Sample[];
}

/** The run's streams, their record counts and recent samples. */
export class ProgressBoard {
  readonly streams = new Map<string, StreamLine>();
  private readonly overall: Sample[] = [];

  constructor(readonly startedAt: number) {
    this.overall.push({ at: startedAt, records: 0 });
  }

  /** The streams the run will read, so "n/m streams done" has its m from the start. */
  expect(names: readonly string[]): void {
    for (const name of names) this.line(name);
  }

  started(name: string, at: number): void {
    const line = this.line(name);
    line.phase = "running";
    line.startedAt ??= at;
    line.samples = [{ at, records: line.records }];
  }

  records(name: string, records: number, total: number | undefined, at: number): void {
    const line = this.line(name);
    if (line.phase === "queued") this.started(name, at);
    line.records = records;
    if (total !== undefined) line.total = total;
    push(line.samples, { at, records }, at);
    push(this.overall, { at, records: this.totalRecords() }, at);
  }

  finished(name: string, complete: boolean, at: number): void {
    const line = this.line(name);
    line.phase = complete ? "done" : "incomplete";
    line.startedAt ??= at;
    line.endedAt = at;
  }

  /** Streams that ended, complete or not. */
  done(): number {
    let n = 0;
    for (const s of this.streams.values()) if (s.phase === "done" || s.phase === "incomplete") n++;
    return n;
  }

  totalRecords(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.records;
    return n;
  }

  /** Records/s of one stream (or the whole run) over the last {@link RATE_WINDOW_MS}, as of `now`. */
  rate(now: number, name?: string): number {
    if (name === undefined) return windowRate(this.overall, now);
    const line = this.streams.get(name);
    return line?.phase === "running" ? windowRate(line.samples, now) : 0;
  }

  /** Width of the name column: the longest stream name, within 6–48 characters. */
  nameWidth(): number {
    let w = 6;
    for (const name of this.streams.keys()) w = Math.max(w, name.length);
    return Math.min(w, 48);
  }

  private line(name: string): StreamLine {
    let line = this.streams.get(name);
    if (!line) {
      line = { name, phase: "queued", records: 0, samples: [] };
      this.streams.set(name, line);
    }
    return line;
  }
}

/** Appends a sample, dropping those no longer needed: one at or before the window's start is kept as its base. */
function push(samples: Sample[], sample: Sample, now: number): void {
  samples.push(sample);
  while (samples.length > 2 && (samples[1] as Sample).at <= now - RATE_WINDOW_MS) samples.shift();
}

/** Records added since the window's base sample, per second of the time since that sample. */
export function windowRate(samples: readonly Sample[], now: number): number {
  if (!samples.length) return 0;
  const latest = samples[samples.length - 1] as Sample;
  let base = samples[0] as Sample;
  for (const s of samples) {
    if (s.at <= now - RATE_WINDOW_MS) base = s;
    else break;
  }
  const secs = (now - base.at) / 1000;
  return secs > 0 ? Math.max(0, latest.records - base.records) / secs : 0;
}

/** `1h02m`, `3m05s`, `42s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** Time left at the current rate, when HubSpot reported a total and records are flowing. */
export function eta(line: StreamLine, rate: number): string | undefined {
  if (line.total === undefined || rate <= 0 || line.phase !== "running") return undefined;
  return formatDuration((Math.max(0, line.total - line.records) / rate) * 1000);
}

const DASH = "–";

function requestCells(stats: RunStats | undefined, name: string): [string, string] {
  const s = stats?.byStream?.[name];
  return s ? [String(s.requests), String(s.rateLimited)] : [DASH, DASH];
}

/** "12/38 streams done, 1234 records, 56 records/s, 789 requests, 3 429s". */
export function overallText(board: ProgressBoard, stats: RunStats | undefined, now: number): string {
  const parts = [
    `${board.done()}/${board.streams.size} streams done`,
    `${board.totalRecords()} records`,
    `${Math.round(board.rate(now))} records/s`,
  ];
  if (stats) parts.push(`${stats.requests} requests`, `${stats.rateLimited} 429s`);
  return parts.join(", ");
}

/** One stream as a table row: name, records (of total), rate and ETA while running, requests and 429s. */
export function streamRow(line: StreamLine, stats: RunStats | undefined, now: number, width: number): string {
  const rate = line.phase === "running" ? windowRate(line.samples, now) : 0;
  const counted = line.total === undefined ? String(line.records) : `${line.records}/${line.total}`;
  const [requests, limited] = requestCells(stats, line.name);
  const left = eta(line, rate);
  const state =
    line.phase === "running"
      ? `${String(Math.round(rate)).padStart(7)}/s ${(left ? `ETA ${left}` : "").padEnd(10)}`
      : `${line.phase.padEnd(9)} ${formatDuration((line.endedAt ?? now) - (line.startedAt ?? now)).padStart(9)}`;
  return `  ${line.name.padEnd(width)} ${counted.padStart(15)} records  ${state} ${requests.padStart(7)} requests ${limited.padStart(5)} 429s`;
}

/** The live block on a TTY: the run's overall line, then a row per running stream. */
export function liveLines(board: ProgressBoard, stats: RunStats | undefined, now: number): string[] {
  const width = board.nameWidth();
  const rows = [...board.streams.values()]
    .filter((s) => s.phase === "running")
    .map((s) => streamRow(s, stats, now, width));
  return [`  ${overallText(board, stats, now)}, ${formatDuration(now - board.startedAt)} elapsed`, ...rows];
}

/** The piped heartbeat: one line, no cursor movement. */
export function heartbeatLine(board: ProgressBoard, stats: RunStats | undefined, now: number): string {
  return `progress: ${overallText(board, stats, now)}, ${formatDuration(now - board.startedAt)} elapsed`;
}

/** The end-of-run summary: totals, then one aligned row per stream with its requests and 429s. */
export function summaryText(
  summaries: readonly StreamSummary[],
  stats: RunStats,
  elapsedMs: number,
  out: string,
  redact: (text: string) => string,
): string {
  const secs = elapsedMs / 1000;
  const total = summaries.reduce((n, s) => n + s.records, 0);
  const width = Math.min(48, Math.max(6, ...summaries.map((s) => s.stream.length)));
  const header = `  ${"stream".padEnd(width)} ${"records".padStart(10)}  ${"status".padEnd(11)} ${"requests".padStart(8)} ${"429s".padStart(5)}`;
  const rows = summaries.map((s) => {
    const [requests, limited] = requestCells(stats, s.stream);
    const reason = s.reason ? `  (${redact(s.reason)})` : "";
    return `  ${s.stream.padEnd(width)} ${String(s.records).padStart(10)}  ${s.status.padEnd(11)} ${requests.padStart(8)} ${limited.padStart(5)}${reason}`;
  });
  return [
    `\nsynced ${total} records from ${summaries.length} streams in ${secs.toFixed(1)} s (${Math.round(total / Math.max(secs, 0.001))} records/s) into ${out}`,
    header,
    ...rows,
    `  requests ${stats.requests} (search ${stats.byBudget.search}, associations ${stats.byBudget.exempt}), 429s ${stats.rateLimited}, retries ${stats.retries}`,
    "",
  ].join("\n");
}
