// Who may sign up for an event, decided from the event and the person's profile before any seat is
// taken: open for sign-up, audience, region, age, party size and the organiser's questions. Pure.
import { ageAt, listAdmits, splitList } from "./settings.js";
import { QUESTION_TYPES, isOneOf } from "../vocabulary.js";

export type RefusalReason =
  | "not_found" | "closed" | "deadline" | "full" | "not_registered" | "audience" | "region" | "age"
  | "guardian_required" | "guardian_unconfirmed" | "party" | "answers" | "duplicate" | "rejected";

export interface Question {
  id: string;
  type: (typeof QUESTION_TYPES)[number];
  required?: boolean;
  options?: string[];
  label: Record<string, string>;
}

export type Answers = Record<string, string | boolean>;
export interface Party {
  adults: number;
  children: number;
}

interface EventFacts {
  status: string;
  startsAt: Date;
  signUpUntil: Date | null;
  timeZone: string;
  audience: string;
  regions: string;
  minAge: number | null;
  maxAge: number | null;
  maxAdults: number;
  maxChildren: number;
  questions: string;
  needsApproval: boolean;
}
interface ProfileFacts {
  role: string;
  regionCode: string | null;
  birthDate: string | null;
  /** A minor's representative has also agreed, as a coordinator confirmed (services/people/guardian.ts). */
  guardianConfirmedAt?: Date | null;
}

export const ADULT_AGE = 18;

/** Parses an event's questions, keeping only well-formed ones. */
export function questionsOf(json: string): Question[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? (list as Question[]).filter((q) => q && typeof q.id === "string" && isOneOf(QUESTION_TYPES, q.type)) : [];
  } catch {
    return [];
  }
}

export function answersFit(questions: Question[], answers: Answers): boolean {
  for (const q of questions) {
    const a = answers[q.id];
    if (a === undefined || a === "") {
      if (q.required) return false;
      continue;
    }
    if (q.type === "yes_no" && typeof a !== "boolean") return false;
    if (q.type === "text" && (typeof a !== "string" || a.length > 1000)) return false;
    if (q.type === "choice" && (typeof a !== "string" || !(q.options ?? []).includes(a))) return false;
  }
  return Object.keys(answers).every((k) => questions.some((q) => q.id === k));
}

/**
 * Whether the event's age limits admit a person born on `birthDate` (ISO), by their age on the
 * event's first day in its own zone. Unknown age fails any limit. Shared by sign-up and the catalogue.
 */
export function ageFits(event: { minAge: number | null; maxAge: number | null; timeZone: string; startsAt: Date }, birthDate: string | null): boolean {
  if (event.minAge === null && event.maxAge === null) return true;
  if (!birthDate) return false;
  const age = ageAt(birthDate, event.timeZone, event.startsAt);
  return (event.minAge === null || age >= event.minAge) && (event.maxAge === null || age <= event.maxAge);
}

/** Whether the person may sign up (null) or why not; and whether an organiser must approve. */
export function admission(event: EventFacts, profile: ProfileFacts | null, now: Date, input: { party: Party; answers: Answers; guardian?: string | null }): { refused: RefusalReason } | { approvalNeeded: boolean } {
  if (event.status !== "published" || now >= event.startsAt) return { refused: "closed" };
  if (event.signUpUntil && now > event.signUpUntil) return { refused: "deadline" };
  if (!profile) return { refused: "not_registered" };
  if (!listAdmits(event.audience, profile.role)) return { refused: "audience" };
  if (!listAdmits(event.regions, profile.regionCode)) return { refused: "region" };
  if (!ageFits(event, profile.birthDate)) return { refused: "age" };
  const age = profile.birthDate ? ageAt(profile.birthDate, event.timeZone, event.startsAt) : null;
  const minor = age !== null && age < ADULT_AGE;
  if (minor && !profile.guardianConfirmedAt) return { refused: "guardian_unconfirmed" };
  if (minor && !input.guardian?.trim()) return { refused: "guardian_required" };
  const { adults, children } = input.party;
  if (!Number.isInteger(adults) || !Number.isInteger(children) || adults < 1 || children < 0 || adults > event.maxAdults || children > event.maxChildren) return { refused: "party" };
  if (!answersFit(questionsOf(event.questions), input.answers)) return { refused: "answers" };
  return { approvalNeeded: event.needsApproval || minor };
}

export { splitList };
