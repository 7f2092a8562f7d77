import { describe, expect, it } from "vitest";
import { decodeCursor, detectCodec, encodeCursor } from "../../../src/sources/crm/list-cursor.js";

describe("the list endpoint's after cursor", () => {
  it.each([
    // last id of the page, after → codec
    [524, "525", "id"],
    [524, "NTI1Cg%3D%3D", "base64-nl-url"], // HubSpot's reference example: base64("525\n"), URL-encoded
    [524, "NTI1Cg==", "base64-nl"],
    [524, "NTI1", "base64"],
    [524, "NTI1%3D", undefined], // not what base64 of a number looks like
    [600, "525", undefined], // a cursor behind the page cannot be the next id
    [524, "b3BhcXVl", undefined], // "opaque"
    [524, "", undefined],
  ])("reads a page ending at id %i with after %j as %s", (lastId, after, codec) => {
    expect(detectCodec(lastId, after)).toBe(codec);
  });

  it.each(["id", "base64", "base64-nl", "base64-url", "base64-nl-url"] as const)(
    "round-trips ids through %s",
    (codec) => {
      for (const id of [1, 525, 12_345_678_901]) expect(decodeCursor(codec, encodeCursor(codec, id))).toBe(id);
    },
  );
});
