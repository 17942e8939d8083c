// The questions of the participant forms, one per profile field. Registration asks them in order;
// /profile asks one of them to change a single field. Same checks either way.
import type { FlowContext } from "../context.js";
import { ask, type Button, type Flow, type Question, type StepResult, BACK, RESTART } from "./ask.js";
import type { EditableField, ProfileDraft } from "../../services/people/profiles.js";
import { findRegion, regionName, searchRegions } from "../../services/regions.js";
import { checkBirthDate, checkFullName, checkInstitution, checkPhone, checkYear, type Checked } from "../../services/validation.js";
import { CONTACT_TIMES, INTERESTS, MEMBER_STATUSES, RELATIONS, type Interest, type MemberStatus } from "../../services/vocabulary.js";

export type Draft = Partial<ProfileDraft>;

const SKIP = "form:skip";

function fromCheck<T>(c: Checked<T>): StepResult<T> {
  return c.ok ? { done: c.value } : { error: c.reason, params: c.params };
}

/** A text answer checked by `check`; anything but text gets a kind "please type it". */
function textQuestion<T>(ctx: FlowContext, key: string, back: boolean, check: (text: string) => Checked<T> | Promise<Checked<T>>, optional = false): Question<T | null> {
  return {
    text: ctx.t(`registration.ask.${key}`),
    buttons: optional ? [[[ctx.t("form.skip"), SKIP]]] : [],
    back,
    async handle(u) {
      if (optional && u.callbackQuery?.data === SKIP) return { done: null };
      const text = u.message?.text;
      if (text === undefined) return u.message ? { error: "need_text" } : undefined;
      return fromCheck(await check(text));
    },
  };
}

/** One choice from a fixed list, as buttons. */
function choiceQuestion<T extends string>(ctx: FlowContext, key: string, list: readonly T[], back: boolean, optional = false): Question<T | null> {
  const prefix = `form:${key}:`;
  const buttons: Button[][] = list.map((id) => [[ctx.t(`registration.${key}.${id}`), `${prefix}${id}`]]);
  if (optional) buttons.push([[ctx.t(`registration.skip.${key}`), SKIP]]);
  return {
    text: ctx.t(`registration.ask.${key}`),
    buttons,
    back,
    async handle(u) {
      const data = u.callbackQuery?.data;
      if (optional && data === SKIP) return { done: null };
      const id = data?.startsWith(prefix) ? data.slice(prefix.length) : undefined;
      if (id !== undefined && (list as readonly string[]).includes(id)) return { done: id as T };
      return u.message ? { error: "use_buttons" } : undefined;
    },
  };
}

function regionQuestion(conversation: Flow, ctx: FlowContext, back: boolean): Question<string> {
  const countries = ctx.deps.config.REGION_COUNTRIES;
  return {
    // The example is a region the programme serves, whatever language the person reads.
    text: ctx.t("registration.ask.region", { example: ctx.t(`registration.region_example.${countries[0]}`) }),
    back,
    async handle(u) {
      const data = u.callbackQuery?.data;
      if (data?.startsWith("form:region:")) {
        const code = data.slice("form:region:".length);
        const region = await conversation.external(() => findRegion(ctx.deps.prisma, code, countries));
        return region ? { done: region.code } : { error: "region_unknown" };
      }
      const text = u.message?.text;
      if (text === undefined) return u.message ? { error: "need_text" } : undefined;
      const query = text.trim().slice(0, 60);
      const found = await conversation.external(() => searchRegions(ctx.deps.prisma, query, countries));
      if (found.total === 0) return { error: "region_none", params: { query } };
      const buttons: Button[][] = found.regions.map((r) => [[regionName(r, u.locale), `form:region:${r.code}`]]);
      const head = found.total > found.regions.length ? u.t("registration.region_many", { count: found.total, shown: found.regions.length }) : u.t("registration.region_pick");
      return { show: head, buttons };
    },
  };
}

