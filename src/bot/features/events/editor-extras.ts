// The event editor's fields that are more than one answer: the organiser's extra questions (a list
// to add to and remove from, a question added step by step), seats kept per region, the family
// party size, and the series. Each returns the event with the field changed; the whole event is
// checked again by checkEventSpec at saving, and the service refuses what the data forbids (a
// question people answered cannot go or change, quotas cannot change once a seat is held).
import type { FlowContext } from "../../context.js";
import { ask, BACK, RESTART, type Button, type Flow } from "../../forms/ask.js";
import { escapeHtml } from "../../../i18n.js";
import { cut } from "../../../services/text.js";
import { QUESTION_TYPES, type QuestionType } from "../../../services/vocabulary.js";
import { OPTION_MAX, OPTIONS_MAX, PARTY_ADULTS_MAX, PARTY_CHILDREN_MAX, QUESTION_LABEL_MAX, QUESTIONS_MAX } from "../../../services/events/spec.js";
import { askText, setOrClear, with_, type Got, type Problem, type Spec } from "./editor-input.js";
import { localised } from "./view.js";

/** What the editor knows of the saved event: the questions people answered, and whether seats are held. */
export interface Facts {
  answered: string[];
  seatsTaken: number;
}

type SpecQuestion = NonNullable<Spec["questions"]>[number];
const LINE_SHOWN = 300;
const SERIES_LISTED = 20;
const QUOTA_REGIONS_MAX = 30;

/** One question as a line of the list: "2. Размер футболки — выбор: XS, S, M (обязательный)". */
export function questionLine(ctx: FlowContext, q: SpecQuestion, i: number): string {
  const options = q.type === "choice" ? `: ${(q.options ?? []).join(", ")}` : "";
  const line = `${i + 1}. ${localised(q.label as Record<string, string>, ctx.locale)} — ${ctx.t(`organiser.question_type.${q.type}`)}${options}${q.required ? ` (${ctx.t("organiser.required")})` : ""}`;
  return escapeHtml(cut(line, LINE_SHOWN));
}

/** The list of questions with Add, a 🗑 per question and Done; returns the spec with the new list. */
export async function askQuestions(conversation: Flow, ctx: FlowContext, spec: Spec, facts: Facts): Got<Spec> {
  let list: SpecQuestion[] = [...(spec.questions ?? [])];
  let note = "";
  for (;;) {
    const lines = list.length ? list.map((q, i) => questionLine(ctx, q, i)).join("\n") : ctx.t("organiser.questions.none");
    const buttons: Button[][] = [];
    if (list.length < QUESTIONS_MAX) buttons.push([[ctx.t("organiser.questions.add"), "form:ed:q:add"]]);
    for (let i = 0; i < list.length; i += 5) buttons.push(list.slice(i, i + 5).map((_q, k): Button => [`🗑 ${i + k + 1}`, `form:ed:q:del:${i + k}`]));
    buttons.push([[ctx.t("organiser.done"), "form:ed:q:done"]]);
    const head = ctx.t("organiser.questions.head", { max: QUESTIONS_MAX });
    const choice = await ask<string>(conversation, ctx, {
      text: `${note ? `${note}\n\n` : ""}${head}\n\n${lines}`, buttons, back: false,
      handle: async (u) => {
        const data = u.callbackQuery?.data ?? "";
        if (/^form:ed:q:(add|done|del:\d{1,2})$/.test(data)) return { done: data.slice("form:ed:q:".length) };
        return u.message ? { error: "use_buttons" } : undefined;
      },
    });
    note = "";
    if (choice === "done") return { ...spec, questions: list };
    if (typeof choice !== "string") continue;
    if (choice === "add") {
      const q = await addQuestion(conversation, ctx, list);
      if (q) list = [...list, q];
      continue;
    }
    const i = Number(choice.slice(4));
    const gone = list[i];
    if (!gone) continue;
    // People's answers to it are in the attendees list: it stays (the service checks again at saving).
    // (?? []: an editor opened before the answered ids were kept in its replay)
    if ((facts.answered ?? []).includes(gone.id)) note = ctx.t("organiser.problem.question_answered", { n: i + 1 });
    else list = list.filter((_q, k) => k !== i);
  }
}

