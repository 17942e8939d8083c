// The first-contact prompts (language, consent) and the consent check, shared by onboarding, the
// consent gate, /privacy, /language, /help and /cancel. A lower module, so features need not import
// each other.
import { InlineKeyboard } from "grammy";
import type { BotContext, LocaleFlavor } from "../context.js";
import { aboutText, military, programmeName } from "./programme.js";
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

/**
 * The consent screen (152-FZ art. 9 part 4; GDPR art. 13): operator, purposes, data (special
 * categories and a third person's), recipients, Telegram abroad, legal basis, retention,
 * withdrawal and rights. Apart from the "about" text; at most about 3,000 characters with the
 * longest settings (tested), so it fits one message.
 */
export function consentText(ctx: LocaleFlavor): string {
  const { config } = ctx.deps;
  const operator = config.OPERATOR_NAME && config.OPERATOR_ADDRESS
    ? ctx.t("consent.operator", { name: config.OPERATOR_NAME, address: config.OPERATOR_ADDRESS })
    : ctx.t("consent.operator_unset", { programme: programmeName(config, ctx.locale) });
  return [
    ctx.t("consent.title"),
    operator,
    ctx.t("consent.purposes"),
    ctx.t("consent.data"),
    ctx.t(military(config) ? "consent.special_military" : "consent.special_general"),
    config.PARTNER_ORGANISATIONS ? ctx.t("consent.recipients_partners", { partners: config.PARTNER_ORGANISATIONS }) : ctx.t("consent.recipients"),
    ctx.t("consent.telegram"),
    ctx.t("consent.legal_basis"),
    ctx.t("consent.retention", { count: config.DATA_RETENTION_YEARS, days: config.FORM_EXPIRY_DAYS }),
    ctx.t("consent.withdraw"),
    ctx.t("consent.rights"),
    ...(config.PRIVACY_POLICY_URL ? [ctx.t("consent.policy_link", { url: config.PRIVACY_POLICY_URL })] : []),
  ].join("\n\n");
}

/** The "about" text, then the consent screen as a message of its own with its two buttons. */
export async function askConsent(ctx: BotContext, withAbout = true): Promise<void> {
  if (withAbout) await ctx.reply(aboutText(ctx));
  const kb = new InlineKeyboard().text(ctx.t("consent.yes"), CB.consentYes).row().text(ctx.t("consent.no"), CB.consentNo);
  await ctx.reply(`${consentText(ctx)}\n\n${ctx.t("consent.question")}`, { reply_markup: kb, link_preview_options: { is_disabled: true } });
}

export function hasConsent(ctx: BotContext): boolean {
  return consentStatus(ctx.person, ctx.deps.config.PRIVACY_POLICY_VERSION) === "given";
}

/** The next step of first contact for this person, whatever brought them here. */
export async function continueOnboarding(ctx: BotContext, withAbout = true): Promise<void> {
  if (!ctx.person?.locale) return askLanguage(ctx);
  if (!hasConsent(ctx)) return askConsent(ctx, withAbout);
  await showMenu(ctx);
}
