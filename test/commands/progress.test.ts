import { VirtualAction, VirtualTimeScheduler } from "rxjs";
import { describe, expect, it } from "vitest";
import { HEARTBEAT_MS, Progress } from "../../src/commands/progress.js";
import type { RunStats } from "../../src/commands/progress-board.js";

/** A terminal that understands the two escapes Progress uses (cursor up n, clear to the end of screen). */
class FakeTerminal {
  readonly isTTY: boolean;
  readonly columns = 200;
  readonly rows = 50;
  private screen: string[] = [""];
  raw = "";

  constructor(tty: boolean) {
    this.isTTY = tty;
  }

  write(text: string): boolean {
    this.raw += text;
    const ESC = String.fromCharCode(27);
    const control = new RegExp(`^${ESC}\\[(\\d*)([AJ])`);
    let rest = text;
    while (rest) {
      const code = control.exec(rest);
      if (code) {
        if (code[2] === "A") {
          this.screen.splice(this.screen.length - 1 - Number(code[1] || 1));
          this.screen.push("");
        } else this.screen[this.screen.length - 1] = "";
        rest = rest.slice(code[0].length);
        continue;
      }
      const next = rest.indexOf(ESC, 1);
      const plain = next < 0 ? rest : rest.slice(0, next);
      const [head = "", ...lines] = plain.split("\n");
      this.screen[this.screen.length - 1] += head;
      this.screen.push(...lines);
      rest = rest.slice(plain.length);
    }
    return true;
  }

  /** What a user sees now, blank last line dropped. */
  visible(): string[] {
    return this.screen.filter((l, i) => l !== "" || i < this.screen.length - 1);
  }
}

const stats: RunStats = {
  requests: 42,
  byBudget: { standard: 40, search: 2, exempt: 0 },
  rateLimited: 1,
  retries: 1,
  bytes: 0,
  byStream: { contacts: { requests: 30, rateLimited: 1, retries: 1 } },
};

/** Runs `script` on a virtual clock up to `untilMs`, with a Progress writing to `term`. */
function run(
  term: FakeTerminal,
  untilMs: number,
  script: (p: Progress, at: (ms: number, f: () => void) => void) => void,
) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, untilMs);
  const progress = new Progress(term, (t) => t.replaceAll("secret", "***"), { scheduler });
  progress.statsFrom(() => stats);
  script(progress, (ms, f) => scheduler.schedule(f, ms));
  scheduler.flush();
  return progress;
}

describe("Progress when stderr is piped", () => {
  it("prints one heartbeat line every 30 s with streams done, records, records/s, requests and 429s", () => {
    const term = new FakeTerminal(false);
    const progress = run(term, HEARTBEAT_MS * 2 + 1_000, (p, at) => {
      p.expect(["contacts", "owners"]);
      at(0, () => p.status("owners", "STARTED"));
      at(1_000, () => p.records("owners", 12));
      at(1_000, () => p.status("owners", "COMPLETE"));
      at(0, () => p.status("contacts", "STARTED"));
      // 10,000 contacts a second from 25 s on, sampled each second at n.5 s
      for (let t = 25_500; t < 60_000; t += 1_000) at(t, () => p.records("contacts", (t - 24_500) * 10));
      at(40_000, () => p.log("info", "not shown when piped"));
      at(41_000, () => p.log("warn", "a secret warning"));
    });
    progress.stop();
    const lines = term.raw.split("\n").filter(Boolean);
    // At 30 s the window's base is the owners sample at 1 s (nothing came between 1 s and 20 s); at 60 s it is the
    // sample at 49.5 s.
    expect(lines).toEqual([
      `progress: 1/2 streams done, 50012 records, ${Math.round(50_000 / 29)} records/s, 42 requests, 1 429s, 30s elapsed`,
      "warn: a *** warning",
      `progress: 1/2 streams done, 350012 records, ${Math.round(100_000 / 10.5)} records/s, 42 requests, 1 429s, 1m00s elapsed`,
    ]);
    expect(term.raw).not.toContain(String.fromCharCode(27));
  });
});

describe("Progress on a TTY", () => {
  it("redraws streams done, running streams with their totals and ETA, and keeps a line per finished stream", () => {
    const term = new FakeTerminal(true);
    const progress = run(term, 20_000, (p, at) => {
      p.expect(["contacts", "owners", "deals"]);
      at(0, () => p.status("contacts", "STARTED"));
      at(0, () => p.status("owners", "STARTED"));
      for (let t = 1_000; t <= 20_000; t += 1_000) at(t, () => p.records("contacts", t / 10, 4_000));
      at(2_000, () => p.records("owners", 12));
      at(3_000, () => p.status("owners", "COMPLETE"));
    });
    const live = term.visible();
    expect(live[0]).toMatch(/^ {2}owners +12 records {2}done +3s +– requests +– 429s$/);
    expect(live[1]).toMatch(/^ {2}1\/3 streams done, 2012 records, \d+ records\/s, 42 requests, 1 429s, 20s elapsed$/);
    expect(live[2]).toMatch(/^ {2}contacts +2000\/4000 records +100\/s ETA 20s +30 requests +1 429s$/);
    expect(live).toHaveLength(3);

    progress.status("contacts", "INCOMPLETE");
    progress.stop();
    const after = term.visible();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatch(/^ {2}contacts +2000\/4000 records {2}incomplete/);
  });
});
