/**
 * Turning a record's state into property values and JSON: the generators for seeded records, overrides
 * from mutations, and the hot-path writers used by list and search pages.
 */
import type { ByteWriter } from "./byte-writer.js";
import type { PropSpec } from "./data/property-specs.js";
import { isoMs, type ValueCtx } from "./data/values.js";
import type { RecState } from "./portal.js";
import { strJson } from "./serialize.js";
import type { PropPlan, TypeData } from "./type-data.js";
import type { SimObject } from "./types.js";

/** One property of a record as HubSpot would send it. */
export function recordValue(td: TypeData, st: RecState, c: ValueCtx, spec: PropSpec): string | null {
  const set = st.mut?.set;
  if (set && spec.name in set) return set[spec.name] ?? null;
  if (spec.gen === "modified") return isoMs(st.updatedAt);
  if (spec.gen === "created") return isoMs(st.createdAt);
  if (spec.gen === "id") return c.id;
  if (st.index >= td.n) return null;
  return td.value(c, spec);
}

/** Properties of a record for the given names (unknown names skipped), keys in the given order. */
export function recordProperties(td: TypeData, st: RecState, names: readonly string[]): Record<string, string | null> {
  const c = td.ctx(st.index);
  const out: Record<string, string | null> = {};
  for (const name of names) {
    const spec = td.specByName.get(name);
    if (spec) out[name] = recordValue(td, st, c, spec);
  }
  return out;
}

/** Value context of a record, reusing the times `state()` already computed for unmodified seeded records. */
export function ctxOf(td: TypeData, st: RecState): ValueCtx {
  return st.mut || st.index >= td.n ? td.ctx(st.index) : td.ctx(st.index, st.createdAt, st.updatedAt);
}

/** The `properties` object of a record as JSON, straight from the generators (the list hot path). */
export function propsJson(td: TypeData, st: RecState, plan: PropPlan, c = ctxOf(td, st)): string {
  const set = st.mut?.set;
  const seeded = st.index < td.n;
  const specs = plan.specs;
  // parts + join yields a flat string; `s +=` builds a rope that costs more to flatten later than it saves.
  const parts: string[] = new Array(specs.length);
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k]!;
    if (seeded && spec.tabled && !(set && spec.name in set)) {
      parts[k] = td.fragment(c, spec);
      continue;
    }
    let v: string | null;
    let safe = spec.safe;
    if (set && spec.name in set) {
      v = set[spec.name] ?? null;
      safe = false;
    } else if (spec.gen === "modified") v = isoMs(st.updatedAt);
    else if (spec.gen === "created") v = isoMs(st.createdAt);
    else if (spec.gen === "id") v = c.id;
    else v = seeded ? td.value(c, spec) : null;
    parts[k] = plan.keys[k] + (v === null ? "null" : safe ? '"' + v + '"' : strJson(v));
  }
  return "{" + parts.join(",") + "}"; // a 3-node rope around a flat string: cheap to flatten
}

/** propsJson() written straight into a ByteWriter (the list/search hot path). */
export function propsTo(
  w: ByteWriter,
  td: TypeData,
  st: RecState,
  plan: PropPlan,
  c: ValueCtx,
  isoCreated = isoMs(st.createdAt),
  isoUpdated = isoMs(st.updatedAt),
): void {
  const set = st.mut?.set;
  const seeded = st.index < td.n;
  const specs = plan.specs;
  // Room for every table fragment of the record at once, so the hot loop skips capacity checks.
  w.ensure(plan.maxTabledBytes + specs.length + 2);
  w.byteUnchecked(0x7b);
  for (let k = 0; k < specs.length; k++) {
    const spec = specs[k]!;
    if (k) w.byteUnchecked(0x2c);
    if (seeded && spec.tabled && !(set && spec.name in set)) {
      w.bytesUnchecked(td.fragmentBytes(c, spec));
      continue;
    }
    let v: string | null;
    let safe = spec.safe;
    if (set && spec.name in set) {
      v = set[spec.name] ?? null;
      safe = false;
    } else if (spec.gen === "modified") v = isoUpdated;
    else if (spec.gen === "created") v = isoCreated;
    else if (spec.gen === "id") v = c.id;
    else v = seeded ? td.value(c, spec) : null;
    w.bytes(plan.keyBytes[k]!);
    if (v === null) w.ascii("null");
    else if (safe) {
      w.byte(0x22);
      w.ascii(v);
      w.byte(0x22);
    } else w.jsonString(v);
    w.ensure(plan.maxTabledBytes + specs.length);
  }
  w.byte(0x7d);
}

export function toSimObject(td: TypeData, st: RecState, names?: readonly string[]): SimObject {
  const all = names ?? td.specs.map((s) => s.name);
  return {
    id: td.ids.id(st.index),
    objectType: td.def.name,
    properties: recordProperties(td, st, all),
    createdAt: st.createdAt,
    updatedAt: st.updatedAt,
    archived: st.archived,
    ...(st.archived && st.archivedAt !== undefined ? { archivedAt: st.archivedAt } : {}),
  };
}
