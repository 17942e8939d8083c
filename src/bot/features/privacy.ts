// /privacy: what the person agreed to and when, the consent text, and their two ways out: withdraw
// consent (their data is erased 30 days later by a scheduled job, unless they agree again) or
// erase everything now (/deleteme's confirmation).
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { CB } from "../ui/callbacks.js";
import { ack, clearButtons, menuScreen, withMenuButton } from "../ui/menu.js";
import { eventSettings } from "./events/settings.js";
import { withdrawConsent } from "../../services/people/people.js";
import { askConsent, consentText, continueOnboarding, hasConsent } from "../ui/first-contact.js";
import { localDate, localDateTime, personZone } from "../ui/dates.js";
import { askErase, eraseAnswers } from "../ui/erase.js";

async function showPrivacy(ctx: BotContext): Promise<void> {
  const consent = ctx.person?.consent;
  if (!consent || !hasConsent(ctx)) return askConsent(ctx);
  const status = ctx.t("privacy.status_given", { date: localDateTime(ctx, consent.givenAt, await personZone(ctx)), version: consent.version });
  const kb = new InlineKeyboard()
    .text(ctx.t("privacy.withdraw_button"), CB.withdrawAsk).row()
    .text(ctx.t("consent.erase_now_button"), CB.eraseNow);
  withMenuButton(ctx, kb);
  await ctx.reply(`${status}\n\n${consentText(ctx)}`, { reply_markup: kb, link_preview_options: { is_disabled: true } });
}

function privacy(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  menuScreen(c, "privacy", showPrivacy);
  // Erasure needs no consent in force (someone who withdrew it erases too); a stranger has nothing to erase.
  menuScreen(c, "deleteme", async (ctx) => (ctx.person ? askErase(ctx) : continueOnboarding(ctx)), "profile:deleteme");
  eraseAnswers(c);
  c.callbackQuery(CB.withdrawAsk, async (ctx) => {
    await ack(ctx);
    if (!hasConsent(ctx)) return;
    const kb = new InlineKeyboard()
      .text(ctx.t("privacy.withdraw_yes"), CB.withdrawConfirm).row()
      .text(ctx.t("consent.erase_now_button"), CB.eraseNow).row()
      .text(ctx.t("privacy.withdraw_no"), CB.withdrawKeep);
    await ctx.reply(ctx.t("consent.withdraw_question"), { reply_markup: kb });
  });
  c.callbackQuery(CB.eraseNow, async (ctx) => {
    await ack(ctx);
    if (!ctx.person) return;
    await askErase(ctx);
  });
  c.callbackQuery(CB.withdrawConfirm, async (ctx) => {
    const zone = await personZone(ctx); // read before the withdrawal, while the profile is theirs
    const due = await withdrawConsent(ctx.deps.prisma, ctx.deps.clock, ctx.from.id, eventSettings(ctx.deps.config));
    await ack(ctx);
    await clearButtons(ctx);
    if (due) {
      await ctx.conversation.exitAll();
      const kb = new InlineKeyboard().text(ctx.t("consent.erase_now_button"), CB.eraseNow);
      await ctx.reply(ctx.t("consent.withdrawn", { date: localDate(ctx, due, zone) }), { reply_markup: kb });
    }
  });
  c.callbackQuery(CB.withdrawKeep, async (ctx) => {
    await ack(ctx);
    await clearButtons(ctx, ctx.t("privacy.kept"));
  });
  return c;
}

export const privacyFeature: Feature = { name: "privacy", composer: privacy(), commands: ["privacy", "deleteme"] };
