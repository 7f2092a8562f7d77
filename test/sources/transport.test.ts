/**
 * The error decision as users meet it: each status / body case goes through the real transport to a local HTTP
 * server, and the row says what is thrown (code, kind), how many calls were made and whether OAuth refreshed.
 */
import { firstValueFrom } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { exitCodeOf, HttpError, SourceError } from "../../src/errors.js";
import { Auth } from "../../src/sources/auth.js";
import { type RequestSpec, Transport } from "../../src/sources/transport.js";
import { fastForwardScheduler, type Reply, type ScriptedServer, scriptedServer } from "../helpers/scripted-server.js";

const TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
const CORRELATION = "c0ffee00-1111-2222-3333-444455556666";
const hubspotError = (message: string, category: string, extra: Record<string, unknown> = {}) => ({
  status: "error",
  message,
  correlationId: CORRELATION,
  category,
  ...extra,
});

type Mode = "private-app" | "oauth";

interface Setup {
  server: ScriptedServer;
  transport: Transport;
  scheduler: ReturnType<typeof fastForwardScheduler>;
  /** OAuth refreshes made so far (the first one fetches the initial access token). */
  refreshes(): number;
  /** Calls to the API route (not the token endpoint). */
  calls(): number;
}

let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A transport (3 attempts, no jitter, waits fast-forwarded) against a server answering `replies` in turn. */
async function setup(mode: Mode, replies: readonly Reply[]): Promise<Setup> {
  let apiCalls = 0;
  let tokens = 0;
  const server = await scriptedServer((req) => {
    if (req.url === "/oauth/v1/token") {
      tokens++;
      return { body: { access_token: `access-${tokens}`, refresh_token: "rt", expires_in: 1800 } };
    }
    const reply = replies[Math.min(apiCalls, replies.length - 1)] as Reply;
    apiCalls++;
    return reply;
  });
  servers.push(server);
  const scheduler = fastForwardScheduler();
  let transport: Transport | undefined;
  const auth = new Auth(
    mode === "oauth"
      ? { kind: "oauth", clientId: "client", clientSecret: "secret", refreshToken: "rt" }
      : { kind: "private-app", accessToken: TOKEN },
    (path, form) => (transport as Transport).postForm(path, form),
  );
  transport = new Transport({
    baseUrl: server.url,
    auth,
    requestsPer10s: 1_000,
    searchPerSecond: 100,
    timeoutMs: 5_000,
    maxAttempts: 3,
    random: () => 0,
    scheduler,
  });
  return { server, transport, scheduler, refreshes: () => tokens, calls: () => apiCalls };
}

const GET: RequestSpec = { method: "GET", path: "/crm/v3/objects/contacts", budget: "standard" };

async function outcome(
  t: Transport,
  spec: RequestSpec = GET,
): Promise<{ code: string; kind?: string; error?: unknown }> {
  try {
    await firstValueFrom(t.request(spec));
    return { code: "OK" };
  } catch (error) {
    return error instanceof SourceError ? { code: error.code, kind: error.kind, error } : { code: "?", error };
  }
}

const ok: Reply = { body: { results: [] } };

interface Row {
  name: string;
  auth: Mode;
  replies: Reply[];
  code: string;
  kind?: string;
  calls: number;
  /** Refreshes after a 401 (the initial token fetch of OAuth not counted). */
  refreshes?: number;
}

