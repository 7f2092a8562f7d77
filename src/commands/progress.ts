import type { StreamStatus, StreamSummary } from "../pipeline.js";
import type { TransportStats } from "../sources/transport.js";

interface StreamLine {
  status: StreamStatus;
  records: number;
  startedAt: number;
}

/** Human progress on stderr: a redrawn table on a TTY, nothing but warnings when piped. */
export class Progress {
  private readonly streams = new Map<string, StreamLine>();
  private readonly started = Date.now();
  private stats?: TransportStats;
  private timer?: NodeJS.Timeout;
  private drawnLines = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly redact: (text: string) => string,
  ) {
    if (out.isTTY) this.timer = setInterval(() => this.draw(), 500);
  }

  status(stream: string, status: StreamStatus): void {
    const line = this.streams.get(stream) ?? { status, records: 0, startedAt: Date.now() };
    line.status = status;
    this.streams.set(stream, line);
  }

  records(stream: string, records: number, stats: TransportStats): void {
    const line = this.streams.get(stream);
    if (line) line.records = records;
    this.stats = stats;
  }

  log(level: "info" | "warn" | "error", message: string): void {
    if (level === "info" && !this.out.isTTY) return;
    this.clear();
    this.out.write(`${level === "info" ? "" : `${level}: `}${this.redact(message)}\n`);
  }

  private clear(): void {
    if (!this.out.isTTY || !this.drawnLines) return;
    this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    this.clear();
    const rows: string[] = [];
    for (const [name, s] of this.streams) {
      if (s.status === "COMPLETE" || s.status === "INCOMPLETE") continue;
      const secs = Math.max(0.001, (Date.now() - s.startedAt) / 1000);
      rows.push(
        `  ${name.padEnd(24)} ${String(s.records).padStart(10)} records ${Math.round(s.records / secs)
          .toString()
          .padStart(7)}/s`,
      );
    }
    const st = this.stats;
    if (st)
      rows.push(
        `  requests ${st.requests}  (search ${st.byBudget.search}, rate-limited ${st.rateLimited}, retries ${st.retries})`,
      );
    this.out.write(rows.map((r) => `${r}\n`).join(""));
    this.drawnLines = rows.length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }

  summary(summaries: readonly StreamSummary[], stats: TransportStats, out: string): string {
    const secs = (Date.now() - this.started) / 1000;
    const total = summaries.reduce((n, s) => n + s.records, 0);
    const lines = summaries.map(
      (s) =>
        `  ${s.stream.padEnd(24)} ${String(s.records).padStart(10)}  ${s.status}${s.reason ? ` (${this.redact(s.reason)})` : ""}`,
    );
    return [
      `\nsynced ${total} records from ${summaries.length} streams in ${secs.toFixed(1)} s (${Math.round(total / Math.max(secs, 0.001))} records/s) into ${out}`,
      ...lines,
      `  requests ${stats.requests} (search ${stats.byBudget.search}, associations ${stats.byBudget.exempt}), 429s ${stats.rateLimited}, retries ${stats.retries}`,
      "",
    ].join("\n");
  }
}
