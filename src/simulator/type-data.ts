/**
 * One object type's seeded records, derived on demand from (seed, type, index): ids, timestamps, archived
 * flag and property values. Nothing per record is stored except the small archived-index list.
 *
 * updatedAt is f(P(i)) with P an invertible permutation and f monotone in rank, so "records modified in
 * [a, b]" is a rank range found by binary search — a window query on a 1M portal touches only its hits.
 */

import type { PropSpec } from "./data/property-specs.js";
import { GENS, type GenEnv, TABLE_GENS, TABLE_SIZE, UNSAFE_GENS, type ValueCtx } from "./data/values.js";
import { IdSpace } from "./ids.js";
import type { ObjectTypeDef } from "./object-types.js";
import { AffinePermutation, hash2 } from "./rng.js";
import { strJson } from "./serialize.js";

const DAY = 86_400_000;
const YEAR = 365 * DAY;

function normalizeSpec(s: PropSpec, typeName: string): PropSpec {
  const fn = GENS[s.gen];
  if (!fn) throw new Error(`no generator ${s.gen} for ${typeName}.${s.name}`);
  return {
    name: s.name,
    label: s.label,
    type: s.type,
    fieldType: s.fieldType,
    gen: s.gen,
    fn,
    safe: !UNSAFE_GENS.has(s.gen),
    tabled: TABLE_GENS.has(s.gen),
    nullCut: Math.round(s.nullRate * 1000),
    emptyCut: Math.round((s.nullRate + s.emptyRate) * 1000),
    table: undefined,
    options: s.options,
    hubspotDefined: s.hubspotDefined,
    calculated: s.calculated,
    calculationFormula: s.calculationFormula,
    groupName: s.groupName,
    nullRate: s.nullRate,
    emptyRate: s.emptyRate,
    salt: s.salt >>> 0,
  };
}

/** A resolved property list for encoding: known specs in output order with their pre-quoted keys. */
export interface PropPlan {
  names: string[];
  specs: PropSpec[];
  keys: string[];
  keyBytes: Buffer[];
  /** Upper bound of the bytes all table-backed fragments of one record can take. */
  maxTabledBytes: number;
}

export class TypeData {
  private readonly plans = new Map<string, PropPlan>();
  private readonly planByArray = new WeakMap<readonly string[], PropPlan>();
  readonly ids: IdSpace;
  readonly perm: AffinePermutation;
  readonly specByName = new Map<string, PropSpec>();
  private readonly start: number;
  private readonly span: number;
  private archivedList?: Int32Array;
  private readonly forcedArchived: number;
  readonly specs: readonly PropSpec[];

  constructor(
    readonly def: ObjectTypeDef,
    readonly n: number,
    specs: readonly PropSpec[],
    initialNow: number,
    private readonly env: GenEnv,
  ) {
    this.ids = new IdSpace(n, def.salt);
    this.perm = new AffinePermutation(n, def.salt);
    this.start = initialNow - 5 * YEAR;
    this.span = 5 * YEAR - 3_600_000;
    this.forcedArchived = n >= 10 ? def.salt % n : -1;
    // Rebuild every spec with one fixed key order: the encoding loop reads spec fields for 5,000 values
    // per page, and specs of differing hidden classes made that loop megamorphic (several times slower).
    this.specs = specs.map((s) => normalizeSpec(s, def.name));
    for (const s of this.specs) this.specByName.set(s.name, s);
  }

  /** The encoding plan for a (sorted, known-only) list of property names, cached per list. */
  plan(names: readonly string[]): PropPlan {
    let p = this.planByArray.get(names);
    if (p) return p;
    const key = names.join(",");
    p = this.plans.get(key);
    if (!p) {
      const specs = names.map((n) => this.specByName.get(n)).filter((s): s is PropSpec => !!s);
      const keys = specs.map((s) => JSON.stringify(s.name) + ":");
      const c0 = this.ctx(0);
      let maxTabledBytes = 0;
      for (const s of specs) {
        if (!s.tabled) continue;
        this.fragmentBytes(c0, s); // builds the table
        maxTabledBytes += Math.max(
          ...s.table!.fragBytes.map((b) => b.length),
          s.table!.nullBytes.length,
          s.table!.emptyBytes.length,
        );
      }
      p = { names: specs.map((s) => s.name), specs, keys, keyBytes: keys.map((k) => Buffer.from(k)), maxTabledBytes };
      if (this.plans.size > 200) this.plans.clear();
      this.plans.set(key, p);
    }
    this.planByArray.set(names, p);
    return p;
  }

  recordHash(i: number): number {
    return hash2(this.def.salt, i);
  }

