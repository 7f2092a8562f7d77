/**
 * CRM search execution. Each filter group picks the cheapest "driver" to enumerate candidates — a window on
 * the last-modified property (a rank range, see TypeData), an hs_object_id range (an index range), or a
 * full scan — then evaluates all its filters; groups are OR-ed. Result index lists are cached per query and
 * portal version so paging a large result does not redo the work.
 */
import type { PropSpec } from "./data/property-specs.js";
import type { VersionFilter } from "./overlay.js";
import type { Portal, RecState } from "./portal.js";
import { compileFilter, type Filter, type Pred, rangeOf } from "./search-filter.js";
import type { TypeData } from "./type-data.js";

export interface SortRule {
  propertyName: string;
  direction: "ASCENDING" | "DESCENDING";
}

export interface CompiledQuery {
  groups: Filter[][];
  sort: SortRule;
  query?: string;
}

interface Candidate {
  index: number;
  st: RecState;
}

/** Executes a query; returns matching record indices in result order. */
export function runSearch(portal: Portal, td: TypeData, q: CompiledQuery, visible?: VersionFilter): Int32Array {
  const groups = q.groups.length ? q.groups : [[]];
  const sortSpec = td.specByName.get(q.sort.propertyName);
  const preferTime = sortSpec?.gen === "modified";
  const seen = groups.length > 1 ? new Set<number>() : undefined;
  const hits: number[] = [];
  const states = new Map<number, RecState>();
  let order: Order = "index";
  for (const g of groups) {
    const preds = g.map((f) => compileGroupFilter(portal, td, f));
    const queryPred = q.query ? queryPredicate(td, q.query) : undefined;
    const evaluate = preds.length > 0 || !!queryPred;
    order = enumerate(portal, td, g, visible, preferTime, (index, known) => {
      if (seen?.has(index)) return;
      if (evaluate) {
        const st = known ?? portal.state(td, index, visible);
        const c = { index, st };
        const ctx = td.ctx(index);
        for (const p of preds) if (!p(c, ctx)) return;
        if (queryPred && !queryPred((name) => propValue(portal, td, st, ctx, name))) return;
        if (st.mut) states.set(index, st);
      } else if (known?.mut) states.set(index, known);
      seen?.add(index);
      hits.push(index);
    });
  }
  return sortHits(portal, td, hits, q.sort, groups.length > 1 ? "mixed" : order, states, visible);
}

/** How enumerate() delivered candidates: ascending index, or ascending seeded rank then mutated records. */
type Order = "index" | "rank" | "mixed";

type GroupPred = (c: Candidate, ctx: ReturnType<TypeData["ctx"]>) => boolean;

function propValue(portal: Portal, td: TypeData, st: RecState, ctx: ReturnType<TypeData["ctx"]>, name: string) {
  const spec = td.specByName.get(name);
  return spec ? portal.value(td, st, ctx, spec) : null;
}

function compileGroupFilter(portal: Portal, td: TypeData, f: Filter): GroupPred {
  const assoc = /^associations\.(.+)$/.exec(f.propertyName);
  if (assoc) {
    const to = portal.typeData(assoc[1]!);
    const wanted = new Set((f.values ?? [f.value]).map(String));
    return (c) => portal.edges(td, c.index, to).some((e) => wanted.has(to.ids.id(e.index))) === (f.operator !== "NEQ");
  }
  const spec = td.specByName.get(f.propertyName) as PropSpec;
  // Range filters on the system properties compare numbers directly (no ISO formatting and re-parsing):
  // they are in nearly every incremental query and run on every candidate.
  const system = spec.gen === "modified" || spec.gen === "created" || spec.gen === "id";
  const range = system && RANGE_OPS.has(f.operator) ? rangeOf(f, spec.gen !== "id") : undefined;
  if (range) {
    const [lo, hi] = range;
    if (spec.gen === "modified") return (c) => c.st.updatedAt >= lo && c.st.updatedAt <= hi;
    if (spec.gen === "created") return (c) => c.st.createdAt >= lo && c.st.createdAt <= hi;
    return (c) => {
      const id = td.ids.idNum(c.index);
      return id >= lo && id <= hi;
    };
  }
  const pred: Pred = compileFilter(f, spec);
  return (c, ctx) => pred(portal.value(td, c.st, ctx, spec));
}

const RANGE_OPS = new Set(["EQ", "GT", "GTE", "LT", "LTE", "BETWEEN"]);

function queryPredicate(td: TypeData, query: string) {
  const needle = query.toLowerCase().replace(/\*/g, "");
  const names = td.def.defaultProps.filter((n) => td.specByName.get(n)?.type === "string");
  return (get: (name: string) => string | null) => names.some((n) => (get(n) ?? "").toLowerCase().includes(needle));
}

/**
 * Calls `visit` for every existing, non-archived record that may match the group (a superset), passing its
 * state when it had to be computed. Untouched seeded records are checked without building a state.
 */
