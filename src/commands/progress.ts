import { asyncScheduler, interval, type SchedulerLike, type Subscription } from "rxjs";
import type { StreamStatus, StreamSummary } from "../pipeline.js";
import { heartbeatLine, liveLines, ProgressBoard, type RunStats, streamRow, summaryText } from "./progress-board.js";

/** Where progress goes: stderr, or anything with the same few members (tests). */
export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface ProgressOptions {
  /** Drives the redraw and heartbeat cadence and every "now" (a TestScheduler in tests). */
  scheduler?: SchedulerLike;
  /** TTY redraw period. */
  redrawMs?: number;
  /** Heartbeat period when not a TTY. */
  heartbeatMs?: number;
}

/** How often `sync` prints a heartbeat line when stderr is not a TTY. */
export const HEARTBEAT_MS = 30_000;

/**
 * Human progress on stderr. On a TTY: a live block (streams done of all, records, recent records/s, requests,
 * 429s, and a row per running stream with its total and ETA when HubSpot reports one), redrawn in place, and a
 * line that stays for each stream as it finishes. Piped: a heartbeat line every {@link HEARTBEAT_MS}.
 */
export class Progress {
  private readonly scheduler: SchedulerLike;
  private readonly board: ProgressBoard;
  private readonly ticker: Subscription;
  private stats: () => RunStats | undefined = () => undefined;
  private drawnLines = 0;

  constructor(
    private readonly out: ProgressOut,
    private readonly redact: (text: string) => string,
    options: ProgressOptions = {},
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.board = new ProgressBoard(this.scheduler.now());
    this.ticker = out.isTTY
      ? interval(options.redrawMs ?? 500, this.scheduler).subscribe(() => this.draw())
      : interval(options.heartbeatMs ?? HEARTBEAT_MS, this.scheduler).subscribe(() =>
          this.out.write(`${heartbeatLine(this.board, this.stats(), this.scheduler.now())}\n`),
        );
  }

  /** Where request counts come from (the transport, once the source exists). */
  statsFrom(stats: () => RunStats): void {
    this.stats = stats;
  }

  /** The streams this run will read. */
  expect(names: readonly string[]): void {
    this.board.expect(names);
  }

  status(stream: string, status: StreamStatus): void {
    const now = this.scheduler.now();
    if (status === "STARTED") this.board.started(stream, now);
    if (status !== "COMPLETE" && status !== "INCOMPLETE") return;
    this.board.finished(stream, status === "COMPLETE", now);
    const line = this.board.streams.get(stream);
    if (this.out.isTTY && line) this.above(streamRow(line, this.stats(), now, this.board.nameWidth()));
  }

  records(stream: string, records: number, total?: number): void {
    this.board.records(stream, records, total, this.scheduler.now());
  }

  log(level: "info" | "warn" | "error", message: string): void {
    if (level === "info" && !this.out.isTTY) return;
    this.above(`${level === "info" ? "" : `${level}: `}${this.redact(message)}`);
  }

  stop(): void {
    this.ticker.unsubscribe();
    this.clear();
  }

  summary(summaries: readonly StreamSummary[], stats: RunStats, out: string): string {
    return summaryText(summaries, stats, this.scheduler.now() - this.board.startedAt, out, this.redact);
  }

  /** A line that stays: printed above the live block, which the next redraw puts back. */
  private above(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
  }

  private clear(): void {
    if (!this.out.isTTY || !this.drawnLines) return;
    this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    this.clear();
    let rows = liveLines(this.board, this.stats(), this.scheduler.now());
    // Wrapped or scrolled-off lines would break the cursor-up redraw: fit the block to the terminal.
    const height = Math.max(2, (this.out.rows ?? 40) - 2);
    if (rows.length > height) rows = [...rows.slice(0, height - 1), `  … and ${rows.length - height + 1} more`];
    const width = Math.max(20, (this.out.columns ?? 160) - 1);
    this.out.write(rows.map((r) => `${r.slice(0, width)}\n`).join(""));
    this.drawnLines = rows.length;
  }
}
