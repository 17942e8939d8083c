// A question (or an example question of an article) as groups of alternative terms: each group is one
// thing the person asked about — a word's stem, or a concept from the abbreviation table with the
// word that named it. Coverage is counted per group, so "СФР" and "социальный фонд" count once.
import type { Locale } from "../../i18n.js";
import { findConcepts, tokens } from "./abbreviations.js";

export interface Group {
  terms: string[];
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
