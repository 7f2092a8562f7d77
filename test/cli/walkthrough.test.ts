import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectValidLines } from "../helpers/protocol-validator.js";
import { runCli, tempFiles } from "./run-cli.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const CATALOG = join(ROOT, "config/catalog.contacts-incremental.json");

/** `simulate --write-config FILE [...]` as the README runs it: resolves once it printed its JSON line. */
function simulate(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; line: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli.ts"), "simulate", ...args], {
      cwd: ROOT,
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes("\n")) resolve({ child, line: JSON.parse(stdout.split("\n")[0] as string) });
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`simulate exited (${code}) before printing its line`)));
  });
}

const stop = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => {
    child.removeAllListeners("close");
    child.on("close", resolve);
    child.kill("SIGTERM");
  });

describe("the README walkthrough: simulate --write-config, then check, discover, read, sync", () => {
  const files = tempFiles({});
  const privateApp = join(files.dir, "sim.json");
  const oauth = join(files.dir, "sim-oauth.json");
  let sims: ChildProcessWithoutNullStreams[] = [];
  let line: Record<string, unknown>;

  beforeAll(async () => {
    const started = await simulate(["--write-config", privateApp, "--tier", "pro"]);
    line = started.line;
    const withOauth = await simulate(["--write-config", oauth, "--oauth"]);
    sims = [started.child, withOauth.child];
  });
  afterAll(async () => {
    for (const child of sims) await stop(child);
  });

  it("writes a private-app config holding the simulator's URL, token and tier, readable by its owner only", () => {
    const config = JSON.parse(readFileSync(privateApp, "utf8"));
    expect(config).toEqual({
      credentials: { credentials_title: "Private App Credentials", access_token: line.private_app_token },
      base_url: line.url,
      rate_limit_tier: "professional",
    });
    expect(statSync(privateApp).mode & 0o077).toBe(0);
  });

  it("check succeeds with either config", async () => {
    for (const config of [privateApp, oauth]) {
      const r = await runCli(["check", "--config", config]);
      const status = expectValidLines(r.stdout).find((m) => m.type === "CONNECTION_STATUS") as Record<string, any>;
      expect([config, status.connectionStatus.status]).toEqual([config, "SUCCEEDED"]);
    }
  });

  it("discover lists contacts, and read of the example catalog emits every contact", async () => {
    const discovered = await runCli(["discover", "--config", privateApp]);
    const catalog = expectValidLines(discovered.stdout).find((m) => m.type === "CATALOG") as Record<string, any>;
    expect(catalog.catalog.streams.map((s: { name: string }) => s.name)).toContain("contacts");

    for (const config of [privateApp, oauth]) {
      const r = await runCli(["read", "--config", config, "--catalog", CATALOG]);
      expect(r.code).toBe(0);
      const msgs = expectValidLines(r.stdout) as Record<string, any>[];
      const records = msgs.filter((m) => m.type === "RECORD");
      expect(records.length).toBeGreaterThan(100);
      expect(new Set(records.map((m) => m.record.stream))).toEqual(new Set(["contacts"]));
      expect(msgs.some((m) => m.type === "STATE")).toBe(true);
    }
  });

  it("sync writes the files and the state", async () => {
    const out = join(files.dir, "out");
    const r = await runCli(["sync", "--config", privateApp, "--streams", "contacts,owners", "--out", out]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, "contacts.ndjson"), "utf8").split("\n").length).toBeGreaterThan(100);
    expect(JSON.parse(readFileSync(join(out, "state.json"), "utf8")).length).toBe(2);
  });
});
