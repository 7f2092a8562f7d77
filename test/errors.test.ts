import { describe, expect, it } from "vitest";
import { classify, exitCodeOf, HttpError, requiredScopesOf, SourceError } from "../src/errors.js";

describe("classify", () => {
  it.each([
    [200, "private-app", "ok", "ok"],
    [207, "oauth", "ok", "ok"],
    [401, "private-app", "fail", "config"],
    [401, "oauth", "refresh-and-retry", "config"],
    [403, "private-app", "skip-stream", "permission"],
    [429, "oauth", "retry", "transient"],
    [500, "private-app", "retry", "transient"],
    [502, "private-app", "retry", "transient"],
    [503, "oauth", "retry", "transient"],
    [504, "oauth", "retry", "transient"],
    [530, "private-app", "fail", "config"],
    [400, "private-app", "fail", "api"],
    [404, "private-app", "fail", "api"],
    [414, "private-app", "fail", "api"],
    ["network", "private-app", "retry", "transient"],
  ] as const)("%s with %s auth → %s (%s)", (status, auth, action, kind) => {
    const c = classify(status, auth);
    expect(c.action).toBe(action);
    expect(c.kind).toBe(kind);
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
