import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempFiles } from "./run-cli.js";

describe("source-hubspot sync", () => {
  it("syncs the chosen streams from the embedded simulator and prints a summary", async () => {
    const { dir } = tempFiles({});
    const out = join(dir, "out");
    const r = await runCli(["sync", "--demo", "--streams", "owners,deal_pipelines", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/synced \d+ records from 2 streams/);
    const owners = readFileSync(join(out, "owners.ndjson"), "utf8").trim().split("\n");
    expect(owners.length).toBeGreaterThan(0);
    expect(JSON.parse(owners[0] as string).id).toBeTruthy();
    expect(existsSync(join(out, "state.json"))).toBe(true);
  });

  it.each([
    [["--sink", "csv"], /unknown sink "csv"/],
    [["--streams", "no_such_stream"], /unknown stream\(s\): no_such_stream/],
  ])("refuses %j with exit code 2 and one clear line", async (args, message) => {
    const { dir } = tempFiles({});
    const r = await runCli(["sync", "--demo", "--out", join(dir, "out"), ...args], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
