// Every number that shapes search results, in one place, each with the reason for it. Values were chosen
// on the tune questions, the articles' own example questions (each left out in turn) and off-topic
// questions, never on the measure questions; test/unit/knowledge-search.test.ts prints the figures.

/** How questions are matched and scored. */
export const TUNING = {
  /** A typo, prefix or root match covers a word this much of an exact one. */
  inexact: 0.7,
  /** A word found only in the body covers it this much of one in the title, questions or synonyms. */
  body: 0.6,
  /** Typos are forgiven in stems this long or longer, up to this share of their letters. */
  fuzzyMin: 5,
  fuzzy: 0.2,
  /** A stem this long also finds the longer words it begins (at most `prefixMax` of them). */
  prefixMin: 5,
  prefixMax: 20,
  /** A word no article knows weighs this share of the rarest known word: often filler, sometimes off-topic. */
  unknown: 0.8,
  /** ...and each further unknown word this much less: a long story is mostly such words, they should not drown the rest. */
  unknownDecay: 0.5,
  /** Rare words count more, dampened (idf to this power), so a rare side word does not outweigh the point. */
  idfPower: 0.5,
  /** How much of the score is the rank against the best match (the rest is coverage alone). */
  rank: 0.4,
  /** How much the closest single example decides, and its F-beta (>1 leans on covering the example). */
  example: 0.7,
  exampleBeta: 2,
  /** Articles scored in full, by BM25, and of those looked at closely (closest example), by first score. */
  pool: 30,
  shortlist: 10,
  /** A person outside an article's audience or regions still sees it, lower. */
  otherRole: 0.7,
  otherRegion: 0.5,
  /** An answer found in a language other than the person's own ranks a little lower. */
  otherLanguage: 0.9,
  /** Words in more than this share of the articles' bodies are looked for in titles, questions and synonyms only. */
  bodyShare: 0.35,
  /** Words in more than this share of the articles are checked in candidates, not searched (see searchIn). */
  commonShare: 0.1,
  /** Hits below this are noise and never returned. */
  floor: 0.05,
};

/** When a best hit is offered as the answer, as one of a few choices, or not at all. */
export const JUDGE = {
  /** The best hit must score at least this to be offered at all. */
  threshold: 0.3,
  /** ...and beat the next by this much to be offered alone. */
  margin: 0.1,
  /** Choices offered when unsure. */
  choices: 3,
};
