import { TestScheduler } from "rxjs/testing";
import { expect } from "vitest";

/**
 * Replaces every Error in a marble frame list by `{ name, message }`, so two errors compare equal when they say the
 * same thing, whatever their stacks (and whatever vitest thinks of Error identity).
 */
export function stripErrorStacks(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map(stripErrorStacks);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = stripErrorStacks(inner);
    return out;
  }
  return value;
}

/** A TestScheduler whose assertions are vitest's `toEqual`, with error stacks stripped. */
export function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(stripErrorStacks(actual)).toEqual(stripErrorStacks(expected));
  });
}
