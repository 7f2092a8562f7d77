import { describe, expect, it } from "vitest";
import { HttpError, SourceError } from "../../../src/errors.js";
import { policyAction } from "../../../src/sources/kinds/error-policy.js";
import type { ErrorPolicy, SingleSource } from "../../../src/sources/stream-def.js";
import type { RequestSpec } from "../../../src/sources/transport.js";
import { fakeTransport, httpError, readAll, readOptions, streamOf } from "../../helpers/fake-transport.js";

const fallback: SingleSource = { kind: "single", path: "/v1", recordsPath: "results" };

describe("policyAction", () => {
  const listError = new HttpError("bad", "BAD_REQUEST", "api", {
    status: 400,
    route: "GET /x",
    body: { subCategory: "ListError.X" },
  });
  it.each([
    ["no policy fails", undefined, httpError(404), false, "fail"],
    ["404 skipped", { notFound: "skip" }, httpError(404), true, "skip"],
    ["404 before the first page falls back", { notFound: { fallback } }, httpError(404), false, "fallback"],
    ["404 after a page does not fall back", { notFound: { fallback } }, httpError(404), true, "fail"],
    ["403 skipped", { forbidden: "skip" }, httpError(403), false, "skip"],
    ["403 without a forbidden rule fails", { notFound: "skip" }, httpError(403), false, "fail"],
    [
      "an ignore rule matching status and subCategory",
      { ignore: [{ status: 400, subCategory: "ListError.X" }] },
      listError,
      false,
      "skip",
    ],
    [
      "an ignore rule of another subCategory",
      { ignore: [{ status: 400, subCategory: "ListError.Y" }] },
      listError,
      false,
      "fail",
    ],
    ["an ignore rule on the status alone", { ignore: [{ status: 400 }] }, listError, false, "skip"],
    ["a non-HTTP error", { notFound: "skip" }, new SourceError("x", "PAGING_STUCK", "api"), false, "fail"],
  ] as [string, ErrorPolicy | undefined, unknown, boolean, string][])("%s", (_name, policy, err, emitted, want) => {
    expect(policyAction(policy, err, emitted)).toBe(want);
  });
});

describe("a fallback read", () => {
  it("reads the fallback endpoint when the first answers 404 before its first page", async () => {
    const src: SingleSource = {
      kind: "single",
      path: "/v3",
      recordsPath: "results",
      errors: { notFound: { fallback } },
    };
    const log: RequestSpec[] = [];
    const warnings: string[] = [];
    const transport = fakeTransport((spec) => {
      if (spec.path === "/v3") throw httpError(404);
      return { results: [{ id: "p" }] };
    }, log);
    const pages = await readAll(streamOf(src), readOptions(transport, { warn: (m) => warnings.push(m) }));
    expect(pages.flatMap((p) => p.records)).toEqual([{ id: "p" }]);
    expect(log.map((s) => s.path)).toEqual(["/v3", "/v1"]);
    expect(warnings).toEqual(["s: GET /v3 not found; reading /v1"]);
  });
});