const ROWS: Row[] = [
  { name: "a 200", auth: "private-app", replies: [ok], code: "OK", calls: 1 },
  {
    name: "a 207 (partial batch)",
    auth: "oauth",
    replies: [{ status: 207, body: { results: [] } }],
    code: "OK",
    calls: 1,
    refreshes: 0,
  },
  { name: "a 204 without a body", auth: "private-app", replies: [{ status: 204 }], code: "OK", calls: 1 },
  {
    name: "a private-app 401 fails at once",
    auth: "private-app",
    replies: [{ status: 401, body: hubspotError("Authentication credentials not found.", "INVALID_AUTHENTICATION") }],
    code: "AUTH_INVALID",
    kind: "config",
    calls: 1,
  },
  {
    name: "an OAuth 401 refreshes the token and retries",
    auth: "oauth",
    replies: [
      {
        status: 401,
        body: hubspotError("The OAuth token used to make this call expired 5 second(s) ago.", "EXPIRED_AUTHENTICATION"),
      },
      ok,
    ],
    code: "OK",
    calls: 2,
    refreshes: 1,
  },
  {
    name: "an OAuth 401 that survives fresh tokens",
    auth: "oauth",
    replies: [{ status: 401, body: hubspotError("expired", "EXPIRED_AUTHENTICATION") }],
    code: "AUTH_EXPIRED",
    kind: "config",
    calls: 3,
    refreshes: 2,
  },
  {
    name: "a 530 from Cloudflare (malformed token)",
    auth: "private-app",
    replies: [{ status: 530, body: "error code: 1016" }],
    code: "AUTH_INVALID",
    kind: "config",
    calls: 1,
  },
  {
    name: "a 530 with OAuth is not refreshed",
    auth: "oauth",
    replies: [{ status: 530, body: "error code: 1016" }],
    code: "AUTH_INVALID",
    kind: "config",
    calls: 1,
    refreshes: 0,
  },
  {
    name: "a 403 MISSING_SCOPES",
    auth: "private-app",
    replies: [
      {
        status: 403,
        body: hubspotError("This app hasn't been granted all required scopes to make this call.", "MISSING_SCOPES", {
          errors: [
            {
              message: "One or more of the following scopes are required.",
              context: { requiredScopes: ["crm.objects.contacts.read"] },
            },
          ],
        }),
      },
    ],
    code: "MISSING_SCOPES",
    kind: "permission",
    calls: 1,
  },
  {
    name: "a 404",
    auth: "private-app",
    replies: [{ status: 404, body: hubspotError("not found", "OBJECT_NOT_FOUND") }],
    code: "NOT_FOUND",
    kind: "api",
    calls: 1,
  },
  { name: "a 408 is retried", auth: "private-app", replies: [{ status: 408, body: "" }, ok], code: "OK", calls: 2 },
  {
    name: "408s until attempts run out",
    auth: "private-app",
    replies: [{ status: 408, body: "" }],
    code: "TIMEOUT",
    kind: "transient",
    calls: 3,
  },
  {
    name: "a secondly 429 is retried",
    auth: "private-app",
    replies: [{ status: 429, body: hubspotError("You have reached your secondly limit.", "RATE_LIMITS") }, ok],
    code: "OK",
    calls: 2,
  },
  {
    name: "ten-secondly 429s until attempts run out",
    auth: "oauth",
    replies: [
      {
        status: 429,
        body: {
          ...hubspotError("You have reached your ten_secondly_rolling limit.", "RATE_LIMITS"),
          policyName: "TEN_SECONDLY_ROLLING",
        },
      },
    ],
    code: "RATE_LIMITED",
    kind: "transient",
    calls: 3,
    refreshes: 0,
  },
  {
    name: "a DAILY 429 is not retried",
    auth: "private-app",
    replies: [
      {
        status: 429,
        body: { ...hubspotError("You have reached your daily limit.", "RATE_LIMITS"), policyName: "DAILY" },
      },
    ],
    code: "DAILY_LIMIT",
    kind: "api",
    calls: 1,
  },
  {
    name: "a 414",
    auth: "private-app",
    replies: [{ status: 414, body: "" }],
    code: "URI_TOO_LONG",
    kind: "api",
    calls: 1,
  },
  {
    name: "a 400",
    auth: "private-app",
    replies: [{ status: 400, body: hubspotError("There was a problem with the request.", "VALIDATION_ERROR") }],
    code: "BAD_REQUEST",
    kind: "api",
    calls: 1,
  },
  {
    name: "another 4xx (409)",
    auth: "private-app",
    replies: [{ status: 409, body: hubspotError("conflict", "CONFLICT") }],
    code: "API_ERROR",
    kind: "api",
    calls: 1,
  },
  {
    name: "a 500 is retried",
    auth: "private-app",
    replies: [{ status: 500, body: hubspotError("internal error", "INTERNAL_ERROR") }, ok],
    code: "OK",
    calls: 2,
  },
  {
    name: "502 HTML pages until attempts run out",
    auth: "private-app",
    replies: [{ status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" }],
    code: "SERVER_ERROR",
    kind: "transient",
    calls: 3,
  },
  {
    name: "503s until attempts run out",
    auth: "oauth",
    replies: [{ status: 503, body: "" }],
    code: "SERVER_ERROR",
    kind: "transient",
    calls: 3,
    refreshes: 0,
  },
  { name: "a 504 is retried", auth: "private-app", replies: [{ status: 504, body: "" }, ok], code: "OK", calls: 2 },
  {
    name: "a 200 with an empty body",
    auth: "private-app",
    replies: [{ status: 200, body: "" }],
    code: "MALFORMED_RESPONSE",
    kind: "transient",
    calls: 3,
  },
  {
    name: "a 200 with invalid JSON",
    auth: "private-app",
    replies: [{ body: '{"results":[{"id":"1"' }],
    code: "MALFORMED_RESPONSE",
    kind: "transient",
    calls: 3,
  },
  {
    name: "a 200 HTML page",
    auth: "private-app",
    replies: [
      {
        body: "<!DOCTYPE html><html><body>We'll be right back</body></html>",
        headers: { "Content-Type": "text/html" },
      },
    ],
    code: "MALFORMED_RESPONSE",
    kind: "transient",
    calls: 3,
  },
  {
    name: "a malformed 200, then a good one",
    auth: "private-app",
    replies: [{ body: "<html>" }, ok],
    code: "OK",
    calls: 2,
  },
  {
    name: "resets after an answer",
    auth: "private-app",
    replies: [ok, { fault: "reset" }],
    code: "NETWORK",
    kind: "transient",
    calls: 4,
  },
  {
    name: "a truncated body",
    auth: "private-app",
    replies: [{ body: { results: [{ id: "1" }] }, fault: "truncate" }, ok],
    code: "OK",
    calls: 2,
  },
  {
    name: "truncated bodies until attempts run out",
    auth: "private-app",
    replies: [{ body: { results: [{ id: "1" }] }, fault: "truncate" }],
    code: "NETWORK",
    kind: "transient",
    calls: 3,
  },
];

describe("the transport's error decision", () => {
  it.each(ROWS)("$name → $code after $calls call(s)", async (row) => {
    const s = await setup(row.auth, row.replies);
    // "resets after an answer": one good call first, so the reset is not mistaken for an unreachable host.
    const warmUp = row.name.startsWith("resets") ? await outcome(s.transport) : undefined;
    if (warmUp) expect(warmUp.code).toBe("OK");
    const initialTokens = row.auth === "oauth" ? 1 : 0;
    const got = await outcome(s.transport);
    expect(got.code).toBe(row.code);
    if (row.kind) expect(got.kind).toBe(row.kind);
    expect(s.calls()).toBe(row.calls);
    if (row.refreshes !== undefined) expect(s.refreshes() - initialTokens).toBe(row.refreshes);
  });

  it("keeps HubSpot's message and correlationId in the error, and never the token", async () => {
    const s = await setup("private-app", [
      { status: 401, body: hubspotError("Authentication credentials not found.", "INVALID_AUTHENTICATION") },
    ]);
    const { error } = await outcome(s.transport);
    expect(error).toBeInstanceOf(HttpError);
    const message = (error as Error).message;
    expect(message).toContain("Authentication credentials not found.");
    expect(message).toContain(CORRELATION);
    expect(message).toContain("GET /crm/v3/objects/contacts");
    expect(message).not.toContain(TOKEN);
    expect(exitCodeOf(error)).toBe(2);
  });

  it("masks the access token when the path carries it (token-info lookups)", async () => {
    const s = await setup("oauth", [{ status: 404, body: hubspotError("token not found", "OBJECT_NOT_FOUND") }]);
    const { code, error } = await outcome(s.transport, {
      method: "GET",
      path: "/oauth/v1/access-tokens/access-1",
      budget: "standard",
    });
    expect(code).toBe("NOT_FOUND");
    expect((error as Error).message).not.toContain("access-1");
    expect((error as HttpError).failure.route).toBe("GET /oauth/v1/access-tokens/***");
  });

  it("names the scopes a 403 asks for", async () => {
    const s = await setup("private-app", [ROWS.find((r) => r.code === "MISSING_SCOPES")?.replies[0] as Reply]);
    const { error } = await outcome(s.transport);
    expect((error as HttpError).requiredScopes).toEqual(["crm.objects.contacts.read"]);
    expect((error as Error).message).toContain("missing scopes: crm.objects.contacts.read");
  });

  it("waits the Retry-After seconds of a 429 before the retry", async () => {
    const s = await setup("private-app", [
      {
        status: 429,
        body: hubspotError("You have reached your secondly limit.", "RATE_LIMITS"),
        headers: { "Retry-After": "3" },
      },
      ok,
    ]);
    expect((await outcome(s.transport, { ...GET, budget: "exempt" })).code).toBe("OK");
    expect(s.scheduler.waits).toEqual([3_000]);
  });

  it("waits a policy-based default after a ten-secondly 429 without Retry-After", async () => {
    const body = {
      ...hubspotError("You have reached your ten_secondly_rolling limit.", "RATE_LIMITS"),
      policyName: "TEN_SECONDLY_ROLLING",
    };
    const s = await setup("private-app", [{ status: 429, body }, ok]);
    expect((await outcome(s.transport, { ...GET, budget: "exempt" })).code).toBe("OK");
    expect(s.scheduler.waits).toEqual([2_000]);
  });

  it("counts every 429 and every retry", async () => {
    const s = await setup("private-app", [
      { status: 429, body: hubspotError("secondly", "RATE_LIMITS") },
      { status: 500, body: "" },
      ok,
    ]);
    await outcome(s.transport);
    const stats = s.transport.stats();
    expect(stats.rateLimited).toBe(1);
    expect(stats.retries).toBe(2);
    expect(stats.requests).toBe(3);
  });
});

describe("validating 2xx bodies", () => {
  const needsResults: RequestSpec = {
    ...GET,
    validate: (body) => {
      const results = (body as { results?: unknown } | undefined)?.results;
      if (results === undefined) return "`results` is missing";
      return Array.isArray(results) ? undefined : "`results` is not an array";
    },
  };

  it("retries a body the request's validator rejects, then fails naming the route and the problem", async () => {
    const s = await setup("private-app", [{ body: { paging: { next: { after: "100" } } } }]);
    const { code, kind, error } = await outcome(s.transport, needsResults);
    expect([code, kind, s.calls()]).toEqual(["MALFORMED_RESPONSE", "transient", 3]);
    expect((error as Error).message).toContain("GET /crm/v3/objects/contacts");
    expect((error as Error).message).toContain("`results` is missing");
    expect(exitCodeOf(error)).toBe(4);
  });

  it("delivers the body once a retry passes the validator", async () => {
    const s = await setup("private-app", [{ body: { results: "nope" } }, { body: { results: [{ id: "1" }] } }]);
    const res = await firstValueFrom(s.transport.request<{ results: { id: string }[] }>(needsResults));
    expect(res.body.results).toEqual([{ id: "1" }]);
    expect(s.calls()).toBe(2);
  });

  it("says an HTML page is not JSON", async () => {
    const s = await setup("private-app", [
      { body: "<html><body>maintenance</body></html>", headers: { "Content-Type": "text/html" } },
    ]);
    const { error } = await outcome(s.transport);
    expect((error as Error).message).toContain("an HTML page instead of JSON");
  });

  it("counts the bytes of every body received", async () => {
    const s = await setup("private-app", [{ body: { results: [{ id: "é" }] } }]);
    await outcome(s.transport);
    expect(s.transport.stats().bytes).toBe(Buffer.byteLength(JSON.stringify({ results: [{ id: "é" }] })));
  });
});