function phoneQuestion(ctx: FlowContext, draft: Draft, back: boolean): Question<string> {
  const country = draft.regionCode?.startsWith("LT-") || (!draft.regionCode && ctx.locale === "lt") ? "LT" : "RU";
  return {
    text: ctx.t("registration.ask.phone"),
    contact: true,
    back,
    async handle(u) {
      let result: Checked<string>;
      const contact = u.message?.contact;
      if (contact) {
        // A shared contact card may be someone else's; only the person's own number is accepted.
        if (contact.user_id !== u.from?.id) return { error: "phone_not_own" };
        const raw = contact.phone_number.startsWith("+") ? contact.phone_number : `+${contact.phone_number}`;
        result = checkPhone(raw, country);
      } else if (u.message?.text !== undefined) {
        result = checkPhone(u.message.text, country);
      } else {
        return u.message ? { error: "need_phone" } : undefined;
      }
      if (result.ok) await u.reply(u.t("registration.phone_saved", { phone: result.value }), { reply_markup: { remove_keyboard: true } });
      return fromCheck(result);
    },
  };
}

function interestsQuestion(ctx: FlowContext, current: Interest[], back: boolean): Question<Interest[]> {
  const chosen = new Set<Interest>(current);
  const buttons = (c: FlowContext): Button[][] => [
    ...INTERESTS.map((id): Button[] => [[`${chosen.has(id) ? "✅ " : ""}${c.t(`registration.interests.${id}`)}`, `form:interest:${id}`]]),
    [[c.t("form.done"), "form:done"]],
  ];
  return {
    text: ctx.t("registration.ask.interests"),
    buttons: buttons(ctx),
    back,
    async handle(u) {
      const data = u.callbackQuery?.data;
      if (data === "form:done") return { done: INTERESTS.filter((i) => chosen.has(i)) };
      const id = data?.replace("form:interest:", "") as Interest | undefined;
      if (id && data!.startsWith("form:interest:") && INTERESTS.includes(id)) {
        if (chosen.has(id)) chosen.delete(id);
        else chosen.add(id);
        return { edit: buttons(u) };
      }
      return u.message ? { error: "use_buttons" } : undefined;
    },
  };
}

/** After "killed": a word of condolence and the offer of a psychologist, before the form goes on. */
function withCondolence(q: Question<MemberStatus | null>): Question<MemberStatus | null> {
  return {
    ...q,
    async handle(u) {
      const r = await q.handle(u);
      if (r && "done" in r && r.done === "killed") await u.reply(u.t("audience.condolence"));
      return r;
    },
  };
}

/** Asks for one field; returns its value, BACK or RESTART. */
export async function askField(conversation: Flow, ctx: FlowContext, field: EditableField, draft: Draft, back: boolean) {
  const today = async () => new Date(await conversation.now());
  type Any = Question<unknown>;
  const questions: Record<EditableField, () => Promise<Any> | Any> = {
    fullName: () => textQuestion(ctx, "fullName", back, checkFullName),
    birthDate: async () => {
      const now = await today();
      return textQuestion(ctx, "birthDate", back, (t) => checkBirthDate(t, now));
    },
    regionCode: () => regionQuestion(conversation, ctx, back),
    institution: () => textQuestion(ctx, "institution", back, checkInstitution, true),
    leftYear: async () => {
      const now = await today();
      return textQuestion(ctx, "leftYear", back, (t) => checkYear(t, now, draft.birthDate), true);
    },
    phone: () => phoneQuestion(ctx, draft, back),
    interests: () => interestsQuestion(ctx, draft.interests ?? [], back),
    relation: () => choiceQuestion(ctx, "relation", RELATIONS, back),
    memberStatus: () => withCondolence(choiceQuestion(ctx, "memberStatus", MEMBER_STATUSES, back, true)),
    contactTime: () => choiceQuestion(ctx, "contactTime", CONTACT_TIMES, back, true),
  };
  return ask(conversation, ctx, await questions[field]());
}

export { BACK, RESTART };
