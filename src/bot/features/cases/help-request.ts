// Asking for help: kind of help, a description (several messages: text, voice, video, photos and
// documents), urgency, and only what routing needs of someone not registered yet (the region, a
// number to call back if they want one), then confirmation. No profile is needed first: a person in
// distress is not asked for a date of birth. The case is stored, a coordinator pinged, and the
// person told honestly what happens next (a coordinator found, or nobody free and whom to call).
// Words of crisis in the description bring the crisis lines at once.
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, FlowContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { menuScreen, withMenuButton } from "../../ui/menu.js";
import { menuData } from "../../ui/callbacks.js";
import { ask, BACK, RESTART, type Button, type Flow } from "../../forms/ask.js";
import { askField } from "../../forms/fields.js";
import { crisisLines, crisisMessage, programmeContacts, openingHours } from "../../ui/crisis.js";
import { soundsLikeCrisis } from "../../../services/crisis/detect.js";
import { checkPhone } from "../../../services/validation.js";
import { findRegion, regionName } from "../../../services/regions.js";
import { hasUnfinishedForm, offerResume } from "../../forms/resume.js";
import { caseSettings } from "./settings.js";
import { attachmentOf, pressKey, type Attachment } from "./incoming.js";
import { cut } from "../../../services/text.js";
import { HELP_REQUEST, type HelpRequestPrefill } from "./enter.js";
import { createCase } from "../../../services/cases/intake.js";
import { getProfile } from "../../../services/people/profiles.js";
import { URGENCIES, type Category, type Urgency } from "../../../services/vocabulary.js";
import { offeredCategories } from "../../ui/programme.js";

export { HELP_REQUEST };
export const DESCRIPTION_MAX = 4000;
export const ATTACHMENTS_MAX = 10;

/** What the confirmation shows of a long description; the coordinator gets all of it. */
const SUMMARY_MAX = 1500;

interface Description {
  text: string;
  attachments: Attachment[];
}

function choose<T extends string>(conversation: Flow, ctx: FlowContext, key: string, list: readonly T[], back: boolean, after = "") {
  const button = (id: T): Button => [ctx.t(`${key === "cat" ? "categories" : "help_request.urgency"}.${id}`), `form:${key}:${id}`];
  // Kinds of help two per row (a phone shows ten without scrolling); urgency one per row.
  const perRow = key === "cat" ? 2 : 1;
  const buttons: Button[][] = [];
  for (let i = 0; i < list.length; i += perRow) buttons.push(list.slice(i, i + perRow).map(button));
  return ask(conversation, ctx, {
    text: `${ctx.t(`help_request.ask_${key}`)}${after ? `\n\n${after}` : ""}`,
    buttons,
    back,
    handle: async (u) => {
      const id = u.callbackQuery?.data?.replace(`form:${key}:`, "");
      if (u.callbackQuery?.data?.startsWith(`form:${key}:`) && (list as readonly string[]).includes(id!)) return { done: id as T };
      return u.message ? { error: "use_buttons" } : undefined;
    },
  });
}

function describe(conversation: Flow, ctx: FlowContext, countries: readonly string[], prefilled?: string) {
  const d: Description = { text: prefilled ?? "", attachments: [] };
  let crisisShown = false;
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
      // Someone who writes of suicide or violence gets the crisis lines now, not after the form.
      if (text && !crisisShown && soundsLikeCrisis(text)) {
        crisisShown = true;
        await u.reply(crisisMessage(u.t, u.deps.config, u.locale, countries, true));
      }
      return { show: u.t("help_request.added", { count: d.attachments.length, chars: d.text.length }), buttons: done };
    },
  });
}

/** A number to call back, for someone whose profile has none: optional, typed or shared as a contact. */
function callbackPhone(conversation: Flow, ctx: FlowContext, country: "RU" | "LT") {
  const question = ctx.t("intake.ask_phone");
  return ask<string | null>(conversation, ctx, {
    text: question,
    buttons: [[[ctx.t("form.skip"), "form:skip"]]],
    back: true,
    handle: async (u) => {
      if (u.callbackQuery?.data === "form:skip") return { done: null };
      const m = u.message;
      if (!m) return undefined;
      const typed = m.contact && m.contact.user_id === u.from?.id ? m.contact.phone_number.replace(/^(?=\d)/, "+") : m.text;
      const checked = typed !== undefined ? checkPhone(typed, country) : null;
      if (checked?.ok) return { done: checked.value };
      return { show: `${u.t("intake.phone_format")}\n\n${question}`, buttons: [[[u.t("form.skip"), "form:skip"]]] };
    },
  });
}

type Step = "cat" | "description" | "urgency" | "region" | "phone" | "confirm";