  /** Rank → updatedAt: monotone; every 7th rank repeats its predecessor's millisecond (HubSpot has such ties). */
  updatedAtOfRank(r: number): number {
    const q = r % 7 === 3 ? r - 1 : r;
    const u = (hash2(this.def.salt ^ 0x5bd1e995, q) % 900) / 1000;
    return this.start + Math.floor(((q + u) * this.span) / Math.max(1, this.n));
  }

  updatedAt(i: number): number {
    return this.updatedAtOfRank(this.perm.forward(i));
  }

  createdAt(i: number, upd = this.updatedAt(i)): number {
    const h = hash2(this.recordHash(i), 3);
    const base = this.start + Math.floor(((i + (h % 980) / 1000) * this.span * 0.9) / Math.max(1, this.n));
    // A third of the records were never edited after creation (createdAt = updatedAt).
    return Math.min(base, h % 3 === 0 ? upd : upd - (h % (30 * DAY)));
  }

  /** First rank whose updatedAt is ≥ t. */
  rankLowerBound(t: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.updatedAtOfRank(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  isBaseArchived(i: number): boolean {
    // About 3 %, and at least one record in any type with 10+ records so every stream has archived rows.
    return i < this.n && (hash2(this.recordHash(i), 5) % 1000 < 30 || i === this.forcedArchived);
  }

  archivedAtBase(i: number, initialNow: number): number {
    const upd = this.updatedAt(i);
    return Math.min(initialNow - 60_000, upd + (hash2(this.recordHash(i), 6) % (60 * DAY)));
  }

  /** Sorted indices of the seeded archived records (about 3 %), computed once. */
  archivedIndices(): Int32Array {
    if (!this.archivedList) {
      const out: number[] = [];
      for (let i = 0; i < this.n; i++) if (this.isBaseArchived(i)) out.push(i);
      this.archivedList = Int32Array.from(out);
    }
    return this.archivedList;
  }

  /** Value context; pass the seeded times when already known (they are the costly part). */
  ctx(i: number, createdAt?: number, updatedAt?: number): ValueCtx {
    const upd = updatedAt ?? this.updatedAt(i);
    return {
      index: i,
      id: this.ids.id(i),
      h: this.recordHash(i),
      createdAt: createdAt ?? this.createdAt(i, upd),
      updatedAt: upd,
      env: this.env,
    };
  }

  /** The seeded value of one property (undefined for unknown names). */
  value(c: ValueCtx, spec: PropSpec): string | null {
    const ph = hash2(c.h, spec.salt);
    const r = ph % 1000;
    if (r < spec.nullCut!) return null;
    if (r < spec.emptyCut!) return "";
    if (spec.tabled) return this.table(spec).values[hash2(ph, 7) & (TABLE_SIZE - 1)]!;
    return spec.fn!(c, hash2(ph, 7), spec.options);
  }

  /** The fragment of fragment() as UTF-8 bytes. */
  fragmentBytes(c: ValueCtx, spec: PropSpec): Buffer {
    const t = spec.table ?? this.table(spec);
    const ph = hash2(c.h, spec.salt);
    const r = ph % 1000;
    if (r < spec.nullCut!) return t.nullBytes;
    if (r < spec.emptyCut!) return t.emptyBytes;
    return t.fragBytes[hash2(ph, 7) & (TABLE_SIZE - 1)]!;
  }

  /** `"name":value` for a table-backed property of a seeded record (same draw as value()). */
  fragment(c: ValueCtx, spec: PropSpec): string {
    const t = spec.table ?? this.table(spec);
    const ph = hash2(c.h, spec.salt);
    const r = ph % 1000;
    if (r < spec.nullCut!) return t.nullFrag;
    if (r < spec.emptyCut!) return t.emptyFrag;
    return t.frags[hash2(ph, 7) & (TABLE_SIZE - 1)]!;
  }

  private table(spec: PropSpec): NonNullable<PropSpec["table"]> {
    if (!spec.table) {
      const dummy = this.ctx(0);
      const key = JSON.stringify(spec.name) + ":";
      const values = Array.from({ length: TABLE_SIZE }, (_, k) =>
        spec.fn!(dummy, hash2(spec.salt ^ 0x7ab, k), spec.options),
      );
      const frags = values.map((v) => key + strJson(v));
      spec.table = {
        values,
        frags,
        nullFrag: key + "null",
        emptyFrag: key + '""',
        fragBytes: frags.map((f) => Buffer.from(f)),
        nullBytes: Buffer.from(key + "null"),
        emptyBytes: Buffer.from(key + '""'),
      };
    }
    return spec.table;
  }

  /** An older value of a property for property history (a different draw of the same generator). */
  olderValue(c: ValueCtx, spec: PropSpec, k: number): string | null {
    if (spec.gen === "id" || spec.gen === "created") return null;
    return GENS[spec.gen]!(c, hash2(hash2(c.h, spec.salt), 100 + k), spec.options);
  }
}
