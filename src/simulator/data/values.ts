/**
 * Value generators: each turns (record context, per-property hash) into the string HubSpot would send.
 * Pure functions, so any single property of any record can be computed without building the record.
 */
import { hash2 } from "../rng.js";
import {
  CITIES,
  COMPANY_SUFFIX,
  COUNTRIES,
  DOMAINS_TLD,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  STATES,
  TRICKY_SNIPPETS,
  WORDS,
} from "./pools.js";

/** What a generator may look at: the record's identity and times plus portal-wide lookups. */
export interface ValueCtx {
  index: number;
  id: string;
  h: number;
  createdAt: number;
  updatedAt: number;
  env: GenEnv;
}

/** Portal-wide lookups generators need (owners, ids of other objects, pipelines). */
export interface GenEnv {
  ownerIds: readonly string[];
  /** Id of the k-th base record of a type (k taken modulo the type's count); "" when the type is empty. */
  refId(type: string, k: number): string;
  /** The seeded data's time window (epoch ms): record-independent dates are drawn from it. */
  start: number;
  span: number;
  pipelines(type: string): readonly { id: string; stages: readonly { id: string }[] }[];
}

export type Gen = (c: ValueCtx, h: number, options?: readonly string[]) => string;

const pick = <T>(arr: readonly T[], h: number): T => arr[h % arr.length]!;
const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"));
const PAD2 = PAD3.slice(0, 100).map((s) => s.slice(1));
const pad2 = (n: number) => PAD2[n]!;
const pad3 = (n: number) => PAD3[n]!;

const dayCache = new Map<number, string>();
let lastDay = Number.NaN;
let lastPrefix = "";
/** ISO-8601 with millis, e.g. 2024-01-17T19:55:04.281Z; day prefixes are cached because toISOString is slow. */
export function isoMs(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix = day === lastDay ? lastPrefix : dayCache.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (dayCache.size > 50_000) dayCache.clear();
    dayCache.set(day, prefix);
  }
  lastDay = day;
  lastPrefix = prefix;
  let r = ms - day * 86_400_000;
  const hh = Math.floor(r / 3_600_000);
  r -= hh * 3_600_000;
  const mm = Math.floor(r / 60_000);
  r -= mm * 60_000;
  const ss = Math.floor(r / 1000);
  return prefix + pad2(hh) + ":" + pad2(mm) + ":" + pad2(ss) + "." + pad3(r - ss * 1000) + "Z";
}

/** A date-only value (YYYY-MM-DD). */
export function isoDate(ms: number): string {
  return isoMs(ms).slice(0, 10);
}

/**
 * Precomputed tables: building strings word by word per value was the list hot path's main cost, so texts
 * are drawn from 4096-entry tables indexed by the hash (still deterministic, still varied enough).
 */
