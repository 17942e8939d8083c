// Finds the articles that answer a question, in memory (minisearch), and judges whether the best one
// is good enough to offer. Scores are 0..1: the informative share of the question an article covers,
// scaled by how it ranks against the best match, so one fixed threshold means the same for any question.
import MiniSearch, { type SearchResult } from "minisearch";
import { LOCALES, type Locale } from "../../i18n.js";
import type { Category, Role } from "../vocabulary.js";
import { findConcepts, tokens } from "./abbreviations.js";
import type { Article } from "./articles.js";
import { searchLanguages, term, words } from "./text.js";

export interface Hit {
  id: string;
  category: Category;
  score: number;
}

export interface SearchOptions {
  lang: Locale;
  limit?: number;
  /** The person's role and region; null or absent means no preference. */
  role?: Role | null;
  region?: string | null;
}

/** The parts of an article that are searched, and how much a match in each counts. */
export const PARTS = { title: { boost: 3, strength: 1 }, questions: { boost: 3, strength: 1 }, synonyms: { boost: 2, strength: 1 }, body: { boost: 1, strength: 0.6 } };
type Part = keyof typeof PARTS;
const field = (part: Part, lang: Locale) => `${part}_${lang}`;
const FIELDS = LOCALES.flatMap((l) => (Object.keys(PARTS) as Part[]).map((p) => field(p, l)));
const langOf = (f: string) => f.slice(-2) as Locale;
const strengthOf = (f: string) => PARTS[f.slice(0, -3) as Part].strength;

export const TUNING = {
  /** A typo or prefix match counts this much of an exact one. */
  inexact: 0.7,
  /** Typos forgiven in stems this long or longer, up to this share of the letters (minisearch fuzzy). */
  fuzzyMin: 5,
  fuzzy: 0.2,
  /** A stem this long also finds longer words it begins. */
  prefixMin: 5,
  /** A word no article knows weighs this share of the rarest known word (often filler, sometimes off-topic). */
  unknown: 0.8,
  /** Rare words count more, but dampened: a rare side word should not outweigh the point of a question. */
  idfPower: 0.5,
  /** How much of the score is the rank against the best match (the rest is coverage alone). */
  rank: 0.7,
  /** A person outside an article's audience or regions still sees it, lower. */
  otherRole: 0.7,
  otherRegion: 0.5,
  /** An answer found in a language other than the person's own ranks a little lower. */
  otherLanguage: 0.9,
  /** Stems this long also index their first this-many letters (0: off). */
  root: 7,
  /** Share of the support from other articles of the same category added to an article's score. */
  family: 0,
  /** Hits below this are noise and never returned. */
  floor: 0.05,
};

interface Group {
  /** Alternatives: a stem, or a concept from the abbreviation table with the stem that named it. */
  terms: string[];
}

/** Breaks a question into groups of alternative terms; each group is one thing the person asked about. */
export function queryGroups(query: string, lang: Locale): Group[] {
  const seq = tokens(query, lang);
  const terms = seq.map((t) => t.term);
  const groups: Group[] = [];
  let at = 0;
  for (const c of findConcepts(seq, lang)) {
    for (; at < c.from; at++) groups.push({ terms: [terms[at]!] });
    groups.push({ terms: c.to - c.from === 1 ? [terms[c.from]!, c.concept] : [c.concept] });
    at = c.to;
  }
  for (; at < terms.length; at++) groups.push({ terms: [terms[at]!] });
  for (const g of groups) if (g.terms.length === 1) g.terms = withRoot(g.terms[0]!);
  const seen = new Set<string>();
  return groups.filter((g) => !seen.has(g.terms.join(" ")) && !!seen.add(g.terms.join(" ")));
}

/** Index-time tokens: the words of each line, plus the concepts they name. */
function tokenize(text: string, fieldName?: string): string[] {
  if (!fieldName) return text.split(" "); // a query: already terms, joined by spaces
  const lang = langOf(fieldName);
  const out: string[] = [];
  for (const line of text.split("\n")) {
    out.push(...words(line));
    out.push(...findConcepts(tokens(line, lang), lang).map((c) => c.concept));
  }
  return out;
}

/** Stems each word by its field's language; concepts and query terms pass as they are. */
function processTerm(token: string, fieldName?: string): string | string[] | null {
  if (!fieldName || token.startsWith("§")) return token;
  const t = term(token, langOf(fieldName));
  return t && withRoot(t);
}

/** A long stem also stands for its first letters, so word families meet (мобилизова/мобилизац). */
function withRoot(t: string): string[] {
  return TUNING.root && t.length >= TUNING.root && !/\p{N}/u.test(t) ? [t, `≈${t.slice(0, TUNING.root)}`] : [t];
}

export class KnowledgeIndex {
  private readonly mini: MiniSearch;
  private readonly meta = new Map<string, Pick<Article, "category" | "audience" | "regions">>();
  private readonly size: number;

  constructor(articles: Article[]) {
    this.mini = new MiniSearch({ fields: FIELDS, idField: "id", tokenize, processTerm });
    this.mini.addAll(articles.map((a) => this.document(a)));
    this.size = articles.length;
  }

