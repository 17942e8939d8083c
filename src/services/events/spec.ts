// The one set of rules for an event's description as organisers give it: the fields of an event
// file (YAML, cli/event-file.ts) and of the bot's event editor (features/events/editor.ts) are the
// same object, checked here into a NewEvent for the events service. Every problem is one line
// "<field>: <problem>"; an event with any problem is not made. Local date-times ("2027-07-12 10:00")
// are read in the event's own IANA zone with Intl.
import { z } from "zod";
import type { Db } from "../../db/client.js";
import type { NewEvent } from "./organise.js";
import type { Question } from "./rules.js";
import { EVENT_KINDS, QUESTION_TYPES, ROLES } from "../vocabulary.js";
import { formatLocal, isTimeZone, offsetAt } from "../time.js";

export { formatLocal };

const show = (v: unknown) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v) ?? String(v));
const or = (problem: (input: unknown) => string) => (iss: { input?: unknown }) => (iss.input == null ? "missing" : problem(iss.input));
const oneOf = (list: readonly string[]) => or((input) => `must be one of ${list.join(", ")} (got ${show(input)})`);
const text = () => z.string({ error: or(() => "must be text") }).trim().min(1, "must not be empty");
const upTo = (max: number) => text().max(max, `must be at most ${max} characters`);
const localised = (max = 100_000) => z.strictObject({ ru: upTo(max), en: upTo(max).optional(), lt: upTo(max).optional() }, { error: or(() => "must be {ru, en, lt} (ru required)") });
const whole = (min: number) => z.number({ error: or((i) => `must be a whole number (got ${show(i)})`) }).int(`must be a whole number`).min(min, `must be at least ${min}`);
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;
const localTime = () => z.string({ error: or(() => 'must be a local date and time "YYYY-MM-DD HH:MM"') }).trim().regex(LOCAL, 'must be a local date and time "YYYY-MM-DD HH:MM"');
const REGION_CODE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2500;
export const PLACE_MAX = 200;

// Limits that keep every screen of questions (the sign-up's buttons, the editor's list) within a message.
export const QUESTIONS_MAX = 10;
export const QUESTION_LABEL_MAX = 200;
export const OPTIONS_MAX = 12;
export const OPTION_MAX = 40;
/** A party is chosen with one row of buttons at sign-up: 1..8 adults, 0..7 children. */
export const PARTY_ADULTS_MAX = 8;
export const PARTY_CHILDREN_MAX = 7;

const question = z.strictObject(
  {
    id: text().regex(/^[a-z0-9_]{1,30}$/, "must be lowercase latin letters, digits and _, e.g. tshirt"),
    type: z.enum(QUESTION_TYPES, { error: oneOf(QUESTION_TYPES) }),
    required: z.boolean({ error: "must be true or false" }).default(false),
    label: localised(QUESTION_LABEL_MAX),
    options: z.array(z.union([z.string(), z.number()]).transform(String).pipe(upTo(OPTION_MAX)), { error: "must be a list" }).min(1, "must list at least one option").max(OPTIONS_MAX, `must list at most ${OPTIONS_MAX} options`).optional(),
  },
  { error: or(() => "must be {id, type, label, required?, options?}") },
);


