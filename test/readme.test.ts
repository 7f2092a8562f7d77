import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withStreamsTable } from "../scripts/readme-streams.js";

describe("README", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

  it("has the streams table generated from the stream table (run scripts/readme-streams.ts --write)", () => {
    expect(withStreamsTable(readme)).toBe(readme);
  });

  it("keeps the two quick-start commands", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm ci && npm test");
  });
});
