// Asking for help: kind of help, a description (several messages, photos and documents), urgency,
// confirmation. The case is stored, a coordinator pinged, and the person told the case number.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, FlowContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { menuScreen, withMenuButton } from "../../ui/menu.js";
import { menuData } from "../../ui/callbacks.js";
import { ask, BACK, RESTART, type Button, type Flow } from "../../forms/ask.js";
import { hasUnfinishedForm, offerResume } from "../../forms/resume.js";
import { caseSettings } from "./settings.js";
import { attachmentOf, pressKey, type Attachment } from "./incoming.js";
import { cut } from "../../../services/text.js";
import { HELP_REQUEST, type HelpRequestPrefill } from "./enter.js";
import { createCase } from "../../../services/cases/intake.js";
import { getProfile } from "../../../services/people/profiles.js";
import { CATEGORIES, URGENCIES, type Category, type Urgency } from "../../../services/vocabulary.js";

export { HELP_REQUEST };
export const DESCRIPTION_MAX = 4000;
export const ATTACHMENTS_MAX = 10;

/** What the confirmation shows of a long description; the coordinator gets all of it. */
const SUMMARY_MAX = 1500;

interface Description {
  text: string;
  attachments: Attachment[];
}

function choose<T extends string>(conversation: Flow, ctx: FlowContext, key: string, list: readonly T[], back: boolean) {
  const button = (id: T): Button => [ctx.t(`${key === "cat" ? "categories" : "help_request.urgency"}.${id}`), `form:${key}:${id}`];
  // Kinds of help two per row (a phone shows ten without scrolling); urgency one per row.
  const perRow = key === "cat" ? 2 : 1;
  const buttons: Button[][] = [];
  for (let i = 0; i < list.length; i += perRow) buttons.push(list.slice(i, i + perRow).map(button));
  return ask(conversation, ctx, {
    text: ctx.t(`help_request.ask_${key}`),
    buttons,
    back,
    handle: async (u) => {
      const id = u.callbackQuery?.data?.replace(`form:${key}:`, "");
      if (u.callbackQuery?.data?.startsWith(`form:${key}:`) && (list as readonly string[]).includes(id!)) return { done: id as T };
      return u.message ? { error: "use_buttons" } : undefined;
    },
  });
}

function describe(conversation: Flow, ctx: FlowContext, prefilled?: string) {
  const d: Description = { text: prefilled ?? "", attachments: [] };
  const done: Button[][] = [[[ctx.t("form.done"), "form:done"]]];
  return ask<Description>(conversation, ctx, {
    // A question brought from the knowledge base is already the description: Done sends it as it is.
    text: prefilled ? ctx.t("help_request.ask_description_prefilled", { question: cut(prefilled, 1000) }) : ctx.t("help_request.ask_description", { max: DESCRIPTION_MAX, files: ATTACHMENTS_MAX }),
    buttons: prefilled ? done : undefined,
    back: true,
    handle: async (u) => {
      if (u.callbackQuery?.data === "form:done") return d.text.trim() || d.attachments.length ? { done: d } : { error: "description_empty" };
      const m = u.message;
      if (!m) return undefined;
      const text = m.text ?? m.caption;
      if (text && d.text.length + text.length > DESCRIPTION_MAX) return { error: "description_long", params: { max: DESCRIPTION_MAX } };
      const file = attachmentOf(m);
      if (!text && !file) return { error: "description_kind" };
      if (file && d.attachments.length >= ATTACHMENTS_MAX) return { error: "too_many_files", params: { max: ATTACHMENTS_MAX } };
      // A caption goes into the description (the ping shows it) and stays with its file.
      if (text) d.text = d.text ? `${d.text}\n${text}` : text;
      if (file) d.attachments.push(file);
      return { show: u.t("help_request.added", { count: d.attachments.length, chars: d.text.length }), buttons: done };
    },
  });
}

async function helpRequest(conversation: Flow, ctx: FlowContext, prefill?: HelpRequestPrefill) {
  const { prisma, clock, config } = ctx.deps;
  const profile = await conversation.external(() => getProfile(prisma, ctx.person!.id));
  let category: Category | undefined = prefill?.category;
  let step = category ? 1 : 0;
  let description: Description | undefined;
  let urgency: Urgency | undefined;
  for (;;) {
    const answer =
      step === 0 ? await choose(conversation, ctx, "cat", CATEGORIES, false)
      : step === 1 ? await describe(conversation, ctx, prefill?.description)
      : step === 2 ? await choose(conversation, ctx, "urgency", URGENCIES, true)
      : await ask(conversation, ctx, {
          text: ctx.t("help_request.confirm", { category: ctx.t(`categories.${category}`), urgency: ctx.t(`help_request.urgency.${urgency}`), files: description!.attachments.length, text: cut(description!.text, SUMMARY_MAX) || "—" }),
          buttons: [[[ctx.t("form.confirm_send"), "form:confirm"]]],
          back: true,
          handle: async (u) => (u.callbackQuery?.data === "form:confirm" ? { done: pressKey(u.callbackQuery) } : u.message ? { error: "use_buttons" } : undefined),
        });
    if (answer === RESTART) step = 0;
    else if (answer === BACK) step = Math.max(0, step - 1);
    else if (step === 0) (category = answer as Category), step++;
    else if (step === 1) (description = answer as Description), step++;
    else if (step === 2) (urgency = answer as Urgency), step++;
    else {
      const sourceKey = answer as string;
      const { case: c } = await conversation.external(() =>
        createCase(prisma, clock, {
          requesterId: ctx.person!.id, category: category!, urgency: urgency!, regionCode: profile?.regionCode ?? null,
          description: description!.text, attachments: description!.attachments, sourceKey,
        }, caseSettings(config)),
      );
      const minutes = Math.round((urgency === "urgent" ? config.CASE_ACK_URGENT_SECONDS : config.CASE_ACK_SECONDS) / 60);
      await ctx.reply(ctx.t("help_request.created", { number: c.number, count: Math.max(1, minutes) }), { reply_markup: withMenuButton(ctx, new InlineKeyboard().text(ctx.t("menu.mycases"), menuData("mycases"))) });
      return;
    }
  }
}

function helpRequestComposer(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "ask", async (ctx) => {
    if (!ctx.person?.role) {
      const kb = new InlineKeyboard().text(ctx.t("menu.register"), menuData("profile"));
      return ctx.reply(ctx.t("help_request.register_first"), { reply_markup: kb });
    }
    if (hasUnfinishedForm(ctx)) return offerResume(ctx);
    await ctx.conversation.enter(HELP_REQUEST);
  });
  return c;
}

export const helpRequestFeature: Feature = { name: "help-request", composer: helpRequestComposer(), commands: ["ask"], conversations: [{ id: HELP_REQUEST, builder: helpRequest }] };
