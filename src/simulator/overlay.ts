/**
 * Mutations layered over the seeded records. Each changed record keeps its versions so search can be
 * served from a lagging view (what the search index has seen) while list/batch read the latest state.
 */

export interface Version {
  /** Simulated time of the change. */
  at: number;
  /** Wall-clock time of the change (index lag is measured against either clock). */
  wallAt: number;
  set?: Record<string, string | null>;
  created?: boolean;
  archived?: boolean;
  /** Merged away: the record is gone from list, archived list and search (its id redirects to the survivor). */
  removed?: boolean;
}

/** The folded state of a record's versions. */
export interface State {
  exists: boolean;
  created: boolean;
  createdAt?: number;
  updatedAt?: number;
  archived: boolean;
  archivedAt?: number;
  set: Record<string, string | null>;
  /** Property → [(value, timestamp)] newest first, for propertiesWithHistory. */
  history: Record<string, { value: string | null; timestamp: number }[]>;
}

/** A predicate on versions: which ones a reader can see. */
export type VersionFilter = (v: Version) => boolean;

export function fold(versions: readonly Version[], isBase: boolean, visible?: VersionFilter): State {
  const st: State = { exists: isBase, created: false, archived: false, set: {}, history: {} };
  for (const v of versions) {
    if (visible && !visible(v)) continue;
    if (v.created) {
      st.exists = true;
      st.created = true;
      st.createdAt = v.at;
      st.updatedAt = v.at;
    }
    if (v.set) {
      if (!v.created) st.updatedAt = v.at;
      for (const [k, val] of Object.entries(v.set)) {
        st.set[k] = val;
        const h = st.history[k] ?? [];
        h.unshift({ value: val, timestamp: v.at });
        st.history[k] = h;
      }
    }
    // Archiving sets archivedAt but leaves updatedAt / lastmodifieddate alone, as HubSpot does.
    if (v.archived) {
      st.archived = true;
      st.archivedAt = v.at;
    }
    if (v.removed) st.exists = false;
  }
  return st;
}

/** One changed record: its versions and the cached latest state. */
export class Mutated {
  readonly versions: Version[] = [];
  cur: State;
  constructor(private readonly isBase: boolean) {
    this.cur = fold([], isBase);
  }
  push(v: Version): void {
    this.versions.push(v);
    this.cur = fold(this.versions, this.isBase);
  }
  view(visible: VersionFilter): State {
    return this.versions.every(visible) ? this.cur : fold(this.versions, this.isBase, visible);
  }
}
