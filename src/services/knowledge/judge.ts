// What to do with search hits: answer with the best one, offer a few close ones as choices, or admit
// that nothing fits (the bot then offers a person). Pure; the thresholds live in tuning.ts.
import type { Hit } from "./search.js";
import { JUDGE } from "./tuning.js";

export type Verdict = "answer" | "unsure" | "none";

/** Whether to answer with the best hit, offer a few close ones as choices, or admit nothing fits. */
export function judge(hits: Hit[]): { verdict: Verdict; hits: Hit[] } {
  const [first, second] = hits;
  if (!first || first.score < JUDGE.threshold) return { verdict: "none", hits: [] };
  if (!second || first.score - second.score >= JUDGE.margin) return { verdict: "answer", hits: [first] };
  const close = hits.filter((h) => h.score >= JUDGE.threshold && first.score - h.score < 2 * JUDGE.margin);
  return { verdict: "unsure", hits: close.slice(0, JUDGE.choices) };
}
