// Finds the articles that answer a question, in memory (minisearch). A score is 0..1: the share of the
// question's informative words an article covers (rarer words weigh more), scaled by its rank against the
// best match and by its closest example question — so one fixed threshold (judge.ts) means the same for
// a short question and a long story. Never touches the database, the network or Telegram.
import MiniSearch from "minisearch";
import SearchableMap from "minisearch/SearchableMap";
import { LOCALES, type Locale } from "../../i18n.js";
import type { Category, Role } from "../vocabulary.js";
import { findConcepts, tokens } from "./abbreviations.js";
import type { Article } from "./articles.js";
import { buildExamples, includes, nearest, type Example } from "./examples.js";
import { byDescending, Postings } from "./postings.js";
import { queryGroups, reachTerms, withRoot, type Group, type Reach } from "./query.js";
import { JUDGE, TUNING } from "./tuning.js";
import { searchLanguages, term, words } from "./text.js";

export interface Hit {
  id: string;
  category: Category;
  score: number;
}

export interface SearchOptions {
  lang: Locale;
  /** How many hits at most (default 5). */
  limit?: number;
  /** The person's role and region; null or absent means no preference. */
  role?: Role | null;
  region?: string | null;
}

/** The parts of an article that are searched, and their BM25 boosts. */
export const PARTS = {
  title: { boost: 3 },
  questions: { boost: 3 },
  synonyms: { boost: 2 },
  body: { boost: 1 },
};
type Part = keyof typeof PARTS;
const PART_NAMES = Object.keys(PARTS) as Part[];
const field = (part: Part, lang: Locale) => `${part}_${lang}`;
const FIELDS = LOCALES.flatMap((l) => PART_NAMES.map((p) => field(p, l)));
const langOf = (f: string) => f.slice(-2) as Locale;

/** Index-time tokens: the words of each line, plus the concepts they name (a phrase never spans lines). */
function tokenize(text: string, fieldName?: string): string[] {
  if (!fieldName) return text.split(" "); // a query: already terms, joined by spaces
  const lang = langOf(fieldName);
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const ws = words(line);
    out.push(...ws);
    for (const c of findConcepts(tokens(ws, lang), lang)) out.push(c.concept);
  }
  return out;
}

/**
 * The articles a question's terms found so far, by position, in the order found, with their BM25 from
 * minisearch (terms weighted by how well they reach a group), and which terms met each one, where.
 * Kept flat: a question finds hundreds of articles, and only the best few (the pool) are looked at closely.
 */
interface Gathered {
  order: number[];
  /** Per term that met an article: the article, the term, and whether it met it in the body. */
  at: number[];
  term: string[];
  inBody: boolean[];
}

/** An article of the pool while a question is scored: its BM25, and the question terms found in its titles, questions or synonyms (`asked`) and in its body. */
interface Candidate {
  id: string;
  at: number;
  raw: number;
  asked: Set<string>;
  body: Set<string>;
}

/** The search index of a set of articles (ids must be distinct, as loadArticles and mergeArticles ensure). Build once, search often. */
export class KnowledgeIndex {
  /** The postings minisearch built, in flat arrays (minisearch itself is only used to build them). */
  private readonly postings: Postings;
  private readonly meta = new Map<string, Pick<Article, "category" | "audience" | "regions">>();
  /** Per language: every indexed term with the number of articles that have it (anywhere; in the body). */
  private readonly vocabulary = {} as Record<Locale, SearchableMap<number>>;
  private readonly inBodies: Record<Locale, Map<string, number>>;
  /** Per language: each article's examples (by position), and for each term the positions of articles whose examples have it. */
  private readonly examples = {} as Record<Locale, Example[][]>;
  private readonly having = {} as Record<Locale, Map<string, Uint32Array>>;
  private readonly size: number;
  /** Per article (by position), its BM25 for the question being scored, and the search that last found it. */
  private readonly raw: Float64Array;
  private readonly foundIn: Uint32Array;
  private searches = 0;