/** A new question, step by step: its kind, its text (ru, and lines "en: …", "lt: …"), options, required. Null when given up. */
async function addQuestion(conversation: Flow, ctx: FlowContext, list: SpecQuestion[]): Promise<SpecQuestion | null> {
  const t = ctx.t;
  let type: QuestionType | null = null;
  let label: Record<string, string> | null = null;
  let options: string[] | undefined;
  for (let step = 0; step < 4; ) {
    let r: unknown;
    if (step === 0) {
      r = await askText<QuestionType>(conversation, ctx, t("organiser.questions.ask_type"), QUESTION_TYPES.map((k) => [[t(`organiser.question_type.${k}`), `form:ed:qt:${k}`]]), true, async () => ({ problem: "use_buttons" }), (d) => QUESTION_TYPES.find((k) => d === `form:ed:qt:${k}`));
      if (r === BACK || r === RESTART) return null;
      type = r as QuestionType;
    } else if (step === 1) {
      r = await askText(conversation, ctx, t("organiser.questions.ask_label", { max: QUESTION_LABEL_MAX }), [], true, async (_u, s) => labelOf(s));
      if (r !== BACK && r !== RESTART) label = r as Record<string, string>;
    } else if (step === 2) {
      if (type !== "choice") {
        step++;
        continue;
      }
      r = await askText(conversation, ctx, t("organiser.questions.ask_options", { max: OPTIONS_MAX, length: OPTION_MAX }), [], true, async (_u, s) => optionsOf(s));
      if (r !== BACK && r !== RESTART) options = r as string[];
    } else {
      // A choice or yes/no is answered with a button anyway; only free text may be skipped.
      if (type !== "text") return { id: freeId(list), type: type!, required: true, label: label as SpecQuestion["label"], ...(options ? { options } : {}) };
      r = await askText<boolean>(conversation, ctx, t("organiser.questions.ask_required"), [[[t("events.yes"), "form:ed:yes"], [t("events.no"), "form:ed:no"]]], true, async () => ({ problem: "use_buttons" }), (d) => (d === "form:ed:yes" ? true : d === "form:ed:no" ? false : undefined));
      if (r !== BACK && r !== RESTART) return { id: freeId(list), type: "text", required: r as boolean, label: label as SpecQuestion["label"] };
    }
    if (r === BACK) step = step === 3 && type !== "choice" ? 1 : step - 1;
    else if (r === RESTART) step = 0;
    else step++;
  }
  return null;
}

/** "q1", "q2", …: the first not used by the list. */
function freeId(list: SpecQuestion[]): string {
  for (let n = 1; ; n++) if (!list.some((q) => q.id === `q${n}`)) return `q${n}`;
}

/** The question's text: Russian lines, and lines beginning "en:" or "lt:" for the other languages. */
function labelOf(s: string): Record<string, string> | Problem {
  const label: Record<string, string[]> = { ru: [] };
  for (const line of s.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const m = /^(en|lt)\s*:\s*(.*)$/i.exec(line);
    if (m) (label[m[1]!.toLowerCase()] ??= []).push(m[2]!);
    else label.ru!.push(line);
  }
  const out: Record<string, string> = Object.fromEntries(Object.entries(label).map(([l, v]) => [l, v.join(" ").trim()] as const).filter(([, v]) => v));
  if (!out.ru) return { problem: "label_ru" };
  if (Object.values(out).some((v) => v.length > QUESTION_LABEL_MAX)) return { problem: "too_long", params: { max: QUESTION_LABEL_MAX } };
  return out;
}

/** Options one a line, or separated by commas on one line. */
function optionsOf(s: string): string[] | Problem {
  const parts = (s.includes("\n") ? s.split("\n") : s.split(/[,;]/)).map((o) => o.trim()).filter(Boolean);
  const options = [...new Set(parts)];
  if (options.length < 2) return { problem: "few_options" };
  if (options.length > OPTIONS_MAX) return { problem: "too_many_options", params: { max: OPTIONS_MAX } };
  if (options.some((o) => o.length > OPTION_MAX)) return { problem: "too_long", params: { max: OPTION_MAX } };
  return options;
}

