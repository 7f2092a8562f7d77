/**
 * The seeded, deterministic portal: every record is derived from (seed, type, index) on demand; only
 * mutations live in memory. Implements the PortalView the routes read, plus the mutation/clock API tests use.
 */

import { ASSOC_PAIRS, AssocPair, type Edge } from "./associations.js";
import type { ByteWriter } from "./byte-writer.js";
import { buildOwners, type OwnerDef } from "./data/owners.js";
import { buildPipelines, type PipelineDef } from "./data/pipelines.js";
import { type PropSpec, propertySpecs } from "./data/property-specs.js";
import type { GenEnv, ValueCtx } from "./data/values.js";
import { selectLive } from "./live-select.js";
import { buildObjectTypes, type ObjectTypeDef, TypeResolver } from "./object-types.js";
import { Mutated, type State, type VersionFilter } from "./overlay.js";
import { ctxOf, propsJson, propsTo, recordProperties, recordValue, toSimObject } from "./record-encode.js";
import { hashKeys, mix32, unit } from "./rng.js";
import { type PropPlan, TypeData } from "./type-data.js";
import type { PortalView, SimObject } from "./types.js";

/** The property HubSpot lists merged-away ids in, on the record they were merged into. */
export const MERGED_IDS = "hs_merged_object_ids";

export interface PortalInit {
  seed: number;
  /** Seeded record count per canonical type name. */
  counts: Record<string, number>;
  now: number;
  propertiesPerObject: number;
  searchIndexLagMs: number;
  owners: [active: number, archived: number];
}

/** The combined seeded + mutated state of one record. */
export interface RecState {
  index: number;
  exists: boolean;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
  archivedAt?: number;
  mut?: State;
}

export class Portal implements PortalView {
  readonly seed: number;
  readonly portalId: number;
  readonly resolver: TypeResolver;
  readonly owners: OwnerDef[];
  readonly pipelineDefs: Record<string, PipelineDef[]>;
  readonly initialNow: number;
  searchIndexLagMs: number;
  /** Bumped on every mutation; search caches key on it. */
  version = 0;
  private clock: number;
  private readonly data = new Map<string, TypeData>();
  private readonly muts = new Map<string, Map<number, Mutated>>();
  private readonly created = new Map<string, number>();
  private readonly pairs = new Map<string, AssocPair>();
  /** Per type: merged-away id → the id it was merged into (which may itself be merged later). */
  private readonly mergedInto = new Map<string, Map<string, string>>();
  private readonly env: GenEnv;

  constructor(init: PortalInit) {
    this.seed = init.seed;
    this.portalId = 20_000_000 + (mix32(init.seed ^ 0x51ed) % 9_000_000);
    this.initialNow = init.now;
    this.clock = init.now;
    this.searchIndexLagMs = init.searchIndexLagMs;
    const defs = buildObjectTypes(init.seed, this.portalId);
    this.resolver = new TypeResolver(defs);
    this.owners = buildOwners(init.seed, init.owners[0], init.owners[1], init.now);
    this.pipelineDefs = buildPipelines(init.now);
    const refIds = new Map<string, string[]>();
    const activeOwnerIds = this.owners.filter((o) => !o.archived).map((o) => o.id);
    this.env = {
      ownerIds: activeOwnerIds,
      // References draw from the first 4096 records of the target type, whose ids are cached.
      refId: (type, k) => {
        let ids = refIds.get(type);
        if (!ids) {
          const td = this.data.get(type);
          ids = td ? Array.from({ length: Math.min(td.n, 4096) }, (_, i) => td.ids.id(i)) : [];
          refIds.set(type, ids);
        }
        return ids.length ? ids[k % ids.length]! : "";
      },
      start: init.now - 5 * 365 * 86_400_000,
      span: 5 * 365 * 86_400_000 - 3_600_000,
      pipelines: (type) => this.pipelineDefs[type] ?? [],
    };
    for (const def of defs) {
      const custom = Math.round(init.propertiesPerObject * def.customShare);
      const specs = propertySpecs(def.name, custom, init.seed);
      this.data.set(def.name, new TypeData(def, init.counts[def.name] ?? 0, specs, init.now, this.env));
      this.muts.set(def.name, new Map());
    }
    for (const p of ASSOC_PAIRS) {
      const pair = new AssocPair(p, this.data.get(p.a)!.n, this.data.get(p.b)!.n, init.seed);
      this.pairs.set(`${p.a}>${p.b}`, pair);
      this.pairs.set(`${p.b}>${p.a}`, pair);
    }
  }