  constructor(articles: Article[]) {
    const perLang = <T>(make: () => T) => Object.fromEntries(LOCALES.map((l) => [l, make()])) as Record<Locale, T>;
    const df = perLang(() => new Map<string, number>());
    this.inBodies = perLang(() => new Map<string, number>());
    // Terms already counted for the article being added, per language (anywhere; in the body).
    const seen = perLang(() => new Set<string>());
    const seenInBody = perLang(() => new Set<string>());
    const count = (counts: Map<string, number>, already: Set<string>, t: string) => {
      if (already.has(t)) return;
      already.add(t);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    };
    // Stems each word by its field's language, and counts in how many articles each term occurs.
    const processTerm = (token: string, fieldName?: string): string[] | string | null => {
      if (!fieldName) return token;
      const lang = langOf(fieldName);
      const stem = token.startsWith("§") ? token : term(token, lang);
      const terms = stem ? withRoot(stem) : [];
      const body = fieldName.startsWith("body");
      for (const t of terms) {
        count(df[lang], seen[lang], t);
        if (body) count(this.inBodies[lang], seenInBody[lang], t);
      }
      return terms;
    };
    const mini = new MiniSearch({ fields: FIELDS, idField: "id", tokenize, processTerm });
    for (const a of articles) {
      for (const lang of LOCALES) {
        seen[lang].clear();
        seenInBody[lang].clear();
      }
      mini.add(this.document(a));
    }
    this.postings = new Postings(mini.toJSON());
    this.size = articles.length;
    for (const lang of LOCALES) {
      this.vocabulary[lang] = SearchableMap.from(df[lang]);
      ({ examples: this.examples[lang], having: this.having[lang] } = buildExamples(articles, lang, TUNING.idfPower));
    }
    // Positions are minisearch's short ids: the order the articles were added.
    articles.forEach((a, i) => {
      if (this.postings.idAt(i) !== a.id) throw new Error(`knowledge index: article ${a.id} is not at position ${i}`);
    });
    this.raw = new Float64Array(articles.length);
    this.foundIn = new Uint32Array(articles.length);
  }

  private document(a: Article): Record<string, string | undefined> {
    this.meta.set(a.id, { category: a.category, audience: a.audience, regions: a.regions });
    const doc: Record<string, string | undefined> = { id: a.id };
    for (const lang of LOCALES) {
      doc[field("title", lang)] = a.title[lang];
      doc[field("questions", lang)] = a.questions[lang]?.join("\n");
      doc[field("synonyms", lang)] = a.synonyms[lang]?.join("\n");
      doc[field("body", lang)] = a.body[lang];
    }
    return doc;
  }