  private document(a: Article): Record<string, string> {
    this.meta.set(a.id, { category: a.category, audience: a.audience, regions: a.regions });
    const doc: Record<string, string> = { id: a.id };
    for (const lang of LOCALES) {
      doc[field("title", lang)] = a.title[lang] ?? "";
      doc[field("questions", lang)] = (a.questions[lang] ?? []).join("\n");
      doc[field("synonyms", lang)] = (a.synonyms[lang] ?? []).join("\n");
      doc[field("body", lang)] = a.body[lang] ?? "";
    }
    return doc;
  }

  /** Articles for a question, best first, scores 0..1. */
  search(query: string, opts: SearchOptions): Hit[] {
    const best = new Map<string, number>();
    searchLanguages(query, opts.lang).forEach((lang, i) => {
      for (const [id, score] of this.searchIn(query, lang)) {
        const s = score * (i ? TUNING.otherLanguage : 1) * this.fit(id, opts);
        if (s > (best.get(id) ?? 0)) best.set(id, s);
      }
    });
    if (TUNING.family) {
      const mass = new Map<Category, number>();
      for (const [id, s] of best) mass.set(this.meta.get(id)!.category, (mass.get(this.meta.get(id)!.category) ?? 0) + s);
      for (const [id, s] of best) best.set(id, Math.min(1, s + TUNING.family * (mass.get(this.meta.get(id)!.category)! - s)));
    }
    return [...best]
      .filter(([, s]) => s >= TUNING.floor)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, opts.limit ?? 5)
      .map(([id, score]) => ({ id, category: this.meta.get(id)!.category, score: Math.round(score * 1000) / 1000 }));
  }

  /** 1 when the article is meant for this person, less when its audience or regions leave them out. */
  private fit(id: string, opts: SearchOptions): number {
    const m = this.meta.get(id)!;
    let f = 1;
    if (opts.role && m.audience !== "all" && !m.audience.includes(opts.role)) f *= TUNING.otherRole;
    if (opts.region && m.regions !== "all" && !m.regions.includes(opts.region)) f *= TUNING.otherRegion;
    return f;
  }

  private searchIn(query: string, lang: Locale): Map<string, number> {
    const fields = (Object.keys(PARTS) as Part[]).map((p) => field(p, lang));
    const boost = Object.fromEntries((Object.keys(PARTS) as Part[]).map((p) => [field(p, lang), PARTS[p].boost]));
    const maxIdf = Math.log(1 + (this.size - 0.5) / 1.5);
    const docs = new Map<string, { covered: number; raw: number }>();
    let total = 0;
    for (const g of queryGroups(query, lang)) {
      const results: SearchResult[] = this.mini.search(g.terms.join(" "), { fields, boost, fuzzy: fuzzyFor, prefix: prefixFor });
      const df = results.length;
      const weight = (df ? Math.log(1 + (this.size - df + 0.5) / (df + 0.5)) : TUNING.unknown * maxIdf) ** TUNING.idfPower;
      total += weight;
      for (const r of results) {
        let strength = 0;
        for (const [docTerm, inFields] of Object.entries(r.match)) {
          const exact = g.terms.includes(docTerm) && !docTerm.startsWith("≈") ? 1 : TUNING.inexact;
          for (const f of inFields) strength = Math.max(strength, exact * strengthOf(f));
        }
        const d = docs.get(r.id) ?? { covered: 0, raw: 0 };
        d.covered += weight * strength;
        d.raw += r.score / r.queryTerms.length;
        docs.set(r.id, d);
      }
    }
    const out = new Map<string, number>();
    if (!total) return out;
    let top = 0;
    for (const d of docs.values()) top = Math.max(top, d.raw);
    for (const [id, d] of docs) out.set(id, (d.covered / total) * (1 - TUNING.rank + (TUNING.rank * d.raw) / top));
    return out;
  }
}

// Typos are forgiven in longer words only: in short ones a typo is just another word.
const fuzzyFor = (t: string) => (t.length >= TUNING.fuzzyMin && !t.startsWith("§") && !/\p{N}/u.test(t) ? TUNING.fuzzy : false);
const prefixFor = (t: string) => t.length >= TUNING.prefixMin && !t.startsWith("§");

export type Verdict = "answer" | "unsure" | "none";

export const JUDGE = {
  /** The best hit must cover at least this to be offered at all. */
  threshold: 0.35,
  /** ...and beat the next by this much to be offered alone. */
  margin: 0.1,
  /** Choices offered when unsure. */
  choices: 3,
};

/** Whether to answer with the best hit, offer a few choices, or admit nothing fits. */
export function judge(hits: Hit[]): { verdict: Verdict; hits: Hit[] } {
  const [first, second] = hits;
  if (!first || first.score < JUDGE.threshold) return { verdict: "none", hits: [] };
  if (!second || first.score - second.score >= JUDGE.margin) return { verdict: "answer", hits: [first] };
  const close = hits.filter((h) => h.score >= JUDGE.threshold && first.score - h.score < JUDGE.margin * 2);
  return { verdict: "unsure", hits: close.slice(0, JUDGE.choices) };
}
