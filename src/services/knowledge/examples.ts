// The ways people ask for an article — its title, each example question, each synonym — kept one by
// one, so a question can be compared with its closest single example: words that meet in one example
// ("погиб" + "выплаты") say more than the same words scattered over the article.
import type { Locale } from "../../i18n.js";
import type { Article } from "./articles.js";
import { queryGroups, type Group } from "./query.js";

export interface Example {
  slots: Group[];
  weights: number[];
  total: number;
}

/**
 * Every article's examples in one language (a slot's weight is its rarity among all articles' examples),
 * and for each term the articles whose examples have it, in order. Equal slots and equal examples are
 * shared: thousands of articles hold far fewer distinct ones.
 */
export function buildExamples(articles: Article[], lang: Locale, idfPower: number): { examples: Example[][]; having: Map<string, Uint32Array> } {
  const shared = new Map<string, Group>();
  const parsed = articles.map((a) =>
    [a.title[lang] ?? "", ...(a.questions[lang] ?? []), ...(a.synonyms[lang] ?? [])]
      .map((t) =>
        queryGroups(t, lang).map((g) => {
          const key = g.terms.join(" ");
          return shared.get(key) ?? (shared.set(key, g), g);
        }),
      )
      .filter((slots) => slots.length),
  );
  const df = new Map<string, number>();
  const lists = new Map<string, number[]>();
  parsed.forEach((list, i) => {
    for (const key of new Set(list.flat().map((g) => g.terms[0]!))) df.set(key, (df.get(key) ?? 0) + 1);
    for (const t of new Set(list.flat().flatMap((g) => g.terms))) (lists.get(t) ?? (lists.set(t, []), lists.get(t)!)).push(i);
  });
  const n = articles.length;
  const idf = (key: string) => Math.log(1 + (n - df.get(key)! + 0.5) / (df.get(key)! + 0.5)) ** idfPower;
  const sharedExamples = new Map<string, Example>();
  const examples = parsed.map((list) =>
    list.map((slots) => {
      const key = slots.map((g) => g.terms.join(" ")).join("|");
      let ex = sharedExamples.get(key);
      if (!ex) {
        const weights = slots.map((g) => idf(g.terms[0]!));
        sharedExamples.set(key, (ex = { slots, weights, total: weights.reduce((x, y) => x + y, 0) }));
      }
      return ex;
    }),
  );
  return { examples, having: new Map([...lists].map(([t, at]) => [t, Uint32Array.from(at)])) };
}

/** Whether the article at `position` is in a sorted list of positions. */
export function includes(positions: Uint32Array | undefined, position: number): boolean {
  if (!positions) return false;
  let lo = 0;
  let hi = positions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = positions[mid]!;
    if (v === position) return true;
    if (v < position) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Scratch space for nearest, reused by every call (search is synchronous): slots of the example hit, and groups hit (by stamp). */
let slotHit = new Uint8Array(64);
let groupHit = new Uint32Array(64);
let stamp = 0;

/**
 * The best match of a question with one example: F-beta of how much of the question the example covers
 * and how much of the example the question covers (beta > 1 leans on the example being covered).
 * `found[g]` holds the article's terms that matched question group g (exact, typo or root).
 */
export function nearest(examples: Example[], weights: number[], total: number, found: (Set<string> | undefined)[], beta: number): number {
  // Each matched term's groups, so an example's terms are looked up once each, however long the question.
  const groupsOf = new Map<string, number[]>();
  found.forEach((terms, g) => {
    for (const t of terms ?? []) (groupsOf.get(t) ?? (groupsOf.set(t, []), groupsOf.get(t)!)).push(g);
  });
  if (groupHit.length < found.length) groupHit = new Uint32Array(2 * found.length);
  let best = 0;
  const b2 = beta * beta;
  for (const ex of examples) {
    let covered = 0;
    let hit = 0;
    if (slotHit.length < ex.slots.length) slotHit = new Uint8Array(2 * ex.slots.length);
    slotHit.fill(0, 0, ex.slots.length);
    const now = ++stamp;
    for (let s = 0; s < ex.slots.length; s++) {
      for (const t of ex.slots[s]!.terms) {
        const groups = groupsOf.get(t);
        if (!groups) continue;
        slotHit[s] = 1;
        for (const g of groups) groupHit[g] = now;
      }
    }
    // Summed in group order, as always, so the figure is the same to the last bit.
    for (let g = 0; g < found.length; g++) if (groupHit[g] === now) covered += weights[g]!;
    for (let s = 0; s < ex.slots.length; s++) if (slotHit[s]) hit += ex.weights[s]!;
    const c = covered / total;
    const p = ex.total ? hit / ex.total : 0;
    const f = c && p ? ((1 + b2) * c * p) / (b2 * c + p) : 0;
    if (f > best) best = f;
  }
  return best;
}