  /** Articles for a question, best first, scores 0..1 (`judge` says what to do with them). */
  search(query: string, opts: SearchOptions): Hit[] {
    const limit = opts.limit ?? 5;
    const best = new Map<string, number>();
    // Latin letters may be English or Lithuanian: the person's language first, the other only if that found nothing good.
    for (const [i, lang] of searchLanguages(query, opts.lang).entries()) {
      if (i && [...best.values()].some((s) => s >= JUDGE.threshold)) break;
      for (const [id, score] of this.searchIn(query, lang, limit)) {
        const s = score * (i ? TUNING.otherLanguage : 1) * this.fit(id, opts);
        if (s > (best.get(id) ?? 0)) best.set(id, s);
      }
    }
    return [...best]
      .filter(([, s]) => s >= TUNING.floor)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
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

  /**
   * Scores in one language. Words that most articles have ("муж", "выплаты") are not walked through
   * minisearch: candidates come from the rarer words, and common words are then checked in each
   * candidate's titles, questions and synonyms. Only when articles missed that way could still make the
   * top `k` are the common words searched as well, so the result is the same, only faster.
   */
  private searchIn(query: string, lang: Locale, k: number): Map<string, number> {
    const groups = queryGroups(query, lang);
    const { reach, df } = reachTerms(groups, this.vocabulary[lang]);
    const maxIdf = Math.log(1 + (this.size - 0.5) / 1.5);
    let unknown = 0;
    // Each further unknown word weighs less: a long story is mostly words no article has, which should not drown the rest.
    const weights = df.map((n) => (n ? Math.log(1 + (this.size - n + 0.5) / (n + 0.5)) : TUNING.unknown * maxIdf * TUNING.unknownDecay ** unknown++) ** TUNING.idfPower);
    const total = weights.reduce((x, y) => x + y, 0);
    if (!reach.size || !total) return new Map();

    const common = df.map((n) => n > TUNING.commonShare * this.size);
    const termsOf = (groupsOf: (g: number) => boolean) => [...reach].filter(([, xs]) => xs.some((x) => groupsOf(x.group))).map(([t]) => t);
    const candidates: Gathered = { order: [], at: [], term: [], inBody: [] };
    this.searches++;
    const searched = new Set(termsOf((g) => !common[g]));
    this.collect(candidates, [...searched], lang, reach);
    // Common groups, rarest first, are searched only while an article outside the candidates could still
    // make the top k: such an article scores at most the weight of the groups not searched yet.
    const waiting = groups.map((_, g) => g).filter((g) => common[g]).sort((a, b) => weights[b]! - weights[a]!);
    for (;;) {
      const unsearched = new Set(termsOf((g) => waiting.includes(g)).filter((t) => !searched.has(t)));
      const scores = this.score(candidates, lang, groups, reach, weights, total, unsearched);
      const outside = waiting.reduce((s, g) => s + weights[g]!, 0) / total;
      if (!waiting.length || [...scores.values()].filter((s) => s >= outside).length >= k) return scores;
      const g = waiting.shift();
      const next = termsOf((x) => x === g).filter((t) => !searched.has(t));
      for (const t of next) searched.add(t);
      this.collect(candidates, next, lang, reach, false); // a common word's body matches are not worth walking

    }
  }

  /** Adds minisearch's matches for these terms (all of titles, questions, synonyms; bodies for terms few bodies have). */
  private collect(into: Gathered, terms: string[], lang: Locale, reach: Map<string, Reach[]>, bodies = true): void {
    const boost = Object.fromEntries(PART_NAMES.map((p) => [field(p, lang), PARTS[p].boost]));
    const boostTerm = (t: string) => Math.max(...reach.get(t)!.map((r) => r.boost));
    const inBody = bodies ? terms.filter((t) => (this.inBodies[lang].get(t) ?? 0) <= TUNING.bodyShare * this.size) : [];
    const asked = PART_NAMES.filter((p) => p !== "body").map((p) => field(p, lang));
    const found = (at: number, score: number) => {
      if (this.foundIn[at] !== this.searches) {
        this.foundIn[at] = this.searches;
        this.raw[at] = 0;
        into.order.push(at);
      }
      this.raw[at] = this.raw[at]! + score;
    };
    for (const [list, fields] of [[terms, asked], [inBody, [field("body", lang)]]] as const) {
      if (!list.length) continue;
      const body = fields.length === 1;
      this.postings.search(list, fields, boost, boostTerm, found, (at, t) => {
        into.at.push(at);
        into.term.push(t);
        into.inBody.push(body);
      });
    }
  }

  /** The articles with the best BM25 (all, when there are few), each with the question terms that met it. */
  private pool(gathered: Gathered): Candidate[] {
    const raw = this.raw;
    // Only the best by BM25 are scored in full: coverage and BM25 rarely disagree further down.
    const best = gathered.order.length > TUNING.pool ? [...gathered.order].sort((a, b) => byDescending(raw[a]!, raw[b]!)).slice(0, TUNING.pool) : gathered.order;
    const byPosition = new Map(best.map((at) => [at, { id: this.postings.idAt(at), at, raw: raw[at]!, asked: new Set<string>(), body: new Set<string>() }]));
    for (let i = 0; i < gathered.at.length; i++) {
      const c = byPosition.get(gathered.at[i]!);
      if (c) (gathered.inBody[i] ? c.body : c.asked).add(gathered.term[i]!);
    }
    return [...byPosition.values()];
  }

  /** Coverage of the question, rank against the best, and the closest single example, for each candidate. */
  private score(
    candidates: Gathered,
    lang: Locale,
    groups: Group[],
    reach: Map<string, Reach[]>,
    weights: number[],
    total: number,
    unsearched: Set<string>,
  ): Map<string, number> {
    let top = 0;
    for (const at of candidates.order) top = Math.max(top, this.raw[at]!);
    const pool = this.pool(candidates);
    // Calls back for every question term the article has, with how well it covers its group; terms not
    // searched are looked up in the article's own titles, questions and synonyms.
    const each = (c: Candidate, visit: (x: Reach, t: string, strength: number) => void) => {
      const seen = (t: string, where: number) => {
        for (const x of reach.get(t)!) visit(x, t, where * (x.exact ? 1 : TUNING.inexact));
      };
      for (const t of c.asked) seen(t, 1);
      for (const t of c.body) if (!c.asked.has(t)) seen(t, TUNING.body);
      if (unsearched.size) {
        for (const t of unsearched) if (includes(this.having[lang].get(t), c.at)) seen(t, 1);
      }
    };
    const strength = new Float64Array(groups.length);
    const first: { c: Candidate; score: number }[] = [];
    for (const c of pool) {
      strength.fill(0);
      each(c, (x, _, s) => (strength[x.group] = Math.max(strength[x.group]!, s)));
      let covered = 0;
      for (let g = 0; g < groups.length; g++) covered += strength[g]! * weights[g]!;
      first.push({ c, score: (covered / total) * (1 - TUNING.rank + (TUNING.rank * c.raw) / top) });
    }
    first.sort((a, b) => byDescending(a.score, b.score));
    const out = new Map<string, number>();
    first.forEach(({ c, score }, i) => {
      let near = 0;
      if (i < TUNING.shortlist) {
        const found: (Set<string> | undefined)[] = new Array(groups.length);
        each(c, (x, t) => (found[x.group] ??= new Set()).add(t));
        near = nearest(this.examples[lang][c.at] ?? [], weights, total, found, TUNING.exampleBeta);
      }
      out.set(c.id, score * (1 - TUNING.example + TUNING.example * near));
    });
    return out;
  }
}

export { judge, type Verdict } from "./judge.js";
export { JUDGE, TUNING } from "./tuning.js";
