import { afterEach, describe, expect, it, vi } from "vitest";
import { configTier, parseLatency, simulateCommand } from "../../src/simulator/command.js";

describe("simulateCommand", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints exactly one JSON line with url and credentials and closes on SIGTERM", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const done = simulateCommand({ seed: 3, scale: "small", faults: "500:0.01", latencyMs: "0-1" });
    await vi.waitFor(() => expect(lines.length).toBe(1), { timeout: 15_000 });
    const out = JSON.parse(lines[0]!) as { url: string; private_app_token: string; oauth: Record<string, string> };
    expect(lines[0]!.endsWith("\n")).toBe(true);
    expect(Object.keys(out.oauth).sort()).toEqual(["client_id", "client_secret", "refresh_token"]);
    const res = await fetch(`${out.url}/crm/v3/objects/contacts?limit=1`, {
      headers: { authorization: `Bearer ${out.private_app_token}` },
    });
    expect(res.status).toBe(200);
    process.emit("SIGTERM");
    await done;
    await expect(fetch(`${out.url}/crm/v3/objects/contacts`)).rejects.toThrow();
    expect(lines).toHaveLength(1);
  });

  it("parses latency ranges", () => {
    expect(parseLatency("50-150")).toEqual([50, 150]);
    expect(parseLatency("80")).toEqual([80, 80]);
    expect(() => parseLatency("9-3")).toThrow();
    expect(parseLatency(undefined)).toBeUndefined();
  });

  it.each([
    [undefined, "professional"],
    ["professional", "professional"],
    ["pro", "professional"],
    ["addon", "api_add_on"],
    ["starter", "starter"],
    ["free", "free"],
  ])("reads tier %j as the config's %s", (given, tier) => {
    expect(configTier(given)).toBe(tier);
  });

  it("refuses an unknown tier naming the documented ones", () => {
    expect(() => configTier("gold")).toThrow(/free, starter, professional, enterprise, api_add_on/);
  });
});
