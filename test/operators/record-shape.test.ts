import { describe, expect, it } from "vitest";
import { compileFunction, literalKey, readKey, type Shape, ShapeCache } from "../../src/operators/record-shape.js";

describe("ShapeCache", () => {
  const compileCounting = () => {
    const compiled: Shape[] = [];
    const cache = new ShapeCache((shape) => {
      compiled.push(shape);
      return compiled.length;
    }, 3);
    return { cache, compiled };
  };

  it("compiles a layout once and reuses it", () => {
    const { cache, compiled } = compileCounting();
    expect(cache.get({ a: 1, b: 2 }, { x: 1 })).toBe(1);
    expect(cache.get({ a: 3, b: 4 }, { x: 2 })).toBe(1);
    expect(cache.get({ a: 1 }, undefined)).toBe(2);
    expect(cache.get({ a: 1, b: 2 }, { x: 1 })).toBe(1);
    expect(compiled).toEqual([
      { keys: ["a", "b"], nested: ["x"] },
      { keys: ["a"], nested: undefined },
    ]);
  });

  it("tells apart layouts that differ in order, nested keys, or a non-object nested value", () => {
    const { cache } = compileCounting();
    const ids = [cache.get({ a: 1, b: 2 }, {}), cache.get({ b: 1, a: 2 }, {}), cache.get({ a: 1, b: 2 }, null)];
    expect(ids).toEqual([1, 2, 3]);
  });

  it("answers undefined past maxShapes so the caller falls back", () => {
    const { cache } = compileCounting();
    for (const key of ["a", "b", "c"]) cache.get({ [key]: 1 }, undefined);
    expect(cache.get({ d: 1 }, undefined)).toBeUndefined();
    expect(cache.get({ a: 1 }, undefined)).toBe(1);
  });
});

describe("compiled literals", () => {
  it.each([
    "plain",
    'quo"te',
    "back\\slash",
    "new\nline",
    "}); throw new Error('injected'); ({",
    "\u2028",
    "__proto__",
    "1",
    "",
  ])("copies the key %j verbatim as an own property", (key) => {
    const copy = compileFunction<(row: Record<string, unknown>) => Record<string, unknown>>(
      ["row"],
      `return {${literalKey(key)}: ${readKey("row", key)}};`,
    );
    const row = JSON.parse(JSON.stringify({ [key]: 42 })) as Record<string, unknown>;
    const out = copy(row);
    expect(Object.keys(out)).toEqual([key]);
    expect(Object.getOwnPropertyDescriptor(out, key)?.value).toBe(42);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
