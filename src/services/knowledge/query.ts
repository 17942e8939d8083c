// A question (or an example question of an article) as groups of alternative terms: each group is one
// thing the person asked about — a word's stem, or a concept from the abbreviation table with the
// word that named it. Coverage is counted per group, so "СФР" and "социальный фонд" count once.
import type SearchableMap from "minisearch/SearchableMap";
import type { Locale } from "../../i18n.js";
import { findConcepts, tokens } from "./abbreviations.js";
import { TUNING } from "./tuning.js";

export interface Group {
  terms: string[];
}

/** An index term a question group reaches, and how well (1 exact; less for typos, prefixes, roots). */
export interface Reach {
  group: number;
  exact: boolean;
  boost: number;
}

/** Stems this long also stand for their first letters, so word families meet (мобилизова/мобилизац). */
export const ROOT = 7;

/** A stem and, when long enough, its root ("≈" + first letters). */
export function withRoot(t: string): string[] {
  return t.length >= ROOT && !/\p{N}/u.test(t) && !t.startsWith("§") ? [t, `≈${t.slice(0, ROOT)}`] : [t];
}

/** Breaks a text into groups of alternative terms, in order, each group once. */
export function queryGroups(text: string, lang: Locale): Group[] {
  const seq = tokens(text, lang);
  const groups: Group[] = [];
  let at = 0;
  const plain = (i: number) => groups.push({ terms: withRoot(seq[i]!.term) });
  for (const c of findConcepts(seq, lang)) {
    for (; at < c.from; at++) plain(at);
    groups.push({ terms: c.to - c.from === 1 ? [...withRoot(seq[c.from]!.term), c.concept] : [c.concept] });
    at = c.to;
  }
  for (; at < seq.length; at++) plain(at);
  const seen = new Set<string>();
  return groups.filter((g) => {
    const key = g.terms.join(" ");
    return !seen.has(key) && !!seen.add(key);
  });
}

/** An index term a word reaches by a typo or as its beginning, with the boost minisearch itself gives such matches. */
interface Near {
  other: string;
  n: number;
  boost: number;
}

/**
 * Per vocabulary, the typos and longer words each stem reaches (walking the vocabulary's tree for
 * them was a fifth of a question's time). Bounded, as in text.ts: questions bring endless new words.
 */
const nearCache = new WeakMap<SearchableMap<number>, Map<string, Near[]>>();

/** The typos of a stem (minisearch fuzzy) and then the longer words it begins (prefix), in the order they are added. */
function nearTerms(t: string, vocabulary: SearchableMap<number>): Near[] {
  let cache = nearCache.get(vocabulary);
  if (!cache) nearCache.set(vocabulary, (cache = new Map()));
  const known = cache.get(t);
  if (known) return known;
  const out: Near[] = [];
  if (t.length >= TUNING.fuzzyMin && !/\p{N}/u.test(t)) {
    for (const [other, [n, distance]] of vocabulary.fuzzyGet(t, Math.round(t.length * TUNING.fuzzy))) {
      if (distance) out.push({ other, n, boost: (0.45 * other.length) / (other.length + distance) });
    }
  }
  if (t.length >= TUNING.prefixMin) {
    let taken = 0;
    for (const [other, n] of vocabulary.atPrefix(t)) {
      if (other === t || other.startsWith("≈")) continue;
      if (++taken > TUNING.prefixMax) break;
      out.push({ other, n, boost: (0.375 * other.length) / (other.length + 0.3 * (other.length - t.length)) });
    }
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(t, out);
  return out;
}

/**
 * The index terms each group reaches: itself, typos of it (minisearch fuzzy) and longer words it begins
 * (prefix), with the boost minisearch itself gives such matches; and each group's document frequency.
 */
export function reachTerms(groups: Group[], vocabulary: SearchableMap<number>): { reach: Map<string, Reach[]>; df: number[] } {
  const reach = new Map<string, Reach[]>();
  const add = (t: string, r: Reach) => {
    const list = reach.get(t);
    if (!list) reach.set(t, [r]);
    else if (!list.some((x) => x.group === r.group && x.boost >= r.boost)) list.push(r);
  };
  const df = groups.map((g, group) => {
    let most = 0;
    for (const t of g.terms) {
      const n = vocabulary.get(t);
      if (n) {
        add(t, { group, exact: !t.startsWith("≈"), boost: 1 });
        most = Math.max(most, n);
      }
      if (/^[§≈]/.test(t)) continue;
      for (const near of nearTerms(t, vocabulary)) {
        add(near.other, { group, exact: false, boost: near.boost });
        most = Math.max(most, near.n);
      }
    }
    return most;
  });
  return { reach, df };
}
