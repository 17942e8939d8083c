// Signing up for an event: registration first (the form is offered, then the person comes back),
// the organiser's extra questions (choice, yes/no, free text), the party size for families, and a
// parent's or institution's contact for someone under 18 — then the seat decision
// (services/events/enrolment.ts): confirmed, on the waiting list with the position, or waiting for
// the organiser's approval.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, FlowContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { ack } from "../../ui/menu.js";
import { dbInt, menuData } from "../../ui/callbacks.js";
import { ask, BACK, RESTART, type Button, type Flow } from "../../forms/ask.js";
import { hasUnfinishedForm, offerResume } from "../../forms/resume.js";
import { pressKey } from "../cases/incoming.js";
import { signUp, type SignUpResult } from "../../../services/events/enrolment.js";
import { ADULT_AGE, questionsOf, type Answers, type Question } from "../../../services/events/rules.js";
import { ageAt } from "../../../services/events/settings.js";
import { eventSettings } from "./settings.js";
import { getProfile } from "../../../services/people/profiles.js";
import { localised } from "./view.js";

export const EVENT_SIGNUP = "event-signup";
const TEXT_MAX = 300;

/** One extra question; answers come back as text or true/false. */
function question(conversation: Flow, ctx: FlowContext, q: Question, i: number, back: boolean) {
  const label = localised(q.label, ctx.locale);
  const buttons: Button[][] =
    q.type === "choice" ? (q.options ?? []).map((o, k) => [[o, `form:q:${i}:${k}`]])
    : q.type === "yes_no" ? [[[ctx.t("events.yes"), `form:q:${i}:y`], [ctx.t("events.no"), `form:q:${i}:n`]]]
    : q.required ? [] : [[[ctx.t("form.skip"), `form:q:${i}:skip`]]];
  return ask<string | boolean>(conversation, ctx, {
    text: label, buttons, back,
    handle: async (u) => {
      const data = u.callbackQuery?.data;
      if (data?.startsWith(`form:q:${i}:`)) {
        const v = data.slice(`form:q:${i}:`.length);
        if (q.type === "yes_no") return { done: v === "y" };
        if (q.type === "text" && v === "skip") return { done: "" };
        const option = q.options?.[Number(v)];
        return option !== undefined ? { done: option } : undefined;
      }
      if (q.type !== "text") return u.message ? { error: "use_buttons" } : undefined;
      const text = u.message?.text?.trim();
      if (!text) return u.message ? { error: "description_kind" } : undefined;
      return text.length > TEXT_MAX ? { error: "text_long", params: { max: TEXT_MAX } } : { done: text };
    },
  });
}

function count(conversation: Flow, ctx: FlowContext, key: "adults" | "children", from: number, to: number) {
  const row: Button[] = [];
  for (let n = from; n <= to; n++) row.push([String(n), `form:${key}:${n}`]);
  return ask<number>(conversation, ctx, {
    text: ctx.t(`events.ask_${key}`), buttons: [row], back: true,
    handle: async (u) => {
      const m = new RegExp(`^form:${key}:(\\d+)$`).exec(u.callbackQuery?.data ?? "");
      if (m && Number(m[1]) >= from && Number(m[1]) <= to) return { done: Number(m[1]) };
      return u.message ? { error: "use_buttons" } : undefined;
    },
  });
}

function guardianStep(conversation: Flow, ctx: FlowContext) {
  return ask<string>(conversation, ctx, {
    text: ctx.t("events.ask_guardian"), back: true,
    handle: async (u) => {
      const text = u.message?.text?.trim();
      if (!text) return u.message ? { error: "description_kind" } : undefined;
      return text.length > TEXT_MAX ? { error: "text_long", params: { max: TEXT_MAX } } : { done: text };
    },
  });
}

/** Tells the person what the seat decision was. */
export async function replyResult(ctx: BotContext | FlowContext, r: SignUpResult): Promise<void> {
  const kb = new InlineKeyboard().text(ctx.t("events.mine_button"), menuData("myevents"));
  if (r.outcome === "refused") return void (await ctx.reply(ctx.t(`events.refused.${r.reason}`), { reply_markup: kb }));
  await ctx.reply(ctx.t(`events.result.${r.outcome}`, r.outcome === "waiting" ? { position: r.position } : {}), { reply_markup: kb });
}

