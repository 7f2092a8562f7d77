/**
 * Shape-specialised record builders for the hot path.
 *
 * V8 keeps an object built by an object literal in "fast mode" (hidden class, in-object fields), but turns one built
 * by `out[key] = value` in a loop into a slow dictionary after about a dozen keys; a dictionary record is several
 * times slower to cast and to `JSON.stringify`. HubSpot pages repeat one key layout on every record, so each layout
 * gets a compiled object literal once. Keys only ever enter the generated source through `JSON.stringify` (a valid
 * JS string literal), and `__proto__` becomes a computed key so it stays an own property.
 */

/** Layout of a record and of its nested object (`undefined` when that is not a plain object). */
export interface Shape {
  readonly keys: readonly string[];
  readonly nested: readonly string[] | undefined;
}

function sameKeys(obj: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in obj) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Caches one compiled builder per record layout; past `maxShapes` layouts it answers `undefined` and the caller
 * uses its generic path (a feed of ever-new layouts must not grow code without bound).
 */
export class ShapeCache<F> {
  private last: { shape: Shape; fn: F } | undefined;
  private readonly shapes = new Map<string, { shape: Shape; fn: F }>();

  constructor(
    private readonly compile: (shape: Shape) => F,
    private readonly maxShapes = 64,
  ) {}

  get(row: object, nested: unknown): F | undefined {
    const plain = isPlainObject(nested);
    const last = this.last;
    if (
      last !== undefined &&
      sameKeys(row, last.shape.keys) &&
      (plain ? last.shape.nested !== undefined && sameKeys(nested, last.shape.nested) : last.shape.nested === undefined)
    ) {
      return last.fn;
    }
    const shape: Shape = { keys: Object.keys(row), nested: plain ? Object.keys(nested) : undefined };
    const signature = JSON.stringify([shape.keys, shape.nested ?? null]);
    let entry = this.shapes.get(signature);
    if (entry === undefined) {
      if (this.shapes.size >= this.maxShapes) return undefined;
      entry = { shape, fn: this.compile(shape) };
      this.shapes.set(signature, entry);
    }
    this.last = entry;
    return entry.fn;
  }
}

/** The source text of a property name in an object literal. */
export function literalKey(key: string): string {
  return key === "__proto__" ? '["__proto__"]' : JSON.stringify(key);
}

/** The source text reading `key` from the variable `from`. */
export function readKey(from: string, key: string): string {
  return `${from}[${JSON.stringify(key)}]`;
}

/** Compiles `(params) => body`; the body is built only from {@link literalKey} and {@link readKey} fragments. */
export function compileFunction<F>(params: readonly string[], body: string): F {
  // Safe: generated from JSON-quoted keys only (see the module comment), never from values.
  return new Function(...params, body) as F;
}

/** `obj[key] = value`, except that "__proto__" becomes an own property instead of replacing the prototype. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}
