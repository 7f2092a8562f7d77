import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { runCli, tempFiles } from "./run-cli.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const SOCKET = `source-hubspot-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", "sync");

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ seed: 17, counts: { contacts: 2_000 }, scale: "small", rateLimits: false });
});
afterAll(async () => {
  try {
    tmux("kill-server");
  } catch {
    // already gone
  }
  await sim.close();
});

/** Polls the pane until `test` holds; returns that screen. */
async function waitForScreen(test: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    last = screen();
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the terminal never showed what was expected; last screen:\n${last}`);
}

describe("sync progress in a real terminal (tmux)", () => {
  it("shows streams done of all, per-stream rows while running, a line per finished stream, then the summary", async () => {
    const files = tempFiles({
      // 2 requests a second, 2 searches a second: contacts take several seconds, long enough to watch
      "config.json": {
        credentials: { access_token: sim.credentials.privateAppToken },
        base_url: sim.url,
        requests_per_10s: 20,
        search_requests_per_second: 2,
      },
    });
    const command = [
      process.execPath,
      "--import",
      "tsx",
      join(ROOT, "src/cli.ts"),
      "sync",
      "--config",
      files["config.json"] as string,
      "--streams",
      "owners,deal_pipelines,contacts",
      "--out",
      join(files.dir, "out"),
    ].join(" ");
    tmux("new-session", "-d", "-s", "sync", "-x", "160", "-y", "50", "-c", ROOT, `${command}; echo EXIT=$?; sleep 120`);

    // HubSpot reports the contacts total, so the row shows it and an ETA
    const during = await waitForScreen((s) => /contacts +\d+\/\d+ records +\d+\/s ETA \d+/.test(s));
    expect(during).toMatch(
      /^ {2}[0-2]\/3 streams done, \d+ records, \d+ records\/s, \d+ requests, \d+ 429s, \d+s elapsed$/m,
    );

    const end = await waitForScreen((s) => s.includes("EXIT="));
    expect(end).toContain("EXIT=0");
    for (const stream of ["owners", "deal_pipelines", "contacts"]) {
      // the line kept when the stream finished, and its summary row
      expect(end).toMatch(new RegExp(`^ {2}${stream} +\\d+(/\\d+)? records {2}done `, "m"));
      expect(end).toMatch(new RegExp(`^ {2}${stream} +\\d+ {2}complete `, "m"));
    }
    expect(end).toMatch(/synced \d+ records from 3 streams/);
    expect(end).not.toContain("streams done"); // the live block is gone once the run ends
  }, 120_000);

  it("prints no live block when stderr is not a terminal", async () => {
    const r = await runCli(["sync", "--demo", "--streams", "owners", "--out", join(tempFiles({}).dir, "out")]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("streams done");
    expect(r.stderr).not.toContain(String.fromCharCode(27));
  });
});