/** Seats kept per region: "RU-TAM 6, RU-LIP 6"; "No quotas" clears them. Locked once a seat is held. */
export async function askQuotas(conversation: Flow, ctx: FlowContext, spec: Spec, facts: Facts, back: boolean): Got<Spec> {
  if (facts.seatsTaken > 0) {
    await ctx.reply(ctx.t("organiser.problem.quotas_locked"));
    return spec;
  }
  const regions = spec.regions === "all" || !spec.regions ? null : spec.regions;
  const q = ctx.t("organiser.ask.quotas", { capacity: spec.capacity ?? "—" });
  const v = await askText<Record<string, number> | "">(conversation, ctx, q, [[[ctx.t("organiser.no_quotas"), "form:ed:none"]]], back, async (_u, s) => {
    if (spec.capacity === undefined) return { problem: "quotas_capacity" };
    const pairs = s.toUpperCase().split(/[,;\n]+/).map((p) => p.trim()).filter(Boolean).map((p) => /^([A-Z]{2}-[A-Z0-9]{1,3})\s*[:=\s]\s*(\d{1,6})$/.exec(p));
    if (!pairs.length || pairs.some((m) => !m)) return { problem: "quotas_format" };
    if (pairs.length > QUOTA_REGIONS_MAX) return { problem: "too_many_regions", params: { max: QUOTA_REGIONS_MAX } };
    const quotas = Object.fromEntries(pairs.map((m) => [m![1]!, Number(m![2])]));
    const codes = Object.keys(quotas);
    const known = await conversation.external(async () => (await ctx.deps.prisma.region.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((r) => r.code));
    const unknown = codes.filter((c) => !known.includes(c) || (regions && !regions.includes(c)));
    if (unknown.length) return { problem: "quotas_regions", params: { codes: cut(unknown.join(", "), 300) } };
    const sum = Object.values(quotas).reduce((a, n) => a + n, 0);
    return sum > spec.capacity ? { problem: "quotas_sum", params: { sum, capacity: spec.capacity } } : quotas;
  }, (d) => (d === "form:ed:none" ? "" : undefined));
  return with_(v, (quotas) => setOrClear(spec, "quotas", quotas === "" ? "" : quotas));
}

/** The most a family may bring, themselves included: "2 3" (adults, children); "Only the person" is 1 and 0. */
export async function askParty(conversation: Flow, ctx: FlowContext, spec: Spec, back: boolean): Got<Spec> {
  const q = ctx.t("organiser.ask.party", { adults: PARTY_ADULTS_MAX, children: PARTY_CHILDREN_MAX });
  const v = await askText<{ adults: number; children: number } | "">(conversation, ctx, q, [[[ctx.t("organiser.party_alone"), "form:ed:none"]]], back, async (_u, s) => {
    const m = /^(\d{1,2})\s*[\s+/,;]\s*(\d{1,2})$/.exec(s);
    const adults = Number(m?.[1]);
    const children = Number(m?.[2]);
    if (!m || adults < 1 || adults > PARTY_ADULTS_MAX || children > PARTY_CHILDREN_MAX) return { problem: "party", params: { adults: PARTY_ADULTS_MAX, children: PARTY_CHILDREN_MAX } };
    return adults === 1 && children === 0 ? "" : { adults, children };
  }, (d) => (d === "form:ed:none" ? "" : undefined));
  return with_(v, (party) => setOrClear(spec, "party", party));
}

/** The series the event counts towards: the newest series as buttons, or a code written; "No series" clears it. */
export async function askSeries(conversation: Flow, ctx: FlowContext, spec: Spec, back: boolean): Got<Spec> {
  const series = await conversation.external(() => ctx.deps.prisma.eventSeries.findMany({ orderBy: { id: "desc" }, take: SERIES_LISTED, select: { id: true, code: true, title: true } }));
  const buttons: Button[][] = series.map((s) => [[cut(`${localised(s.title, ctx.locale)} (${s.code})`, 60), `form:ed:ser:${s.id}`]]);
  buttons.push([[ctx.t("organiser.no_series"), "form:ed:none"]]);
  const q = ctx.t(series.length ? "organiser.ask.series" : "organiser.ask.series_none");
  const v = await askText<string>(conversation, ctx, q, buttons, back, async (_u, s) => {
    const code = s.toLowerCase();
    const found = await conversation.external(async () => !!(await ctx.deps.prisma.eventSeries.findUnique({ where: { code }, select: { id: true } })));
    return found ? code : { problem: "series_unknown", params: { code: cut(s, 60) } };
  }, (d) => (d === "form:ed:none" ? "" : series.find((s) => d === `form:ed:ser:${s.id}`)?.code));
  return with_(v, (code) => setOrClear(spec, "series", code));
}
