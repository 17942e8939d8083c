// Checks of what people type into forms. Each check returns the clean value or the reason it was
// refused, as a locale key under `validation.` with its parameters, so the person is told exactly
// what to fix in their language.
import { parsePhoneNumberFromString } from "libphonenumber-js";

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string; params?: Record<string, string | number> };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const no = <T>(reason: string, params?: Record<string, string | number>): Checked<T> => ({ ok: false, reason, params });

export const NAME_MAX = 100;
export const INSTITUTION_MAX = 200;
export const AGE_MIN = 14;
export const AGE_MAX = 35;

/** A person's full name: letters (any alphabet), spaces, hyphens, apostrophes; at least two words. */
export function checkFullName(input: string): Checked<string> {
  const s = input.replace(/\s+/g, " ").trim();
  if (!s) return no("name_empty");
  if (s.length > NAME_MAX) return no("name_too_long", { max: NAME_MAX });
  if (/\d/.test(s)) return no("name_digits");
  if (!/^[\p{L}\p{M}][\p{L}\p{M}\s'’.\-]*$/u.test(s)) return no("name_chars");
  if (s.split(" ").filter((w) => /\p{L}/u.test(w)).length < 2) return no("name_two_words");
  return ok(s);
}

const MONTHS: [RegExp, number][] = [
  [/^(янв|jan|saus)/, 1], [/^(фев|feb|vas)/, 2], [/^(мар|mar|kov)/, 3], [/^(апр|apr|bal)/, 4],
  [/^(мая|май|may|geg)/, 5], [/^(июн|jun|bir)/, 6], [/^(июл|jul|liep)/, 7], [/^(авг|aug|rugp)/, 8],
  [/^(сен|sep|rugs)/, 9], [/^(окт|oct|spal)/, 10], [/^(ноя|nov|lap)/, 11], [/^(дек|dec|gruo)/, 12],
];

function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, "");
  return MONTHS.find(([re]) => re.test(w))?.[1];
}

/** Day, month and year from 05.03.2006, 5/3/2006, 2006-03-05, 5 марта 2006, March 5, 2006, 2006 m. kovo 5 d. */
function dateParts(input: string): [number, number, number] | undefined {
  const s = input.trim().toLowerCase().replace(/\s+/g, " ").replace(/\s*(г\.|года|г)$/u, "");
  let m = /^(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{4})$/.exec(s);
  if (m) return [+m[1]!, +m[2]!, +m[3]!];
  m = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/.exec(s);
  if (m) return [+m[3]!, +m[2]!, +m[1]!];
  m = /^(\d{1,2}) (\p{L}+)\.? (\d{4})$/u.exec(s);
  if (m && monthOf(m[2]!)) return [+m[1]!, monthOf(m[2]!)!, +m[3]!];
  m = /^(\p{L}+)\.? (\d{1,2}),? (\d{4})$/u.exec(s);
  if (m && monthOf(m[1]!)) return [+m[2]!, monthOf(m[1]!)!, +m[3]!];
  m = /^(\d{4}) ?m\.? (\p{L}+) (\d{1,2}) ?d?\.?$/u.exec(s);
  if (m && monthOf(m[2]!)) return [+m[3]!, monthOf(m[2]!)!, +m[1]!];
  return undefined;
}

/** A graduate's date of birth as YYYY-MM-DD, a real date, giving an age of 14 to 35 today. */
export function checkBirthDate(input: string, today: Date): Checked<string> {
  const parts = dateParts(input);
  if (!parts) return no("date_format");
  const [d, mo, y] = parts;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return no("date_impossible");
  const iso = date.toISOString().slice(0, 10);
  if (iso > today.toISOString().slice(0, 10)) return no("date_future");
  const age = ageOn(iso, today);
  // Outside the range the person is told where else to turn (the texts differ for each side).
  if (age > AGE_MAX) return no("age_over", { min: AGE_MIN, max: AGE_MAX, age });
  if (age < AGE_MIN) return no("age_under", { min: AGE_MIN, max: AGE_MAX, age });
  return ok(iso);
}

export function ageOn(isoBirth: string, today: Date): number {
  const [y, m, d] = isoBirth.split("-").map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age--;
  return age;
}

/**
 * A phone number in E.164 (+79001234567). Understands Russian and Lithuanian habits: 8 900 …,
 * +7 (900) …, 900…, +370 6…, 8 6… (the country is taken from the person's region or language).
 */
export function checkPhone(input: string, country: "RU" | "LT"): Checked<string> {
  const s = input.trim();
  if (!/^[+\d][\d\s()\-.]{5,24}$/.test(s)) return no("phone_format");
  // The person's own country first; a number that only makes sense in the other one (a Russian
  // 8 900 … typed by someone living in Lithuania) is still theirs.
  for (const c of country === "RU" ? (["RU", "LT"] as const) : (["LT", "RU"] as const)) {
    const parsed = parsePhoneNumberFromString(s, c);
    if (parsed?.isValid()) return ok(parsed.number);
  }
  return no("phone_format");
}

export function checkInstitution(input: string): Checked<string> {
  const s = input.replace(/\s+/g, " ").trim();
  if (s.length < 2) return no("text_short");
  if (s.length > INSTITUTION_MAX) return no("text_long", { max: INSTITUTION_MAX });
  return ok(s);
}

/** How to reach a minor's representative: a phone number or an e-mail address, at most 200 characters. */
export function checkContact(input: string): Checked<string> {
  const s = input.replace(/\s+/g, " ").trim();
  if (s.length > 200) return no("text_long", { max: 200 });
  const phone = (s.match(/\d/g) ?? []).length >= 6;
  const email = /\S+@\S+\.\S+/.test(s);
  return phone || email ? ok(s) : no("contact_format");
}

export function checkYear(input: string, today: Date, birthIso?: string | null): Checked<number> {
  const m = /^\s*(\d{4})\s*(г\.?|m\.?)?\s*$/.exec(input);
  if (!m) return no("year_format");
  const y = Number(m[1]);
  const min = birthIso ? Number(birthIso.slice(0, 4)) + 10 : 1980;
  const max = today.getUTCFullYear();
  if (y < min || y > max) return no("year_range", { min, max });
  return ok(y);
}