  // ---- clock -------------------------------------------------------------------------------------
  now(): number {
    return this.clock;
  }
  setNow(ms: number): void {
    this.clock = ms;
  }
  advance(ms: number): void {
    this.clock += ms;
  }

  // ---- types -------------------------------------------------------------------------------------
  types(): readonly ObjectTypeDef[] {
    return this.resolver.defs;
  }
  typeData(type: string): TypeData {
    const def = this.resolver.resolve(type);
    const td = def && this.data.get(def.name);
    if (!td) throw new Error(`unknown object type ${type}`);
    return td;
  }
  specs(type: string): readonly PropSpec[] {
    return this.typeData(type).specs;
  }
  pipelines(type: string): readonly PipelineDef[] {
    return this.pipelineDefs[type] ?? [];
  }

  /** Seeded plus created records (live or archived): indices are 0 … total-1. */
  total(td: TypeData): number {
    return td.n + (this.created.get(td.def.name) ?? 0);
  }
  mutated(td: TypeData): ReadonlyMap<number, Mutated> {
    return this.muts.get(td.def.name)!;
  }

  /** The record's current state, or as seen through `visible` (the search index's lagging view). */
  state(td: TypeData, index: number, visible?: VersionFilter): RecState {
    const m = this.muts.get(td.def.name)!.get(index);
    const st = m ? (visible ? m.view(visible) : m.cur) : undefined;
    if (index >= td.n) {
      const at = st?.createdAt ?? 0;
      return {
        index,
        exists: !!st?.exists,
        archived: !!st?.archived,
        createdAt: at,
        updatedAt: st?.updatedAt ?? at,
        archivedAt: st?.archivedAt,
        mut: st,
      };
    }
    const baseArchived = td.isBaseArchived(index);
    const seededUpdated = td.updatedAt(index);
    return {
      index,
      exists: st?.exists ?? true,
      archived: baseArchived || !!st?.archived,
      createdAt: td.createdAt(index, seededUpdated),
      updatedAt: st?.updatedAt ?? seededUpdated,
      archivedAt: baseArchived ? td.archivedAtBase(index, this.initialNow) : st?.archivedAt,
      mut: st,
    };
  }

  /** One property of a record as HubSpot would send it. */
  value(td: TypeData, st: RecState, c: ValueCtx, spec: PropSpec): string | null {
    return recordValue(td, st, c, spec);
  }
  properties(td: TypeData, st: RecState, names: readonly string[]): Record<string, string | null> {
    return recordProperties(td, st, names);
  }
  ctxOf(td: TypeData, st: RecState): ValueCtx {
    return ctxOf(td, st);
  }
  propsJson(td: TypeData, st: RecState, plan: PropPlan, c = ctxOf(td, st)): string {
    return propsJson(td, st, plan, c);
  }
  propsTo(
    w: ByteWriter,
    td: TypeData,
    st: RecState,
    plan: PropPlan,
    c: ValueCtx,
    isoCreated?: string,
    isoUpdated?: string,
  ): void {
    propsTo(w, td, st, plan, c, isoCreated, isoUpdated);
  }
  toSimObject(td: TypeData, st: RecState, names?: readonly string[]): SimObject {
    return toSimObject(td, st, names);
  }

  /** Index of a record id, or -1. */
  indexOf(td: TypeData, id: string): number {
    const i = td.ids.indexOf(id);
    return i >= 0 && i < this.total(td) ? i : -1;
  }

  /**
   * Index of the record an id stands for now: the id itself, or — for an id merged away — the record it was
   * merged into (HubSpot keeps old ids pointing at the merged record). -1 when none.
   */
  currentIndexOf(td: TypeData, id: string): number {
    const aliases = this.mergedInto.get(td.def.name);
    let cur = id;
    for (let hops = 0; aliases?.has(cur) && hops < 64; hops++) cur = aliases.get(cur)!;
    return this.indexOf(td, cur);
  }

