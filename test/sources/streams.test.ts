import { describe, expect, it } from "vitest";
import { checkpointsPosition } from "../../src/sources/kinds/read-source.js";
import type { EndpointSource } from "../../src/sources/stream-def.js";
import { STREAMS } from "../../src/sources/streams.js";

/** Whether a source filters by the saved cursor on HubSpot's side. */
function serverSide(src: EndpointSource): boolean {
  if (checkpointsPosition(src)) return true;
  if (src.kind === "recent-or-all" || src.kind === "fan-out" || src.kind === "per-parent") return false;
  return src.kind !== "time-windows" && src.since !== undefined;
}

const endpointStreams = STREAMS.filter((s) => s.source.kind !== "crm-object");

describe("the stream table", () => {
  it.each(STREAMS.filter((s) => s.incremental).map((s) => [s.name, s] as const))(
    "%s: an incremental stream names its cursor field",
    (_name, def) => {
      expect(def.cursorField).toMatch(/\w/);
    },
  );

  it.each(endpointStreams.filter((s) => s.incremental).map((s) => [s.name, s] as const))(
    "%s: server-side incremental exactly when HubSpot filters by the cursor",
    (_name, def) => {
      expect(serverSide(def.source as EndpointSource)).toBe(def.incremental === "server");
    },
  );

  it.each(endpointStreams.filter((s) => s.source.kind === "fan-out").map((s) => [s.name, s] as const))(
    "%s: the fan-out value has its place in the path",
    (_name, def) => {
      const src = def.source as Extract<EndpointSource, { kind: "fan-out" }>;
      expect(src.inner.path).toContain(`{${src.param}}`);
    },
  );

  it("renames properties back to legacy names only on CRM streams, whose schema lists them", () => {
    const renaming = STREAMS.filter((s) => s.transforms?.some((t) => t.kind === "legacy-names"));
    expect(renaming.map((s) => s.name).sort()).toEqual(["contacts", "deals", "deals_archived"]);
    expect(renaming.every((s) => s.source.kind === "crm-object" && s.unnest)).toBe(true);
  });
});
