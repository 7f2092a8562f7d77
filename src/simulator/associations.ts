/**
 * Deterministic, symmetric associations. For a pair (A, B) the type with more records "drives": record d
 * links to k(d) ≤ maxK records o = P_j(d mod nO), j < k(d), with P_j invertible — so the reverse direction
 * (all d linked to o) is d = P_j⁻¹(o) + t·nO, enumerated without any stored table.
 */
import { AffinePermutation, hash2, hashString } from "./rng.js";

export interface AssocPairDef {
  a: string;
  b: string;
  /** HubSpot-defined type ids for a→b and b→a (unlabeled default types). */
  ab: number;
  ba: number;
  /** Primary type ids (a→b, b→a) where HubSpot has a "Primary" label. */
  primary?: [number, number];
}

const ENG: [string, string, number, number][] = [
  ["calls", "call", 194, 182],
  ["emails", "email", 198, 186],
  ["meetings", "meeting", 200, 188],
  ["notes", "note", 202, 190],
  ["tasks", "task", 204, 192],
];

export const ASSOC_PAIRS: AssocPairDef[] = [
  { a: "contacts", b: "companies", ab: 279, ba: 280, primary: [1, 2] },
  { a: "deals", b: "contacts", ab: 3, ba: 4 },
  { a: "deals", b: "companies", ab: 341, ba: 342, primary: [5, 6] },
  { a: "deals", b: "line_items", ab: 19, ba: 20 },
  { a: "tickets", b: "contacts", ab: 16, ba: 15 },
  { a: "tickets", b: "companies", ab: 339, ba: 340, primary: [26, 25] },
  { a: "tickets", b: "deals", ab: 28, ba: 27 },
  { a: "leads", b: "contacts", ab: 578, ba: 579 },
  { a: "leads", b: "companies", ab: 610, ba: 611 },
  ...ENG.flatMap(([t, _s, toContact, toCompany]): AssocPairDef[] => [
    { a: t, b: "contacts", ab: toContact, ba: toContact - 1 },
    { a: t, b: "companies", ab: toCompany, ba: toCompany - 1 },
    { a: t, b: "deals", ab: toContact + 12, ba: toContact + 11 },
    { a: t, b: "tickets", ab: toContact + 26, ba: toContact + 25 },
  ]),
];

/** One link seen from a record: the other record's index and whether it is the primary one. */
export interface Edge {
  index: number;
  primary: boolean;
}

/** The association generator for one pair of types with known base counts. */
export class AssocPair {
  private readonly driverIsA: boolean;
  private readonly nD: number;
  private readonly nO: number;
  private readonly maxK: number;
  private readonly perms: AffinePermutation[] = [];
  private readonly salt: number;

  constructor(
    readonly def: AssocPairDef,
    nA: number,
    nB: number,
    seed: number,
  ) {
    this.driverIsA = nA >= nB;
    this.nD = this.driverIsA ? nA : nB;
    this.nO = this.driverIsA ? nB : nA;
    this.maxK = this.nD === 0 ? 0 : Math.max(1, Math.min(3, Math.round((3 * this.nO) / this.nD)));
    this.salt = (hashString(def.a + ">" + def.b) ^ seed) >>> 0;
    for (let j = 0; j < 3; j++) this.perms.push(new AffinePermutation(this.nO, this.salt + j * 101));
  }

  private k(d: number): number {
    return this.nO === 0 ? 0 : hash2(this.salt, d) % (this.maxK + 1);
  }

  /** Links from a record of `fromType` (which must be a or b of this pair), in a stable order. */
  edges(fromType: string, index: number): Edge[] {
    const fromDriver = (fromType === this.def.a) === this.driverIsA;
    const out: Edge[] = [];
    if (fromDriver) {
      if (index >= this.nD) return out;
      const k = this.k(index);
      for (let j = 0; j < k; j++) {
        const o = this.perms[j]!.forward(index % this.nO);
        if (!out.some((e) => e.index === o)) out.push({ index: o, primary: j === 0 });
      }
      return out;
    }
    if (index >= this.nO) return out;
    for (let j = 0; j < this.maxK; j++) {
      const d0 = this.perms[j]!.inverse(index);
      for (let d = d0; d < this.nD; d += this.nO) {
        if (this.k(d) > j && !out.some((e) => e.index === d)) out.push({ index: d, primary: j === 0 });
      }
    }
    return out.sort((x, y) => x.index - y.index);
  }

  /** Association type ids seen from `fromType`: [default, primary?]. */
  typeIds(fromType: string): { id: number; primaryId?: number } {
    const fromA = fromType === this.def.a;
    return {
      id: fromA ? this.def.ab : this.def.ba,
      primaryId: this.def.primary ? this.def.primary[fromA ? 0 : 1] : undefined,
    };
  }
}
