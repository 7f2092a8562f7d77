import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "../../src/simulator/index.js";
import { runCli, tempFiles } from "./run-cli.js";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, scale: "small", rateLimits: false });
});
afterAll(() => sim.close());

const simConfig = () => ({
  credentials: { access_token: sim.credentials.privateAppToken },
  base_url: sim.url,
  requests_per_10s: 100_000,
});

const ndjsonRows = (path: string) => readFileSync(path, "utf8").trim().split("\n").filter(Boolean);

describe("source-hubspot sync", () => {
  it("syncs the chosen streams from the embedded simulator and prints a summary", async () => {
    const { dir } = tempFiles({});
    const out = join(dir, "out");
    const r = await runCli(["sync", "--demo", "--streams", "owners,deal_pipelines", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/synced \d+ records from 2 streams/);
    const owners = ndjsonRows(join(out, "owners.ndjson"));
    expect(owners.length).toBeGreaterThan(0);
    expect(JSON.parse(owners[0] as string).id).toBeTruthy();
    expect(existsSync(join(out, "state.json"))).toBe(true);
  });

  it("keeps its state in <out>/state.json by default, so a second run reads only what changed", async () => {
    const files = tempFiles({ "config.json": simConfig() });
    const out = join(files.dir, "out");
    const args = ["sync", "--config", files["config.json"] as string, "--streams", "contacts", "--out", out];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(existsSync(join(out, "state.json"))).toBe(true);
    const afterFirst = ndjsonRows(join(out, "contacts.ndjson")).length;
    expect(afterFirst).toBe(sim.portal.count("contacts"));

    const second = await runCli(args);
    expect(second.code).toBe(0);
    const added = ndjsonRows(join(out, "contacts.ndjson")).length - afterFirst;
    expect(added).toBeLessThan(5); // the boundary records only
  });

  it("with --no-state neither reads nor writes a state file", async () => {
    const files = tempFiles({ "config.json": simConfig() });
    const out = join(files.dir, "out");
    const args = [
      "sync",
      "--config",
      files["config.json"] as string,
      "--streams",
      "owners",
      "--out",
      out,
      "--no-state",
    ];
    expect((await runCli(args)).code).toBe(0);
    expect((await runCli(args)).code).toBe(0);
    expect(existsSync(join(out, "state.json"))).toBe(false);
    expect(ndjsonRows(join(out, "owners.ndjson")).length).toBe(2 * sim.portal.ownerIds().length);
  });

  it("creates the folder of a --state file that does not exist yet", async () => {
    const files = tempFiles({ "config.json": simConfig() });
    const state = join(files.dir, "deep", "er", "state.json");
    const r = await runCli([
      "sync",
      "--config",
      files["config.json"] as string,
      "--streams",
      "owners",
      "--out",
      join(files.dir, "out"),
      "--state",
      state,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(state, "utf8"))[0].stream.stream_descriptor.name).toBe("owners");
  });

  it.each([
    [["--sink", "csv"], /unknown sink "csv"/],
    [["--sink", ""], /--sink: name at least one/],
    [["--sink", ","], /--sink: name at least one/],
    [["--streams", "no_such_stream"], /--streams: unknown stream "no_such_stream"; `discover` lists all \d+/],
    [["--streams", "contcts"], /unknown stream "contcts" \(did you mean "contacts"\?\)/],
    [["--checkpoint-seconds", "abc"], /--checkpoint-seconds: must be a number of seconds ≥ 0, got "abc"/],
    [["--checkpoint-seconds", "-1"], /--checkpoint-seconds: must be a number/],
    [["--checkpoint-records", "abc"], /--checkpoint-records: must be a whole number ≥ 1/],
    [["--checkpoint-records", "0"], /--checkpoint-records: must be a whole number ≥ 1/],
  ])("refuses %j with exit code 2 and one clear line", async (args, message) => {
    const { dir } = tempFiles({});
    const r = await runCli(["sync", "--demo", "--out", join(dir, "out"), ...args], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(
      r.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("source-hubspot:")),
    ).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ["--out", (f: Record<string, string>) => ["--out", f["config.json"] as string]],
    ["--out", (f: Record<string, string>) => ["--out", join(f["config.json"] as string, "sub")]],
    ["--state", (f: Record<string, string>) => ["--state", join(f["config.json"] as string, "state.json")]],
  ])("refuses an unusable %s (a file, not a folder) with exit code 2 before any request", async (flag, args) => {
    const files = tempFiles({ "config.json": simConfig() });
    const before = sim.stats().totalRequests;
    const r = await runCli(["sync", "--config", files["config.json"] as string, ...args(files)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^source-hubspot: ${flag} .*: is a file`));
    expect(r.stderr).not.toMatch(/EEXIST|ENOTDIR|\n\s+at /);
    expect(sim.stats().totalRequests).toBe(before);
  });

  it("refuses the example config's placeholder token in one line, before any request", async () => {
    const example = JSON.parse(readFileSync(new URL("../../config/private-app.example.json", import.meta.url), "utf8"));
    const files = tempFiles({ "config.json": { ...example, base_url: sim.url } });
    const before = sim.stats().totalRequests;
    const r = await runCli(["sync", "--config", files["config.json"] as string, "--out", join(files.dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^source-hubspot: Invalid config file .*: credentials: access_token still holds/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(sim.stats().totalRequests).toBe(before);
  });
});
