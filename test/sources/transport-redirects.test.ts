/**
 * Redirects: followed with credentials within base_url's origin, never followed anywhere else (the token must not
 * reach another port or host). Two real local servers on different ports.
 */
import { firstValueFrom } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { exitCodeOf, MAX_REDIRECTS, SourceError } from "../../src/errors.js";
import { Auth } from "../../src/sources/auth.js";
import { type RequestSpec, Transport } from "../../src/sources/transport.js";
import { type Reply, type ScriptedServer, scriptedServer } from "../helpers/scripted-server.js";

const TOKEN = "pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function server(answer: Parameters<typeof scriptedServer>[0]): Promise<ScriptedServer> {
  const s = await scriptedServer(answer);
  servers.push(s);
  return s;
}

function transportTo(baseUrl: string): Transport {
  return new Transport({
    baseUrl,
    auth: new Auth({ kind: "private-app", accessToken: TOKEN }, async () => ({ status: 500, body: undefined })),
    requestsPer10s: 1_000,
    searchPerSecond: 100,
    timeoutMs: 5_000,
    maxAttempts: 3,
    random: () => 0,
  });
}

const redirect = (status: number, location: string): Reply => ({ status, headers: { Location: location } });

async function thrown(t: Transport, spec: RequestSpec): Promise<SourceError> {
  try {
    await firstValueFrom(t.request(spec));
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error("the request succeeded");
}

describe("redirects", () => {
  it("refuses a redirect to another port, naming the target, and sends it nothing", async () => {
    const other = await server(() => ({ body: { results: [{ id: "stolen" }] } }));
    const base = await server(() => redirect(301, `${other.url}/crm/v3/objects/contacts`));
    const err = await thrown(transportTo(base.url), {
      method: "GET",
      path: "/crm/v3/objects/contacts",
      budget: "standard",
    });
    expect([err.code, err.kind, exitCodeOf(err)]).toEqual(["REDIRECT_REFUSED", "config", 2]);
    expect(err.message).toContain(`${other.url}/crm/v3/objects/contacts`);
    expect(err.message).not.toContain(TOKEN);
    expect(other.received).toEqual([]);
    expect(base.received).toHaveLength(1);
  });

  it("refuses a protocol-relative redirect to another host", async () => {
    const base = await server(() => redirect(302, "//evil.example:8443/collect"));
    const err = await thrown(transportTo(base.url), { method: "GET", path: "/crm/v3/owners", budget: "standard" });
    expect(err.code).toBe("REDIRECT_REFUSED");
    expect(err.message).toContain("evil.example:8443");
  });

  it("follows a same-origin redirect with the credentials", async () => {
    const base = await server((req) =>
      req.url.startsWith("/old") ? redirect(301, "/crm/v3/owners?limit=100") : { body: { results: [{ id: "1" }] } },
    );
    const res = await firstValueFrom(
      transportTo(base.url).request({ method: "GET", path: "/old/owners", budget: "standard" }),
    );
    expect(res.body).toEqual({ results: [{ id: "1" }] });
    expect(base.received.map((r) => [r.method, r.url, r.authorization])).toEqual([
      ["GET", "/old/owners", `Bearer ${TOKEN}`],
      ["GET", "/crm/v3/owners?limit=100", `Bearer ${TOKEN}`],
    ]);
  });

  it("keeps the method and body of a POST through a 307", async () => {
    const base = await server((req) => (req.url === "/a" ? redirect(307, "/b") : { body: { results: [] } }));
    await firstValueFrom(
      transportTo(base.url).request({ method: "POST", path: "/a", json: { limit: 5 }, budget: "search" }),
    );
    expect(base.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "/a", '{"limit":5}'],
      ["POST", "/b", '{"limit":5}'],
    ]);
  });

  it("continues a POST as a GET without body after a 303", async () => {
    const base = await server((req) => (req.url === "/a" ? redirect(303, "/b") : { body: { results: [] } }));
    await firstValueFrom(
      transportTo(base.url).request({ method: "POST", path: "/a", json: { limit: 5 }, budget: "search" }),
    );
    expect(base.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "/a", '{"limit":5}'],
      ["GET", "/b", ""],
    ]);
  });

  it("gives up on a redirect loop", async () => {
    const base = await server(() => redirect(302, "/loop"));
    const err = await thrown(transportTo(base.url), { method: "GET", path: "/loop", budget: "standard" });
    expect(err.code).toBe("REDIRECT_REFUSED");
    expect(err.message).toContain(`more than ${MAX_REDIRECTS} times`);
    expect(base.received).toHaveLength(MAX_REDIRECTS + 1);
  });

  it("treats a redirect without a Location as an API error", async () => {
    const base = await server(() => ({ status: 302 }));
    const err = await thrown(transportTo(base.url), { method: "GET", path: "/x", budget: "standard" });
    expect([err.code, err.kind]).toEqual(["API_ERROR", "api"]);
  });
});