async function helpRequest(conversation: Flow, ctx: FlowContext, prefill?: HelpRequestPrefill) {
  const { prisma, clock, config } = ctx.deps;
  const profile = await conversation.external(() => getProfile(prisma, ctx.person!.id));
  // Only what routing needs is asked of someone without a profile: the region, and a number to call back.
  const steps: Step[] = ["cat", "description", "urgency", ...(profile?.regionCode ? [] : ["region" as const]), ...(profile?.phone ? [] : ["phone" as const]), "confirm"];
  let category: Category | undefined = prefill?.category;
  let i = category ? 1 : 0;
  let description: Description | undefined;
  let urgency: Urgency | undefined;
  let regionCode = profile?.regionCode ?? null;
  let phone: string | null = null;
  const countries = () => (regionCode ? [regionCode.slice(0, 2)] : config.REGION_COUNTRIES);
  for (;;) {
    const step = steps[i]!;
    const answer =
      step === "cat" ? await choose(conversation, ctx, "cat", offeredCategories(config), false)
      : step === "description" ? await describe(conversation, ctx, countries(), prefill?.description)
      // Before saying how urgent it is, the person sees where to call when it cannot wait.
      : step === "urgency" ? await choose(conversation, ctx, "urgency", URGENCIES, true, crisisLines(ctx.t, config, countries()))
      : step === "region" ? await askField(conversation, ctx, "regionCode", {}, true)
      : step === "phone" ? await callbackPhone(conversation, ctx, regionCode?.startsWith("LT-") || (!regionCode && ctx.locale === "lt") ? "LT" : "RU")
      : await ask(conversation, ctx, {
          text: await confirmText(conversation, ctx, { category: category!, urgency: urgency!, description: description!, regionCode: steps.includes("region") ? regionCode : null, phone }),
          buttons: [[[ctx.t("form.confirm_send"), "form:confirm"]]],
          back: true,
          handle: async (u) => (u.callbackQuery?.data === "form:confirm" ? { done: pressKey(u.callbackQuery) } : u.message ? { error: "use_buttons" } : undefined),
        });
    if (answer === RESTART) i = 0;
    else if (answer === BACK) i = Math.max(0, i - 1);
    else if (step !== "confirm") {
      if (step === "cat") category = answer as Category;
      else if (step === "description") description = answer as Description;
      else if (step === "urgency") urgency = answer as Urgency;
      else if (step === "region") regionCode = answer as string;
      else phone = answer as string | null;
      i++;
    } else {
      const sourceKey = answer as string;
      const { case: c } = await conversation.external(() =>
        createCase(prisma, clock, {
          requesterId: ctx.person!.id, category: category!, urgency: urgency!, regionCode,
          description: description!.text, attachments: description!.attachments, sourceKey, callbackPhone: phone,
        }, caseSettings(config)),
      );
      await ctx.reply(createdText(ctx, c, urgency!, countries(), !profile), { reply_markup: withMenuButton(ctx, new InlineKeyboard().text(ctx.t("menu.mycases"), menuData("mycases"))) });
      return;
    }
  }
}

/** The confirmation: what will be sent, with the region and number when they were asked here. */
async function confirmText(conversation: Flow, ctx: FlowContext, r: { category: Category; urgency: Urgency; description: Description; regionCode: string | null; phone: string | null }) {
  const { prisma, config } = ctx.deps;
  const region = r.regionCode ? await conversation.external(() => findRegion(prisma, r.regionCode!, config.REGION_COUNTRIES)) : null;
  const extra = [
    region ? ctx.t("intake.confirm_region", { region: regionName(region, ctx.locale) }) : null,
    r.phone ? ctx.t("intake.confirm_phone", { phone: r.phone }) : null,
  ].filter(Boolean);
  const text = ctx.t("help_request.confirm", {
    category: ctx.t(`categories.${r.category}`), urgency: ctx.t(`help_request.urgency.${r.urgency}`), files: r.description.attachments.length, text: cut(r.description.text, SUMMARY_MAX) || "—",
  });
  // After the last line of the summary (the second blank line), before the description itself.
  const at = text.indexOf("\n\n", text.indexOf("\n\n") + 2);
  return extra.length && at > 0 ? `${text.slice(0, at)}\n${extra.join("\n")}${text.slice(at)}` : text;
}

/**
 * What happens now, honestly: a coordinator has it and writes in working hours; or nobody is free,
 * with the programme's phone and the crisis lines. An urgent request gets the crisis lines too.
 */
function createdText(ctx: FlowContext, c: { number: string; status: string }, urgency: Urgency, countries: readonly string[], noProfile: boolean): string {
  const { config } = ctx.deps;
  const found = c.status === "assigned";
  const parts = [found ? ctx.t("intake.created_assigned", { number: c.number, hours: openingHours(config, ctx.locale) }) : ctx.t("intake.created_nobody", { number: c.number })];
  if (!found) parts.push(crisisMessage(ctx.t, config, ctx.locale, countries));
  else if (urgency === "urgent") parts.push(`${ctx.t("intake.urgent_note")}\n${crisisLines(ctx.t, config, countries)}\n\n${programmeContacts(ctx.t, config, ctx.locale)}`);
  if (noProfile) parts.push(ctx.t("intake.profile_later"));
  return parts.join("\n\n");
}

function helpRequestComposer(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  // No registration first: the form asks what routing needs of someone without a profile.
  menuScreen(c, "ask", async (ctx) => {
    if (hasUnfinishedForm(ctx)) return offerResume(ctx);
    await ctx.conversation.enter(HELP_REQUEST);
  });
  return c;
}

export const helpRequestFeature: Feature = { name: "help-request", composer: helpRequestComposer(), commands: ["ask"], conversations: [{ id: HELP_REQUEST, builder: helpRequest }] };