async function eventSignup(conversation: Flow, ctx: FlowContext, eventId: number) {
  const { prisma, clock } = ctx.deps;
  const facts = await conversation.external(async () => {
    const e = await prisma.event.findUnique({ where: { id: eventId }, select: { questions: true, maxAdults: true, maxChildren: true, timeZone: true, startsAt: true } });
    const p = await getProfile(prisma, ctx.person!.id);
    return e && { questions: e.questions, maxAdults: e.maxAdults, maxChildren: e.maxChildren, minor: !!p?.birthDate && ageAt(p.birthDate, e.timeZone, e.startsAt) < ADULT_AGE, family: p?.role === "family" };
  });
  if (!facts) return void (await ctx.reply(ctx.t("events.gone")));
  const questions = questionsOf(facts.questions);
  type Step = { run: (back: boolean) => Promise<unknown>; save: (v: unknown) => void };
  const answers: Answers = {};
  let adults = 1;
  let children = 0;
  let guardian: string | null = null;
  const steps: Step[] = [
    ...questions.map((q, i): Step => ({ run: (back) => question(conversation, ctx, q, i, back), save: (v) => (answers[q.id] = v as string | boolean) })),
    ...(facts.family && facts.maxAdults > 1 ? [{ run: () => count(conversation, ctx, "adults", 1, facts.maxAdults), save: (v: unknown) => (adults = v as number) }] : []),
    ...(facts.family && facts.maxChildren > 0 ? [{ run: () => count(conversation, ctx, "children", 0, facts.maxChildren), save: (v: unknown) => (children = v as number) }] : []),
    ...(facts.minor ? [{ run: () => guardianStep(conversation, ctx), save: (v: unknown) => (guardian = v as string) }] : []),
  ];
  for (let i = 0; i < steps.length; ) {
    const v = await steps[i]!.run(i > 0);
    if (v === BACK) i = Math.max(0, i - 1);
    else if (v === RESTART) i = 0;
    else steps[i++]!.save(v);
  }
  const key = await ask<string>(conversation, ctx, {
    text: ctx.t("events.confirm"), buttons: [[[ctx.t("events.confirm_button"), "form:confirm"]]], back: steps.length > 0,
    handle: async (u) => (u.callbackQuery?.data === "form:confirm" ? { done: pressKey(u.callbackQuery) } : u.message ? { error: "use_buttons" } : undefined),
  });
  if (typeof key !== "string") return; // Back at the confirmation starts the questions again next time
  const r = await conversation.external(() => signUp(prisma, clock, { eventId, personId: ctx.person!.id, answers, party: { adults, children }, guardian, key }, eventSettings(ctx.deps.config)));
  await replyResult(ctx, r);
}

function signup(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.callbackQuery(/^ev:join:(\d+)$/, async (ctx) => {
    const eventId = dbInt(ctx.match[1]);
    if (!eventId) return ack(ctx, ctx.t("errors.stale_button"), true);
    await ack(ctx);
    if (!ctx.person?.role) {
      ctx.session.pendingEvent = eventId;
      return void (await ctx.reply(ctx.t("events.register_first"), { reply_markup: new InlineKeyboard().text(ctx.t("menu.register"), menuData("profile")) }));
    }
    if (hasUnfinishedForm(ctx)) return offerResume(ctx);
    const e = await ctx.deps.prisma.event.findUnique({ where: { id: eventId }, select: { questions: true, maxAdults: true, maxChildren: true, timeZone: true, startsAt: true } });
    const p = await getProfile(ctx.deps.prisma, ctx.person.id);
    // A minor whose representative is not confirmed yet is told so before any question (the service refuses too).
    if (e && p?.birthDate && !p.guardianConfirmedAt && ageAt(p.birthDate, e.timeZone, e.startsAt) < ADULT_AGE) return replyResult(ctx, { outcome: "refused", reason: "guardian_unconfirmed" });
    const simple = e && questionsOf(e.questions).length === 0 && (p?.role !== "family" || (e.maxAdults <= 1 && e.maxChildren === 0)) && !p?.birthDate;
    if (simple) {
      const r = await signUp(ctx.deps.prisma, ctx.deps.clock, { eventId, personId: ctx.person.id, key: pressKey(ctx.callbackQuery) }, eventSettings(ctx.deps.config));
      return replyResult(ctx, r);
    }
    await ctx.conversation.enter(EVENT_SIGNUP, eventId);
  });
  return c;
}

export const eventSignupFeature: Feature = { name: "event-signup", composer: signup(), conversations: [{ id: EVENT_SIGNUP, builder: eventSignup }] };
