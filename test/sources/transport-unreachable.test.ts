/**
 * An unreachable HubSpot fails the first call at once, naming the host (config, exit 2), instead of retrying for
 * a minute; once HubSpot has answered, the same connection failures are transient and retried.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { firstValueFrom } from "rxjs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { exitCodeOf, SourceError } from "../../src/errors.js";
import { HubSpotSource } from "../../src/source.js";
import { Auth } from "../../src/sources/auth.js";
import { type RequestSpec, Transport } from "../../src/sources/transport.js";
import { fastForwardScheduler, scriptedServer } from "../helpers/scripted-server.js";

const TOKEN = "pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const GET: RequestSpec = { method: "GET", path: "/crm/v3/objects/contacts", budget: "standard" };

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function transportTo(baseUrl: string): Transport {
  return new Transport({
    baseUrl,
    auth: new Auth({ kind: "private-app", accessToken: TOKEN }, async () => ({ status: 500, body: undefined })),
    requestsPer10s: 1_000,
    searchPerSecond: 100,
    timeoutMs: 5_000,
    maxAttempts: 4,
    random: () => 0,
    scheduler: fastForwardScheduler(),
  });
}

async function failure(t: Transport): Promise<SourceError> {
  try {
    await firstValueFrom(t.request(GET));
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error("the request succeeded");
}

describe("an unreachable HubSpot", () => {
  it("fails the first call on a refused connection, once, naming the host", async () => {
    const port = await closedPort();
    const t = transportTo(`http://127.0.0.1:${port}`);
    const err = await failure(t);
    expect([err.code, err.kind, exitCodeOf(err)]).toEqual(["HOST_UNREACHABLE", "config", 2]);
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toContain("ECONNREFUSED");
    expect(err.message).not.toContain("\n");
    expect(t.stats().requests).toBe(1);
  });

  it("fails the first call on a host name that does not resolve", { timeout: 30_000 }, async () => {
    const t = transportTo("https://no-such-portal.invalid");
    const err = await failure(t);
    expect(err.code).toBe("HOST_UNREACHABLE");
    expect(err.message).toContain("no-such-portal.invalid");
    expect(t.stats().requests).toBe(1);
  });

  it("fails the first call on a refused TLS handshake", async () => {
    const plain = await scriptedServer(() => ({ body: {} }));
    try {
      const t = transportTo(plain.url.replace("http:", "https:"));
      const err = await failure(t);
      expect(err.code).toBe("HOST_UNREACHABLE");
      expect(err.message).toContain("TLS handshake refused");
      expect(t.stats().requests).toBe(1);
    } finally {
      await plain.close();
    }
  });

  it("retries a refused connection once HubSpot has answered", async () => {
    const s = await scriptedServer(() => ({ body: { results: [] } }));
    const t = transportTo(s.url);
    await firstValueFrom(t.request(GET));
    await s.close();
    const err = await failure(t);
    expect([err.code, err.kind]).toEqual(["NETWORK", "transient"]);
    expect(t.stats().requests).toBe(1 + 4);
  });

  it("makes `check` fail fast with the host in its message", async () => {
    const port = await closedPort();
    const { config } = parseConfig({ credentials: { access_token: TOKEN }, base_url: `http://127.0.0.1:${port}` });
    const source = new HubSpotSource(config, { log: () => {} });
    try {
      const result = await source.check();
      expect(result.ok).toBe(false);
      expect(result.message).toContain(`127.0.0.1:${port}`);
      expect(source.transport.stats().requests).toBe(1);
    } finally {
      source.close();
    }
  });

  it("makes the first request of a read fail as a config error", async () => {
    const port = await closedPort();
    const { config } = parseConfig({ credentials: { access_token: TOKEN }, base_url: `http://127.0.0.1:${port}` });
    const source = new HubSpotSource(config, { log: () => {} });
    try {
      await expect(source.streams()).rejects.toMatchObject({ code: "HOST_UNREACHABLE", kind: "config" });
      expect(source.transport.stats().requests).toBe(1);
    } finally {
      source.close();
    }
  });
});
