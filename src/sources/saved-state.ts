/**
 * Saved states as they come back from users and older connectors: a cursor that is `""` (Airbyte's own states
 * hold those), `null`, or not a date means "no cursor". Every reader gets the state through here first.
 */
import { cursorMillis } from "../operators/filter-by-cursor.js";
import { cursorPerParent } from "./kinds/per-parent.js";
import type { StreamState } from "./page.js";
import type { StreamDef } from "./stream-def.js";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const shown = (v: unknown) => (JSON.stringify(v) ?? "undefined").slice(0, 40);
const unusable = (state: Record<string, unknown>, field: string) =>
  field in state && cursorMillis(state[field]) === undefined;

/**
 * The state with every unusable cursor taken out (the stream's cursor field, and each parent's for per-parent
 * cursors), and one warning naming the stream when there was any; undefined when nothing is left.
 *
 * @example
 * usableState(def, { updatedAt: "" }, warn); // undefined, warns "owners: the saved cursor updatedAt "" is not a date; …"
 */
export function usableState(
  def: StreamDef,
  state: StreamState | undefined,
  warn: (message: string) => void,
): StreamState | undefined {
  const field = def.cursorField;
  if (!state || !field) return state;
  const out: StreamState = { ...state };
  const bad: string[] = [];
  if (unusable(out, field)) {
    bad.push(shown(out[field]));
    delete out[field];
  }
  if (def.source.kind !== "crm-object" && cursorPerParent(def.source)) {
    for (const [key, value] of Object.entries(out)) {
      if (isObject(value) && unusable(value, field)) {
        bad.push(`${shown(value[field])} (${key})`);
        delete out[key];
      }
    }
  }
  if (bad.length) {
    const list = bad.slice(0, 3).join(", ") + (bad.length > 3 ? `, … (${bad.length} in all)` : "");
    warn(`${def.name}: the saved cursor ${field} ${list} is not a date; reading from start_date instead`);
  }
  return Object.keys(out).length ? out : undefined;
}
