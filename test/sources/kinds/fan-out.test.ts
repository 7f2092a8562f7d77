import { describe, expect, it } from "vitest";
import type { FanOutSource } from "../../../src/sources/stream-def.js";
import type { RequestSpec } from "../../../src/sources/transport.js";
import {
  fakeTransport,
  type Handler,
  httpError,
  readAll,
  readOptions,
  streamOf,
} from "../../helpers/fake-transport.js";

const src: FanOutSource = {
  kind: "fan-out",
  values: ["contacts", "goals", "leads", "deals"],
  param: "objectType",
  as: "objectType",
  inner: {
    kind: "single",
    path: "/properties/{objectType}",
    recordsPath: "results",
    errors: { forbidden: "skip", notFound: "skip" },
  },
};
const def = streamOf(src, { primaryKey: [["objectType"], ["name"]] });

const handler: Handler = (spec) => {
  if (spec.path.endsWith("/goals")) throw httpError(403);
  if (spec.path.endsWith("/leads")) throw httpError(404);
  if (spec.path.endsWith("/deals")) throw httpError(500);
  return { results: [{ name: "email" }] };
};

describe("fan-out reads", () => {
  it("reads every value in order, tagging each record, skipping the values the policy names", async () => {
    const log: RequestSpec[] = [];
    const warnings: string[] = [];
    const ok = fakeTransport(
      (spec) => (spec.path.endsWith("/deals") ? { results: [{ name: "amount" }] } : handler(spec)),
      log,
    );
    const pages = await readAll(def, readOptions(ok, { warn: (m) => warnings.push(m) }));
    expect(pages.flatMap((p) => p.records)).toEqual([
      { name: "email", objectType: "contacts" },
      { name: "amount", objectType: "deals" },
    ]);
    expect(log.map((s) => s.path)).toEqual(src.values.map((v) => `/properties/${v}`));
    expect(warnings).toEqual([
      expect.stringContaining("GET /properties/goals skipped"),
      expect.stringContaining("GET /properties/leads skipped"),
    ]);
  });

  it("fails on an error the policy does not name", async () => {
    await expect(readAll(def, readOptions(fakeTransport(handler)))).rejects.toThrow("HTTP 500");
  });
});
