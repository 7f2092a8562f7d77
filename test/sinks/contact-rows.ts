import type { Row } from "../../src/sources/page.js";

/** Deterministic HubSpot-like contact rows (50 properties, plus their unnested `properties_*` copies). */
export const PROPERTY_COUNT = 50;

const POOL = ["lead", "customer", "subscriber", "opportunity", "evangelist", "other", "marketingqualifiedlead"];
const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];

/** Small fast PRNG so rows are reproducible without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = Date.UTC(2024, 0, 1);

/** Property names: 40 strings (p00..p39), 10 numbers (n40..n49). */
export const propertyNames = (): string[] =>
  Array.from({ length: PROPERTY_COUNT }, (_, i) => (i < 40 ? `p${String(i).padStart(2, "0")}` : `n${i}`));

/** `count` contact rows starting at `start`, generated lazily page by page. */
export function* contactRows(count: number, start = 0, seed = 42): Generator<Row> {
  const rnd = mulberry32(seed + start);
  const names = propertyNames();
  for (let i = start; i < start + count; i++) {
    const properties: Record<string, string | null> = {};
    const row: Row = {
      id: String(1000 + i),
      createdAt: new Date(BASE + i * 1000).toISOString(),
      updatedAt: new Date(BASE + i * 1000 + 3_600_000).toISOString(),
      archived: i % 17 === 0,
      properties,
    };
    for (let p = 0; p < names.length; p++) {
      const name = names[p]!;
      let v: string | null;
      if (rnd() < 0.2) v = null;
      else if (p >= 40) v = String(Math.floor(rnd() * 100000) / 100);
      else if (p % 2 === 0) v = POOL[Math.floor(rnd() * POOL.length)]!;
      else v = `${WORDS[Math.floor(rnd() * 10)]} ${WORDS[Math.floor(rnd() * 10)]} ${i}`;
      properties[name] = v;
      row[`properties_${name}`] = p >= 40 && v !== null ? Number(v) : v;
    }
    yield row;
  }
}

/** Rows in pages of `pageSize`, as the reader would hand them over. */
export function* contactPages(count: number, pageSize = 100): Generator<Row[]> {
  for (let start = 0; start < count; start += pageSize) {
    yield [...contactRows(Math.min(pageSize, count - start), start)];
  }
}
