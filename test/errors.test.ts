import { describe, expect, it } from "vitest";
import {
  classify,
  classifyNetworkFailure,
  exitCodeOf,
  HttpError,
  requiredScopesOf,
  SourceError,
} from "../src/errors.js";

// What each status means is tested through the transport itself (test/sources/transport.test.ts); here only the
// pure parts a local server cannot reach: DNS failures and dates.
describe("classifyNetworkFailure", () => {
  const context = { route: "GET /crm/v3/objects/contacts", host: "api.hubapi.com" };
  const failure = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

  it.each([
    ["ENOTFOUND", false, "HOST_UNREACHABLE", "config"],
    ["EAI_AGAIN", false, "HOST_UNREACHABLE", "config"],
    ["ECONNREFUSED", false, "HOST_UNREACHABLE", "config"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", false, "HOST_UNREACHABLE", "config"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", false, "HOST_UNREACHABLE", "config"],
    ["ECONNRESET", false, "NETWORK", "transient"],
    ["ENOTFOUND", true, "NETWORK", "transient"],
    ["ECONNREFUSED", true, "NETWORK", "transient"],
  ] as const)("%s (HubSpot answered before: %s) → %s", (code, answeredBefore, expected, kind) => {
    const err = classifyNetworkFailure(failure(code), { ...context, answeredBefore });
    expect([err.code, err.kind]).toEqual([expected, kind]);
  });

  it("names the host of an unreachable HubSpot in one line", () => {
    const err = classifyNetworkFailure(failure("ENOTFOUND"), { ...context, answeredBefore: false });
    expect(err.message).toContain("api.hubapi.com");
    expect(err.message).not.toContain("\n");
  });

  it("says a timed-out call got no answer within the timeout", () => {
    const abort = Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
    const err = classifyNetworkFailure(abort, { ...context, answeredBefore: true, timeoutMs: 30_000 });
    expect(err.message).toContain("no answer within 30 s");
  });
});

describe("classify", () => {
  it("reads a Retry-After HTTP date against the answer's arrival", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const headers = new Headers({ "Retry-After": "Thu, 01 Jan 2026 00:00:07 GMT" });
    const outcome = classify(429, {}, "private-app", { route: "GET /x", headers, now });
    expect(outcome.code).toBe("RATE_LIMITED");
    expect("error" in outcome && outcome.error.failure.retryAfterMs).toBe(7_000);
  });
});

describe("requiredScopesOf", () => {
  it("reads requiredScopes and requiredGranularScopes from a MISSING_SCOPES body", () => {
    const body = {
      status: "error",
      category: "MISSING_SCOPES",
      errors: [
        { message: "x", context: { requiredScopes: ["tickets"] } },
        { message: "y", context: { requiredGranularScopes: ["crm.objects.owners.read"] } },
      ],
    };
    expect(requiredScopesOf(body)).toEqual(["tickets", "crm.objects.owners.read"]);
  });
});

describe("exitCodeOf", () => {
  it.each([
    [new SourceError("x", "C", "config"), 2],
    [new HttpError("x", "C", "transient", { status: 429, route: "GET /" }), 4],
    [new HttpError("x", "C", "api", { status: 400, route: "GET /" }), 5],
    [new Error("boom"), 1],
  ])("maps %s to %d", (err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });
});
