// The knowledge index's postings (which articles have a term in which field, how often) in flat
// arrays, taken once from minisearch at build time (its documented serialisation, toJSON), and
// scored as minisearch 7.2 scores an OR query of exact terms: BM25 with its k, b and d, field and
// term boosts, summed per term in field order, then the terms in query order, and results sorted by
// score times the number of terms matched. The same numbers, bit for bit, but without minisearch's
// per-query objects (a result with a terms array and a match object for every article and term): a
// question used to leave ~0.6 MB of garbage, and the collector's pauses were the slow tail.
import type { AsPlainObject } from "minisearch";

/** minisearch's defaults (defaultSearchOptions.bm25), which the index is searched with. */
const K = 1.2;
const B = 0.7;
const D = 0.5;

/**
 * A sort comparator's answer for larger first: the same order as `y - x`, but a small integer, so a
 * sort of hundreds of articles allocates no boxed number per comparison.
 */
export const byDescending = (x: number, y: number): number => (x > y ? -1 : x < y ? 1 : 0);

/** The articles having a term in one field, by position, with the term's frequency there. */
interface FieldPosting {
  docs: Uint32Array;
  freqs: Float64Array;
}

export class Postings {
  private readonly byTerm = new Map<string, (FieldPosting | undefined)[]>();
  private readonly fieldIds: Record<string, number>;
  private readonly fieldCount: number;
  /** Article `d`'s length of field `f` at d * fieldCount + f. */
  private readonly lengths: Float64Array;
  private readonly average: number[];
  private readonly count: number;
  private readonly ids: string[];
  // Scratch space reused by every query (one query at a time: search is synchronous).
  private readonly total: Float64Array;
  private readonly termScore: Float64Array;
  private readonly matched: Uint32Array;
  private readonly stamp: Uint32Array;
  private readonly termStamp: Uint32Array;
  private calls = 0;
  private termCalls = 0;

  constructor(json: AsPlainObject) {
    this.fieldIds = json.fieldIds;
    this.fieldCount = Object.keys(json.fieldIds).length;
    this.count = json.documentCount;
    this.average = json.averageFieldLength;
    const n = json.nextId;
    this.ids = new Array<string>(n);
    for (const [shortId, id] of Object.entries(json.documentIds)) this.ids[Number(shortId)] = String(id);
    this.lengths = new Float64Array(n * this.fieldCount);
    for (const [shortId, lengths] of Object.entries(json.fieldLength)) {
      lengths.forEach((l, f) => (this.lengths[Number(shortId) * this.fieldCount + f] = l));
    }
    for (const [term, fields] of json.index) {
      const postings: (FieldPosting | undefined)[] = new Array(this.fieldCount);
      for (const [fieldId, freqs] of Object.entries(fields)) {
        // Numeric keys enumerate in ascending order: the order the articles were added, as minisearch walks them.
        const docs = Object.keys(freqs);
        postings[Number(fieldId)] = { docs: Uint32Array.from(docs, Number), freqs: Float64Array.from(docs, (d) => freqs[d as unknown as number]!) };
      }
      this.byTerm.set(term, postings);
    }
    this.total = new Float64Array(n);
    this.termScore = new Float64Array(n);
    this.matched = new Uint32Array(n);
    this.stamp = new Uint32Array(n);
    this.termStamp = new Uint32Array(n);
  }

  /** The id of the article at a position (its position in the list the index was built from). */
  idAt(position: number): string {
    return this.ids[position]!;
  }

  /**
   * Articles having any of `terms` (distinct) in any of `fields`, best first, as minisearch's
   * search(terms.join(" "), { fields, boost, boostTerm, combineWith: "OR" }) ranks them: `found` is
   * told each article's position and score (minisearch's, divided back by the number of terms it
   * matched), then `matched` each article and term that met. Nothing is kept per article.
   */
  search(
    terms: readonly string[],
    fields: readonly string[],
    boost: Record<string, number>,
    boostTerm: (t: string) => number,
    found: (position: number, score: number) => void,
    matched: (position: number, term: string) => void,
  ): void {
    const call = ++this.calls;
    const order: number[] = [];
    const hits: number[] = []; // the articles each term was found in, term after term
    const ends: number[] = [];
    for (const t of terms) {
      const postings = this.byTerm.get(t);
      const from = hits.length;
      if (postings) {
        const tc = ++this.termCalls;
        const termBoost = boostTerm(t);
        for (const field of fields) {
          const f = this.fieldIds[field]!;
          const p = postings[f];
          if (!p) continue;
          const weight = termBoost * (boost[field] || 1);
          const matching = p.docs.length;
          const invDocFreq = Math.log(1 + (this.count - matching + 0.5) / (matching + 0.5));
          const average = this.average[f]!;
          for (let i = 0; i < p.docs.length; i++) {
            const d = p.docs[i]!;
            const tf = p.freqs[i]!;
            const length = this.lengths[d * this.fieldCount + f]!;
            const score = weight * (invDocFreq * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * length) / average))));
            if (this.termStamp[d] !== tc) {
              this.termStamp[d] = tc;
              this.termScore[d] = score;
              hits.push(d);
            } else this.termScore[d] = this.termScore[d]! + score;
          }
        }
        for (let i = from; i < hits.length; i++) {
          const d = hits[i]!;
          if (this.stamp[d] !== call) {
            this.stamp[d] = call;
            this.total[d] = this.termScore[d]!;
            this.matched[d] = 1;
            order.push(d);
          } else {
            this.total[d] = this.total[d]! + this.termScore[d]!;
            this.matched[d] = this.matched[d]! + 1;
          }
        }
      }
      ends.push(hits.length);
    }
    // minisearch sorts by the score times the terms matched (a stable sort, so ties keep the order found).
    const { total, matched: count } = this;
    order.sort((a, b) => byDescending(total[a]! * count[a]!, total[b]! * count[b]!));
    for (const d of order) found(d, (total[d]! * count[d]!) / count[d]!);
    let from = 0;
    terms.forEach((t, i) => {
      for (let k = from; k < ends[i]!; k++) matched(hits[k]!, t);
      from = ends[i]!;
    });
  }
}