  // ---- PortalView --------------------------------------------------------------------------------
  get(objectType: string, id: string, archived = false): SimObject | undefined {
    const td = this.typeData(objectType);
    const i = this.indexOf(td, id);
    if (i < 0) return undefined;
    const st = this.state(td, i);
    if (!st.exists || st.archived !== archived) return undefined;
    return this.toSimObject(td, st);
  }

  count(objectType: string, archived = false): number {
    const td = this.typeData(objectType);
    return this.sortedIndices(td, archived, true) as number;
  }

  idAt(objectType: string, index: number, archived = false): string | undefined {
    const td = this.typeData(objectType);
    const k = this.sortedIndices(td, archived, false, index) as number;
    return k >= 0 ? td.ids.id(k) : undefined;
  }

  associations(fromType: string, id: string, toType: string): string[] {
    const from = this.typeData(fromType);
    const to = this.typeData(toType);
    const i = this.indexOf(from, id);
    if (i < 0) return [];
    return this.edges(from, i, to).map((e) => to.ids.id(e.index));
  }

  /** Links to live records of `to` (seeded associations only exist between seeded records). */
  edges(from: TypeData, index: number, to: TypeData): Edge[] {
    const pair = this.pairs.get(`${from.def.name}>${to.def.name}`);
    if (!pair || index >= from.n) return [];
    return pair.edges(from.def.name, index).filter((e) => {
      const st = this.state(to, e.index);
      return st.exists && !st.archived;
    });
  }
  assocPair(from: string, to: string): AssocPair | undefined {
    return this.pairs.get(`${from}>${to}`);
  }

  ownerList(archived = false): OwnerDef[] {
    return this.owners.filter((o) => o.archived === archived);
  }

  objectTypeNames(): string[] {
    return this.resolver.defs.map((d) => d.name);
  }

  ownerIds(): string[] {
    return this.env.ownerIds.slice();
  }

  random(...keys: (string | number)[]): number {
    return unit(hashKeys(this.seed, keys));
  }

  private sortedIndices(td: TypeData, archived: boolean, countOnly: boolean, k = 0): number {
    const muts = this.muts.get(td.def.name)!;
    return selectLive(td, muts.keys(), (i) => this.state(td, i), archived, countOnly, k);
  }

  /** Whether a version is already in the search index (lag measured on the simulated or the wall clock). */
  searchVisible(): VersionFilter | undefined {
    const lag = this.searchIndexLagMs;
    if (lag <= 0) return undefined;
    const simNow = this.clock;
    const wallNow = Date.now();
    return (v) => simNow - v.at >= lag || wallNow - v.wallAt >= lag;
  }

  // ---- mutations ---------------------------------------------------------------------------------
  private mut(td: TypeData, index: number): Mutated {
    const map = this.muts.get(td.def.name)!;
    let m = map.get(index);
    if (!m) {
      m = new Mutated(index < td.n);
      map.set(index, m);
    }
    return m;
  }

  private requireIndex(td: TypeData, id: string): number {
    const i = this.indexOf(td, id);
    if (i < 0 || !this.state(td, i).exists) throw new Error(`no ${td.def.name} record ${id}`);
    return i;
  }

  /** Creates a record; returns it. `at` defaults to the simulated now. */
  create(type: string, props: Record<string, string | null>, at = this.clock): SimObject {
    const td = this.typeData(type);
    const index = this.total(td);
    this.created.set(td.def.name, (this.created.get(td.def.name) ?? 0) + 1);
    this.mut(td, index).push({ at, wallAt: Date.now(), created: true, set: { ...props } });
    this.version++;
    return this.toSimObject(td, this.state(td, index));
  }

  /** Updates properties; bumps updatedAt and the last-modified property to `at`. */
  update(type: string, id: string, props: Record<string, string | null>, at = this.clock): SimObject {
    const td = this.typeData(type);
    const i = this.requireIndex(td, id);
    this.mut(td, i).push({ at, wallAt: Date.now(), set: { ...props } });
    this.version++;
    return this.toSimObject(td, this.state(td, i));
  }

