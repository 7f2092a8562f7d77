import { snappyUncompress } from "hyparquet";
import { describe, expect, it } from "vitest";
import { maxCompressedLength, snappyCompress } from "../../src/sinks/snappy.js";

function roundTrip(input: Uint8Array): Uint8Array {
  const compressed = snappyCompress(input).slice();
  expect(compressed.length).toBeLessThanOrEqual(maxCompressedLength(input.length));
  const out = new Uint8Array(input.length);
  snappyUncompress(compressed, out);
  return out;
}

let seed = 1;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

describe("snappyCompress", () => {
  it("round-trips through an independent decoder: empty, tiny, text, runs, noise, and sizes across fragments", () => {
    const words = ["lead", "customer", "2024-01-17T19:55:04.281Z", '"properties_', "é😀", "12345.0"];
    const text = new TextEncoder().encode(
      Array.from({ length: 60_000 }, () => words[Math.floor(rnd() * words.length)]).join(","),
    );
    const noise = Uint8Array.from({ length: 200_000 }, () => Math.floor(rnd() * 256));
    const inputs = [
      new Uint8Array(0),
      Uint8Array.of(1),
      Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14),
      new Uint8Array(16).fill(9),
      new Uint8Array(300_000).fill(7),
      text,
      text.subarray(0, 65_536),
      text.subarray(0, 65_537),
      noise,
      Uint8Array.from({ length: 150_000 }, (_, i) => (i % 1000 < 500 ? noise[i % 777]! : 0)),
      Uint8Array.from({ length: 9 << 20 }, (_, i) => text[i % text.length]!),
      text.subarray(1000, 5000),
    ];
    for (const input of inputs) expect(Buffer.from(roundTrip(input)).equals(Buffer.from(input))).toBe(true);
  });

  it("compresses repetitive text well", () => {
    const text = new TextEncoder().encode('{"lifecyclestage":"lead","hs_lead_status":"NEW"},'.repeat(2000));
    expect(snappyCompress(text).length).toBeLessThan(text.length / 10);
  });
});
