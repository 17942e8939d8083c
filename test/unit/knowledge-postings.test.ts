import { describe, expect, it } from "vitest";
import MiniSearch from "minisearch";
import { Postings } from "../../src/services/knowledge/postings.js";

// The search scores articles with its own walk over minisearch's postings (postings.ts). It must rank
// and score exactly as minisearch's own search would, or a minisearch upgrade (or a slip) would change
// answers without a word: compared here on articles of different lengths, fields, boosts and terms.
const words = "выплата пособие семья ребенок льгота справка фонд военный отпуск учеба жилье налог пенсия".split(" ");
let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!).join(" ");
const docs = Array.from({ length: 60 }, (_, i) => ({ id: `a${i}`, title: text(1 + (i % 4)), questions: i % 5 ? text(6) : undefined, body: text(5 + (i % 30)) }));
const fields = ["title", "questions", "body"];

function both(terms: string[], searchFields: string[], boost: Record<string, number>, boostTerm: (t: string) => number) {
  const mini = new MiniSearch({ fields, idField: "id" });
  mini.addAll(docs);
  const expected = mini.search(terms.join(" "), { fields: searchFields, boost, boostTerm, combineWith: "OR", fuzzy: false, prefix: false })
    .map((r) => ({ id: r.id as string, score: r.score / r.queryTerms.length, terms: Object.keys(r.match).sort() }));
  const postings = new Postings(mini.toJSON());
  const got = new Map<number, { id: string; score: number; terms: string[] }>();
  postings.search(terms, searchFields, boost, boostTerm, (at, score) => got.set(at, { id: postings.idAt(at), score, terms: [] }), (at, t) => got.get(at)!.terms.push(t));
  return { expected, got: [...got.values()].map((r) => ({ ...r, terms: r.terms.sort() })) };
}

describe("knowledge postings", () => {
  it("rank and score as minisearch's search, to the last bit", () => {
    const cases: [string[], string[], Record<string, number>, (t: string) => number][] = [
      [["выплата"], fields, {}, () => 1],
      [["выплата", "семья", "налог"], ["title", "questions"], { title: 3, questions: 3 }, () => 1],
      [["пособие", "учеба", "жилье", "нет-такого"], ["body"], { body: 1 }, (t) => (t === "учеба" ? 0.42 : 1)],
      [words, fields, { title: 3, questions: 2, body: 1 }, (t) => 0.3 + t.length / 10],
    ];
    for (const [terms, f, boost, boostTerm] of cases) {
      const { expected, got } = both(terms, f, boost, boostTerm);
      expect(expected.length).toBeGreaterThan(0);
      expect(got).toEqual(expected);
    }
  });

  it("a term no article has finds nothing", () => {
    const { expected, got } = both(["нет-такого"], fields, {}, () => 1);
    expect(expected).toEqual([]);
    expect(got).toEqual([]);
  });
});
