// Whether a message sounds like a crisis, so the bot puts the crisis lines (and 112) first. One
// detector for every place a person writes freely: a question to the knowledge base, the
// description of a request, a message in an open case. Phrases (phrases.ts) and text are brought
// to one spelling first, so case, ё, accents, doubled letters and the commonest Russian misspellings
// (о/а, ы/и, э/е) do not hide a cry for help. It errs towards showing the lines, which never hurts.
import { CRISIS_PHRASES } from "./phrases.js";

/** One spelling for a text: lower case, no accents, ё→е, й→и, о→а, ы→и, э→е, no doubled letters, single spaces. */
export function crisisSpelling(text: string): string {
  const plain = text
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/й/g, "и")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[’`]/g, "'")
    .replace(/о/g, "а")
    .replace(/ы/g, "и")
    .replace(/э/g, "е")
    .replace(/[ьъ]/g, "")
    .replace(/[^\p{L}\p{N}']+/gu, " ")
    .replace(/(\p{L})\1+/gu, "$1")
    .trim();
  return ` ${plain} `;
}

const ALL = Object.values(CRISIS_PHRASES).flat().map((p) => crisisSpelling(p).trimEnd());

/** Whether a message sounds like a crisis, in any of the languages (people mix them). */
export function soundsLikeCrisis(text: string): boolean {
  const t = crisisSpelling(text);
  return ALL.some((p) => t.includes(p)) || / (sos|сас) /.test(t);
}
