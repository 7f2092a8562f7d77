import { describe, expect, it } from "vitest";
import { chunkProperties } from "../../src/sources/properties.js";

describe("chunkProperties", () => {
  const names = Array.from({ length: 2000 }, (_, i) => `property_number_${i}`);

  it("keeps every name exactly once, in order", () => {
    expect(chunkProperties(names).flat()).toEqual(names);
  });

  it("keeps each chunk's encoded, comma-joined length within the limit", () => {
    for (const chunk of chunkProperties(names, 15_000)) {
      expect(encodeURIComponent(chunk.join(",")).length).toBeLessThanOrEqual(15_000);
    }
  });

  it.each([
    [[], 0],
    [["a"], 1],
    [names, 3],
  ])("splits %# into the expected number of chunks", (input, count) => {
    expect(chunkProperties(input as string[]).length).toBe(count);
  });
});