const eventFile = z.strictObject({
  code: text().regex(/^[a-z0-9][a-z0-9_-]{1,39}$/i, "must be 2-40 latin letters, digits, _ or -, e.g. camp-2027-summer (it goes into the link ?start=ev_<code>)"),
  kind: z.enum(EVENT_KINDS, { error: oneOf(EVENT_KINDS) }),
  title: localised(TITLE_MAX),
  description: localised(DESCRIPTION_MAX).optional(),
  timeZone: text().refine(isTimeZone, { error: (iss) => `unknown time zone ${show(iss.input)} (use an IANA name such as Europe/Moscow)` }),
  starts: localTime(),
  ends: localTime(),
  place: upTo(PLACE_MAX).optional(),
  online: z.url({ protocol: /^https?$/, error: or((i) => `must be an http(s):// address (got ${show(i)})`) }).optional(),
  regions: z.union([z.literal("all"), z.array(text().transform((s) => s.toUpperCase())).min(1, "must name at least one region or be all")], {
    error: or(() => "must be all or a list of region codes such as RU-TAM"),
  }).default("all"),
  audience: z.union([z.literal("everyone"), z.array(z.enum(ROLES, { error: oneOf(ROLES) })).min(1, "must name at least one role or be everyone")], {
    error: or(() => `must be everyone or a list of ${ROLES.join(", ")}`),
  }).default("everyone"),
  minAge: whole(0).optional(),
  maxAge: whole(0).optional(),
  capacity: whole(1).optional(),
  signupDeadline: z.string({ error: or(() => 'must be a local date and time "YYYY-MM-DD HH:MM" or a date "YYYY-MM-DD"') }).trim()
    .regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/, 'must be a local date and time "YYYY-MM-DD HH:MM" or a date "YYYY-MM-DD"').optional(),
  needsApproval: z.boolean({ error: "must be true or false" }).default(false),
  waitingList: z.boolean({ error: "must be true or false" }).default(true),
  quotas: z.record(z.string(), whole(0), { error: or(() => "must be region codes with seats, e.g. {RU-TAM: 8}") }).optional(),
  party: z.strictObject({ adults: whole(1).max(PARTY_ADULTS_MAX, `must be at most ${PARTY_ADULTS_MAX}`).default(1), children: whole(0).max(PARTY_CHILDREN_MAX, `must be at most ${PARTY_CHILDREN_MAX}`).default(0) }, { error: or(() => "must be {adults, children}: the most a person may bring, themselves included") }).optional(),
  questions: z.array(question, { error: "must be a list of questions" }).max(QUESTIONS_MAX, `must be at most ${QUESTIONS_MAX} questions`).default([]),
  whatToBring: localised().optional(),
  series: text().optional(),
});

export type EventFile = z.infer<typeof eventFile>;
/** An event as organisers give it (before defaults): what a YAML file holds and the bot's editor builds. */
export type EventSpec = z.input<typeof eventFile>;

function fieldPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === "number" ? `[${k}]` : i ? `.${String(k)}` : String(k))).join("") || "file";
}

function describe(iss: z.core.$ZodIssue, at: readonly PropertyKey[] = []): string[] {
  const where = [...at, ...iss.path];
  if (iss.code === "unrecognized_keys") return iss.keys.map((k) => `${fieldPath([...where, k])}: unknown field`);
  if (iss.code === "invalid_union" && Array.isArray(iss.input) && iss.errors.length) return iss.errors.at(-1)!.flatMap((i) => describe(i, where));
  return [`${fieldPath(where)}: ${iss.message}`];
}

/** "YYYY-MM-DD HH:MM" in a zone as a moment; a string when it is no real date or time there. */
export function localToUtc(local: string, timeZone: string): Date | string {
  const m = LOCAL.exec(local.trim());
  if (!m) return 'must be a local date and time "YYYY-MM-DD HH:MM"';
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59) return `is not a real date and time (${local})`;
  let t = wall - offsetAt(timeZone, wall);
  const second = wall - offsetAt(timeZone, t);
  if (second !== t) t = second;
  if (formatLocal(new Date(t), timeZone) !== `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`) return `does not exist in ${timeZone} (the clocks change then)`;
  return new Date(t);
}

const BRING_LABEL: Record<string, string> = { ru: "Что взять с собой", en: "What to bring", lt: "Ką pasiimti" };

/** The description with "what to bring" after it, per language (the event keeps one text per language). */
function descriptionWith(f: EventFile): NewEvent["description"] {
  const out: Record<string, string> = { ...(f.description ?? {}) } as Record<string, string>;
  for (const [lang, items] of Object.entries(f.whatToBring ?? {})) {
    if (!items) continue;
    out[lang] = `${out[lang] ?? f.description?.ru ?? ""}\n\n${BRING_LABEL[lang] ?? BRING_LABEL.en}: ${items}`.trim();
  }
  return Object.keys(out).length ? (out as NewEvent["description"]) : undefined;
}

/** The field a problem line is about (its first path segment): "questions[0].id: ..." → "questions". */
export const problemField = (line: string) => /^[A-Za-z]+/.exec(line)?.[0] ?? "file";

/**
 * Checks an event's fields: the NewEvent, or the problem lines. Checks against the database what the
 * fields cannot tell alone: region codes, the series, a code already taken (by another than `except`).
 */