  /** Archives a record: sets archivedAt, leaves lastmodifieddate alone. */
  archive(type: string, id: string, at = this.clock): void {
    const td = this.typeData(type);
    const i = this.requireIndex(td, id);
    this.mut(td, i).push({ at, wallAt: Date.now(), archived: true });
    this.version++;
  }

  /**
   * Merges `mergedId` into `primaryId` as HubSpot merges contacts and companies: a NEW record (new id) takes
   * the primary's property values, the secondary's filling the primary's blanks; both originals vanish from
   * list, archived list and search, and their ids redirect to the new record on GET and batch read; the new
   * record's `hs_merged_object_ids` lists every id merged into it (semicolon-separated). `keepPrimaryId` gives
   * HubSpot's behaviour before its 2024 change: the primary survives under its own id with those values, its
   * last-modified time bumped to `at`. Associations are not carried over. Returns the surviving record.
   */
  merge(
    type: string,
    primaryId: string,
    mergedId: string,
    at = this.clock,
    opts: { keepPrimaryId?: boolean } = {},
  ): SimObject {
    const td = this.typeData(type);
    if (!td.specByName.has(MERGED_IDS)) throw new Error(`${td.def.name} records cannot be merged here`);
    if (primaryId === mergedId) throw new Error("a record cannot be merged into itself");
    const pi = this.requireIndex(td, primaryId);
    const mi = this.requireIndex(td, mergedId);
    const [p, m] = [pi, mi].map((i) => {
      const st = this.state(td, i);
      if (st.archived) throw new Error(`${td.def.name} record ${td.ids.id(i)} is archived`);
      return this.toSimObject(td, st);
    }) as [SimObject, SimObject];
    const derived = new Set(td.specs.filter((s) => ["id", "created", "modified"].includes(s.gen)).map((s) => s.name));
    const props: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(p.properties)) {
      if (!derived.has(k)) props[k] = v === null || v === "" ? (m.properties[k] ?? v) : v;
    }
    const ids = (o: SimObject) => (o.properties[MERGED_IDS] ?? "").split(";").filter(Boolean);
    const wallAt = Date.now();
    const aliases = this.mergedInto.get(td.def.name) ?? new Map<string, string>();
    this.mergedInto.set(td.def.name, aliases);
    if (opts.keepPrimaryId) {
      // Only what changes on the primary gets a new version (its property history stays truthful).
      const changed: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(props)) if (v !== p.properties[k]) changed[k] = v;
      changed[MERGED_IDS] = [...new Set([...ids(p), ...ids(m), mergedId])].join(";");
      this.mut(td, pi).push({ at, wallAt, set: changed });
      this.mut(td, mi).push({ at, wallAt, removed: true });
      aliases.set(mergedId, primaryId);
      this.version++;
      return this.toSimObject(td, this.state(td, pi));
    }
    props[MERGED_IDS] = [...new Set([...ids(p), ...ids(m), primaryId, mergedId])].join(";");
    const survivor = this.create(td.def.name, props, at);
    for (const i of [pi, mi]) this.mut(td, i).push({ at, wallAt, removed: true });
    aliases.set(primaryId, survivor.id);
    aliases.set(mergedId, survivor.id);
    this.version++;
    return survivor;
  }

  /** Updates many records to the SAME millisecond; `ids` or the first `count` live records spread over the id range. */
  bulkUpdate(type: string, ids: string[] | number, props: Record<string, string | null>, at = this.clock): string[] {
    const td = this.typeData(type);
    let list: string[];
    if (typeof ids === "number") {
      const live = this.count(td.def.name);
      const stride = Math.max(1, Math.floor(live / Math.max(1, ids)));
      list = [];
      for (let k = 0; k < ids && k * stride < live; k++) list.push(this.idAt(td.def.name, k * stride)!);
    } else list = ids;
    const wallAt = Date.now();
    for (const id of list) this.mut(td, this.requireIndex(td, id)).push({ at, wallAt, set: { ...props } });
    this.version++;
    return list;
  }
}
