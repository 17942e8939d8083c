// /privacy: what the person agreed to and when, the policy, and withdrawing consent (with a
// confirmation, since it stops the bot's help until they agree again).
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { CB } from "../ui/callbacks.js";
import { ack, clearButtons, menuScreen } from "../ui/menu.js";
import { eventSettings } from "./events/settings.js";
import { withdrawConsent } from "../../services/people/people.js";
import { askConsent, hasConsent, policyText } from "../ui/first-contact.js";

function formatDate(ctx: BotContext, d: Date): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(d) + " UTC";
}

async function showPrivacy(ctx: BotContext): Promise<void> {
  const consent = ctx.person?.consent;
  if (!consent || !hasConsent(ctx)) return askConsent(ctx);
  const policy = policyText(ctx);
  const status = ctx.t("privacy.status_given", { date: formatDate(ctx, consent.givenAt), version: consent.version });
  await ctx.reply(`${status}\n\n${policy}`, { reply_markup: new InlineKeyboard().text(ctx.t("privacy.withdraw_button"), CB.withdrawAsk) });
}

function privacy(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "privacy", showPrivacy);
  c.callbackQuery(CB.withdrawAsk, async (ctx) => {
    await ack(ctx);
    if (!hasConsent(ctx)) return;
    const kb = new InlineKeyboard().text(ctx.t("privacy.withdraw_yes"), CB.withdrawConfirm).row().text(ctx.t("privacy.withdraw_no"), CB.withdrawKeep);
    await ctx.reply(ctx.t("privacy.withdraw_question"), { reply_markup: kb });
  });
  c.callbackQuery(CB.withdrawConfirm, async (ctx) => {
    const done = await withdrawConsent(ctx.deps.prisma, ctx.deps.clock, ctx.from.id, eventSettings(ctx.deps.config));
    await ack(ctx);
    await clearButtons(ctx);
    if (done) {
      await ctx.conversation.exitAll();
      await ctx.reply(ctx.t("privacy.withdrawn"));
    }
  });
  c.callbackQuery(CB.withdrawKeep, async (ctx) => {
    await ack(ctx);
    await clearButtons(ctx, ctx.t("privacy.kept"));
  });
  return c;
}

export const privacyFeature: Feature = { name: "privacy", composer: privacy(), commands: ["privacy"] };