export async function checkEventSpec(db: Db, now: Date, raw: unknown, opts: { except?: number } = {}): Promise<{ event: NewEvent } | { problems: string[] }> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { problems: ["file: must be the event's fields (code: ..., title: ...)"] };
  const parsed = eventFile.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { problems: parsed.error.issues.flatMap((i) => describe(i)) };
  const f = parsed.data;
  const problems: string[] = [];
  const at = (field: string, local: string | undefined): Date | undefined => {
    if (local === undefined) return undefined;
    const r = localToUtc(local.length === 10 ? `${local} 23:59` : local, f.timeZone);
    if (typeof r === "string") {
      problems.push(`${field}: ${r}`);
      return undefined;
    }
    return r;
  };
  const startsAt = at("starts", f.starts);
  const endsAt = at("ends", f.ends);
  const signUpUntil = at("signupDeadline", f.signupDeadline);
  if (startsAt && startsAt <= now) problems.push(`starts: ${f.starts} is in the past`);
  if (startsAt && endsAt && endsAt <= startsAt) problems.push(`ends: must be after starts (${f.ends} is not after ${f.starts})`);
  if (signUpUntil && startsAt && signUpUntil > startsAt) problems.push(`signupDeadline: must be no later than starts (${f.starts})`);
  if (signUpUntil && signUpUntil <= now) problems.push(`signupDeadline: ${f.signupDeadline} is in the past`);
  if (!f.place && !f.online) problems.push("place: missing (give place, or online with the link, or both)");
  if (f.minAge !== undefined && f.maxAge !== undefined && f.minAge > f.maxAge) problems.push(`maxAge: must be at least minAge (${f.minAge})`);

  const known = new Set((await db.region.findMany({ select: { code: true } })).map((r) => r.code));
  const unknownRegion = (code: string) => `unknown region code ${show(code)} (see: npm run admin -- region list)`;
  const regions = f.regions === "all" ? [] : f.regions;
  regions.forEach((code, i) => {
    if (!REGION_CODE.test(code) || !known.has(code)) problems.push(`regions[${i}]: ${unknownRegion(code)}`);
  });
  const quotas = Object.entries(f.quotas ?? {});
  for (const [code, _] of quotas) {
    if (!known.has(code)) problems.push(`quotas.${code}: ${unknownRegion(code)}`);
    else if (regions.length && !regions.includes(code)) problems.push(`quotas.${code}: the region is not in regions`);
  }
  if (quotas.length) {
    const sum = quotas.reduce((n, [, seats]) => n + seats, 0);
    if (f.capacity === undefined) problems.push("quotas: need capacity (quotas reserve seats out of it)");
    else if (sum > f.capacity) problems.push(`quotas: ${sum} seats reserved, more than the capacity of ${f.capacity}`);
  }
  const ids = new Set<string>();
  f.questions.forEach((q, i) => {
    if (ids.has(q.id)) problems.push(`questions[${i}].id: "${q.id}" is used twice`);
    ids.add(q.id);
    if (q.type === "choice" && !q.options?.length) problems.push(`questions[${i}].options: missing (a choice needs its options)`);
    if (q.type !== "choice" && q.options) problems.push(`questions[${i}].options: only a choice has options`);
  });
  if (f.series && !(await db.eventSeries.findUnique({ where: { code: f.series }, select: { id: true } })))
    problems.push(`series: unknown series ${show(f.series)} (create it first: npm run admin -- series create --code ${f.series} --title "..." --complete-after N)`);
  const taken = await db.event.findUnique({ where: { code: f.code }, select: { id: true } });
  if (taken && taken.id !== opts.except) problems.push(`code: an event with code ${show(f.code)} already exists`);
  if (problems.length) return { problems };

  const questions: Question[] = f.questions.map((q) => ({ id: q.id, type: q.type, required: q.required, label: q.label as Record<string, string>, ...(q.options ? { options: q.options } : {}) }));
  return {
    event: {
      code: f.code, kind: f.kind, title: f.title as NewEvent["title"], description: descriptionWith(f), timeZone: f.timeZone, startsAt: startsAt!, endsAt: endsAt!,
      place: f.place ?? null, onlineUrl: f.online ?? null, regions, audience: f.audience === "everyone" ? [] : f.audience,
      minAge: f.minAge ?? null, maxAge: f.maxAge ?? null, capacity: f.capacity ?? null, signUpUntil: signUpUntil ?? null,
      needsApproval: f.needsApproval, waitingList: f.waitingList, maxAdults: f.party?.adults ?? 1, maxChildren: f.party?.children ?? 0,
      questions, quotas: Object.fromEntries(quotas), seriesCode: f.series,
    },
  };
}
