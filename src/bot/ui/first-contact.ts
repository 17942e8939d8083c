// The first-contact prompts (language, consent) and the consent check, shared by onboarding, the
// consent gate, /privacy, /language, /help and /cancel. A lower module, so features need not import
// each other.
import { InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { CB, languageData } from "./callbacks.js";
import { showMenu } from "./menu.js";
import { LOCALES } from "../../i18n.js";
import { consentStatus } from "../../services/people/people.js";

export function languageKeyboard(ctx: BotContext): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const l of LOCALES) kb.text(`${l === ctx.locale ? "✓ " : ""}${ctx.t(`language.names.${l}`)}`, languageData(l));
  return kb;
}

export async function askLanguage(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t("language.prompt"), { reply_markup: languageKeyboard(ctx) });
}

/** The privacy notice: the programme's own policy page if it has one, else the built-in text. */
export function policyText(ctx: BotContext): string {
  const { config } = ctx.deps;
  return config.PRIVACY_POLICY_URL
    ? ctx.t("start.policy_link", { url: config.PRIVACY_POLICY_URL })
    : ctx.t("start.policy_text", { programme: config.PROGRAMME_NAME, days: config.FORM_EXPIRY_DAYS });
}

export async function askConsent(ctx: BotContext): Promise<void> {
  const { config } = ctx.deps;
  const policy = policyText(ctx);
  const kb = new InlineKeyboard().text(ctx.t("start.consent_yes"), CB.consentYes).row().text(ctx.t("start.consent_no"), CB.consentNo);
  await ctx.reply([ctx.t("start.about", { programme: config.PROGRAMME_NAME }), policy, ctx.t("start.consent_question")].join("\n\n"), {
    reply_markup: kb,
  });
}

export function hasConsent(ctx: BotContext): boolean {
  return consentStatus(ctx.person, ctx.deps.config.PRIVACY_POLICY_VERSION) === "given";
}

/** The next step of first contact for this person, whatever brought them here. */
export async function continueOnboarding(ctx: BotContext): Promise<void> {
  if (!ctx.person?.locale) return askLanguage(ctx);
  if (!hasConsent(ctx)) return askConsent(ctx);
  await showMenu(ctx);
}