function enumerate(
  portal: Portal,
  td: TypeData,
  group: Filter[],
  visible: VersionFilter | undefined,
  preferTime: boolean,
  visit: (index: number, st?: RecState) => void,
): Order {
  const total = portal.total(td);
  let idLo = 0;
  let idHi = total - 1;
  let tLo = Number.NEGATIVE_INFINITY;
  let tHi = Number.POSITIVE_INFINITY;
  for (const f of group) {
    if (f.propertyName === "hs_object_id") {
      const r = rangeOf(f, false);
      if (r) {
        idLo = Math.max(idLo, r[0] === Number.NEGATIVE_INFINITY ? 0 : td.ids.lowerBound(r[0]));
        idHi = Math.min(idHi, r[1] === Number.POSITIVE_INFINITY ? total - 1 : td.ids.lowerBound(r[1] + 1) - 1);
      }
    } else if (f.propertyName === td.def.modifiedProp) {
      const r = rangeOf(f, true);
      if (r) {
        tLo = Math.max(tLo, r[0]);
        tHi = Math.min(tHi, r[1]);
      }
    }
  }
  if (idLo > idHi || tLo > tHi) return "index";
  const muts = portal.mutated(td);
  const check = (index: number) => {
    if (index < td.n && !muts.has(index)) {
      if (!td.isBaseArchived(index)) visit(index);
      return;
    }
    const st = portal.state(td, index, visible);
    if (st.exists && !st.archived) visit(index, st);
  };
  const rLo = tLo === Number.NEGATIVE_INFINITY ? 0 : td.rankLowerBound(tLo);
  const rHi = tHi === Number.POSITIVE_INFINITY ? td.n : td.rankLowerBound(tHi + 1);
  const timeSize = rHi - rLo;
  const idSize = idHi - idLo + 1;
  // Walk ranks when that is the smaller candidate set, or when results are wanted in updatedAt order anyway.
  if (timeSize < idSize || (preferTime && timeSize <= idSize * 4)) {
    for (let r = rLo; r < rHi; r++) {
      const i = td.perm.inverse(r);
      if (i >= idLo && i <= idHi && !muts.has(i)) check(i);
    }
    // Mutated and created records have their own updatedAt: checked individually (filters re-test the time).
    for (const i of muts.keys()) if (i >= idLo && i <= idHi) check(i);
    return "rank";
  }
  for (let i = idLo; i <= idHi; i++) check(i);
  return "index";
}

function sortHits(
  portal: Portal,
  td: TypeData,
  hits: number[],
  sort: SortRule,
  order: Order,
  states: Map<number, RecState>,
  visible: VersionFilter | undefined,
): Int32Array {
  const desc = sort.direction === "DESCENDING";
  const spec = td.specByName.get(sort.propertyName);
  const stateOf = (i: number) => states.get(i) ?? portal.state(td, i, visible);
  if (!spec || spec.gen === "id") {
    const out = Int32Array.from(hits);
    if (order !== "index") out.sort();
    return desc ? out.reverse() : out;
  }
  const updatedOf = (i: number) => (i < td.n && !states.has(i) ? td.updatedAt(i) : stateOf(i).updatedAt);
  if (spec.gen === "modified" && order === "rank") {
    // Seeded hits arrived in rank (= updatedAt) order; only the mutated tail needs sorting, then a merge.
    const nBase = hits.findIndex((i) => i >= td.n || states.has(i));
    const base = nBase < 0 ? hits : hits.slice(0, nBase);
    const tail = (nBase < 0 ? [] : hits.slice(nBase)).sort((a, b) => updatedOf(a) - updatedOf(b) || a - b);
    const out = new Int32Array(hits.length);
    let x = 0;
    let y = 0;
    for (let k = 0; k < out.length; k++) {
      const takeBase = y >= tail.length || (x < base.length && updatedOf(base[x]!) <= updatedOf(tail[y]!));
      out[k] = takeBase ? base[x++]! : tail[y++]!;
    }
    return desc ? out.reverse() : out;
  }
  const dir = desc ? -1 : 1;
  let key: (i: number) => number | string;
  if (spec.gen === "modified") key = updatedOf;
  else if (spec.gen === "created") key = (i) => stateOf(i).createdAt;
  else {
    const numeric = spec.type === "number" || spec.type === "datetime" || spec.type === "date";
    key = (i) => {
      const v = portal.value(td, stateOf(i), td.ctx(i), spec);
      if (!numeric) return (v ?? "").toLowerCase();
      return v ? (spec.type === "number" ? Number(v) : Date.parse(v)) : Number.NEGATIVE_INFINITY;
    };
  }
  const keys = new Map<number, number | string>();
  for (const i of hits) keys.set(i, key(i));
  hits.sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    if (ka < kb) return -dir;
    if (ka > kb) return dir;
    return a - b;
  });
  return Int32Array.from(hits);
}

/** Small LRU of query results keyed by query text + portal version. */
export class SearchCache {
  private readonly map = new Map<string, Int32Array>();
  constructor(private readonly size = 16) {}
  get(key: string): Int32Array | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: Int32Array): void {
    this.map.set(key, v);
    while (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}