const TABLE = 4096;
const table = (f: (h: number) => string): string[] => Array.from({ length: TABLE }, (_, i) => f(hash2(0x7ab1e, i)));
const wordsRaw = (h: number, n: number) => {
  let s = pick(WORDS, h);
  for (let i = 1; i < n; i++) s += " " + pick(WORDS, hash2(h, i));
  return s;
};
const WORDS_T = table((h) => wordsRaw(h, 2 + (h % 3)));
const SENTENCE_T = table((h) => {
  const s = wordsRaw(h, 4 + (h % 8));
  return h % 9 === 0 ? s + " " + pick(TRICKY_SNIPPETS, h >>> 5) : s;
});
const HTML_T = SENTENCE_T.map((t) => "<div><p>" + t.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</p></div>");
const LOCAL_T = table((h) => (pick(FIRST_NAMES, h) + "." + pick(LAST_NAMES, h >>> 8)).toLowerCase() + (h % 997));
const DOMAIN_T = table((h) => pick(WORDS, h) + (h % 100) + "." + pick(DOMAINS_TLD, h >>> 12));
const PERCENT_T = Array.from({ length: 101 }, (_, i) => String(i / 100));
const tpick = (t: readonly string[], h: number) => t[h & (TABLE - 1)]!;

const FIRST_LOWER = FIRST_NAMES.map((n) => n.toLowerCase());
const LAST_LOWER = LAST_NAMES.map((n) => n.toLowerCase());
const firstName = (c: ValueCtx) => pick(FIRST_NAMES, hash2(c.h, 11));
const lastName = (c: ValueCtx) => pick(LAST_NAMES, hash2(c.h, 12));
const domain = (c: ValueCtx) => tpick(DOMAIN_T, hash2(c.h, 13));
const email = (h: number) => tpick(LOCAL_T, h) + "@" + tpick(DOMAIN_T, h >>> 12);
const phone = (h: number) => "+1 " + (200 + (h % 800)) + "-555-" + (1000 + ((h >>> 10) % 9000));
const words = (h: number, _n: number) => tpick(WORDS_T, h);
const sentence = (h: number) => tpick(SENTENCE_T, h);
const between = (c: ValueCtx, h: number) => c.createdAt + (h % Math.max(1, c.updatedAt - c.createdAt + 1));
const emails = (h: number, max: number) => {
  const n = 1 + (h % max);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(email(hash2(h, i + 40)));
  return out.join(";");
};
const pipelineOf = (c: ValueCtx, type: string) => pick(c.env.pipelines(type), hash2(c.h, 21));
const stageOf = (c: ValueCtx, type: string) => {
  const p = pipelineOf(c, type);
  return p ? pick(p.stages, hash2(c.h, 22)).id : "";
};

/**
 * Generators that ignore the record (only the hash matters): their values come from a per-property table
 * of TABLE_SIZE entries, pre-encoded as JSON fragments, which makes list pages cheap to build.
 */
export const TABLE_GENS = new Set([
  "datetime",
  "date",
  "company",
  "word",
  "words",
  "sentence",
  "paragraph",
  "html",
  "int",
  "small",
  "money",
  "percent",
  "durationMs",
  "bool",
  "enum",
  "multi",
  "phone",
  "city",
  "state",
  "country",
  "zip",
  "address",
  "jobtitle",
  "uuid",
  "anyEmail",
  "emailList",
]);
/** Distinct values per table-backed property: small enough that all fragments of a 50-property plan stay
 * cache-resident (larger tables measurably slowed page encoding), large enough for varied data. */
export const TABLE_SIZE = 128;

/** Generators whose output may need JSON escaping (quotes, newlines, non-ASCII); all others emit plain ASCII. */
export const UNSAFE_GENS = new Set(["sentence", "paragraph", "html"]);

/** Named generators referenced by the property specs. */
export const GENS: Record<string, Gen> = {
  id: (c) => c.id,
  created: (c) => isoMs(c.createdAt),
  modified: (c) => isoMs(c.updatedAt),
  firstname: firstName,
  lastname: lastName,
  fullname: (c) => firstName(c) + " " + lastName(c),
  email: (c) =>
    FIRST_LOWER[hash2(c.h, 11) % FIRST_LOWER.length] +
    "." +
    LAST_LOWER[hash2(c.h, 12) % LAST_LOWER.length] +
    (c.index % 1000) +
    "@" +
    domain(c),
  // (contacts' email follows the record's own first/last name; other addresses come from the table)
  anyEmail: (_c, h) => email(h),
  emailList: (_c, h) => emails(h, 3),
  phone: (_c, h) => phone(h),
  company: (_c, h) => pick(WORDS, h) + " " + pick(COMPANY_SUFFIX, h >>> 8),
  domain,
  website: (c) => "https://www." + domain(c),
  city: (_c, h) => pick(CITIES, h),
  state: (_c, h) => pick(STATES, h),
  country: (_c, h) => pick(COUNTRIES, h),
  zip: (_c, h) => String(10000 + (h % 89999)),
  address: (_c, h) => 1 + (h % 999) + " " + pick(WORDS, h >>> 4) + " Street",
  jobtitle: (_c, h) => pick(JOB_TITLES, h),
  word: (_c, h) => pick(WORDS, h),
  words: (_c, h) => words(h, 2 + (h % 3)),
  sentence: (_c, h) => sentence(h),
  paragraph: (_c, h) => sentence(h) + ". " + sentence(h >>> 12) + ". " + sentence(h >>> 20),
  html: (_c, h) => tpick(HTML_T, h),
  int: (_c, h) => String(h % 5000),
  small: (_c, h) => String(h % 20),
  money: (_c, h) => {
    // Integer arithmetic: number→string of fractional doubles is slow, and "12.5" / "12.05" / "12" all occur.
    if (h % 7 === 0) return String(h % 100000);
    const cents = h % 10_000_000;
    const frac = cents % 100;
    const whole = (cents - frac) / 100;
    return frac === 0 ? String(whole) : frac % 10 === 0 ? whole + "." + frac / 10 : whole + "." + pad2(frac);
  },
  percent: (_c, h) => PERCENT_T[h % 101]!,
  durationMs: (_c, h) => String(h % 3_600_000),
  bool: (_c, h) => (h & 1 ? "true" : "false"),
  enum: (_c, h, options) => (options?.length ? pick(options, h) : ""),
  multi: (_c, h, options) =>
    options?.length ? options.filter((_o, i) => hash2(h, i) % 3 === 0).join(";") || options[0]! : "",
  // Free-standing dates are not tied to the record's own times (HubSpot data rarely is): table-backed.
  datetime: (c, h) => isoMs(c.env.start + Math.floor((h / 1073741824) * c.env.span)),
  date: (c, h) => isoDate(c.env.start + Math.floor((h / 1073741824) * c.env.span)),
  future: (c, h) => isoMs(c.updatedAt + (h % (90 * 86_400_000))),
  /** A meeting's end: its start (same generator and hash as hs_meeting_start_time) plus 15–120 minutes. */
  meetingStart: (c) => isoMs(between(c, hash2(c.h, 31))),
  meetingEnd: (c) => isoMs(between(c, hash2(c.h, 31)) + (1 + (c.h % 8)) * 15 * 60_000),
  timestamp: (c) => isoMs(between(c, hash2(c.h, 31))),
  owner: (c, h) => (c.env.ownerIds.length ? pick(c.env.ownerIds, h) : ""),
  dealPipeline: (c) => pipelineOf(c, "deals")?.id ?? "",
  dealStage: (c) => stageOf(c, "deals"),
  ticketPipeline: (c) => pipelineOf(c, "tickets")?.id ?? "",
  ticketStage: (c) => stageOf(c, "tickets"),
  dealId: (c, h) => c.env.refId("deals", h),
  productId: (c, h) => c.env.refId("products", h),
  companyId: (c, h) => c.env.refId("companies", h),
  recordingUrl: (c) => "https://api.hubspot.com/calls/v1/recordings/" + c.id + ".mp3",
  uuid: (_c, h) => {
    const a = hash2(h, 1).toString(16).padStart(8, "0");
    const b = hash2(h, 2).toString(16).padStart(8, "0");
    const d = hash2(h, 3).toString(16).padStart(8, "0");
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-a${d.slice(1, 4)}-${d}${a.slice(0, 4)}`;
  },
};
