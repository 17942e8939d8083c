// First contact: greeting, language, what the bot is and who runs it, consent, then the menu.
// Stateless on purpose: each step is decided from what the database says about the person, so a
// restart at any point continues where they were, and before consent nothing about them is
// stored but their Telegram id and language (no conversation replay log holding their name).
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import type { Feature } from "../feature.js";
import { CB, menuData } from "../ui/callbacks.js";
import { askConsent, askLanguage, hasConsent } from "../ui/first-contact.js";
import { ack, clearButtons, showMenu } from "../ui/menu.js";
import { hasUnfinishedForm, offerResume } from "../forms/resume.js";
import { INVITE_PREFIX, useInvite } from "./invites.js";
import { EVENT_LINK_PREFIX, showEventCard } from "./events/card.js";
import { CHECKIN_PREFIX, scanned } from "./events/checkin.js";
import { consentStatus, giveConsent, refuseConsent } from "../../services/people/people.js";
import { crisisMessage } from "../ui/crisis.js";
import { coordinatorOf } from "../ui/staff.js";

function onboarding(): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command("start", async (ctx) => {
    // An invite link opened before consent is kept and used right after consent is given.
    const payload = ctx.match.trim();
    // An organiser scanning a participant's QR code: attendance (scanned() checks who scans).
    if (payload.startsWith(CHECKIN_PREFIX) && hasConsent(ctx)) return scanned(ctx, payload);
    // An event's deep link (t.me/<bot>?start=ev_<code>): shown now, or after consent.
    if (payload.startsWith(EVENT_LINK_PREFIX)) {
      const e = await ctx.deps.prisma.event.findFirst({ where: { code: payload.slice(EVENT_LINK_PREFIX.length), status: "published" }, select: { id: true } });
      if (hasConsent(ctx)) return showEventCard(ctx, e);
      if (e) ctx.session.pendingEvent = e.id;
    }
    if (payload.startsWith(INVITE_PREFIX)) {
      if (hasConsent(ctx)) return useInvite(ctx, payload.slice(INVITE_PREFIX.length));
      ctx.session.pendingInvite = payload.slice(INVITE_PREFIX.length);
    }
    if (!ctx.person?.locale) {
      await ctx.reply(ctx.t("start.greeting"));
      return askLanguage(ctx);
    }
    if (!hasConsent(ctx)) {
      const status = consentStatus(ctx.person, ctx.deps.config.PRIVACY_POLICY_VERSION);
      if (status === "outdated") await ctx.reply(ctx.t("start.policy_updated"));
      return askConsent(ctx);
    }
    if (hasUnfinishedForm(ctx)) return offerResume(ctx);
    // A coordinator taken off duty (by themselves, or because pings could not reach them) is
    // reminded on return, so requests do not silently pass them by.
    const coordinator = await coordinatorOf(ctx);
    const offDuty = coordinator && !coordinator.onDuty ? `\n\n${ctx.t("coordinator.off_duty_reminder")}` : "";
    await showMenu(ctx, ctx.t("start.welcome_back") + offDuty);
  });

  c.callbackQuery(CB.consentYes, async (ctx) => {
    const { prisma, clock, config } = ctx.deps;
    if (!ctx.person?.locale) {
      await ack(ctx);
      return askLanguage(ctx);
    }
    const recorded = await giveConsent(prisma, clock, ctx.from.id, config.PRIVACY_POLICY_VERSION);
    await ack(ctx, recorded ? ctx.t("start.consent_given_short") : ctx.t("start.already_consented"));
    if (!recorded) return; // a double press or an old prompt: the menu is already there
    await clearButtons(ctx);
    ctx.person = { ...ctx.person, consent: { version: config.PRIVACY_POLICY_VERSION, givenAt: clock() }, refusedAt: null };
    await showMenu(ctx, ctx.t("start.consent_given"));
    if (ctx.session.pendingEvent) await showEventCard(ctx, { id: ctx.session.pendingEvent });
    ctx.session.pendingEvent = undefined;
    const invite = ctx.session.pendingInvite;
    if (invite) {
      ctx.session.pendingInvite = undefined;
      await useInvite(ctx, invite);
    }
  });

  c.callbackQuery(CB.consentNo, async (ctx) => {
    await ack(ctx);
    if (hasConsent(ctx)) return; // an old prompt; withdrawing is done from /privacy, with confirmation
    await refuseConsent(ctx.deps.prisma, ctx.deps.clock, ctx.from.id);
    await clearButtons(ctx);
    // Not a dead end: whom to call without the bot (the programme and the crisis lines), the terms
    // again (to agree after all), or another language.
    const contacts = `${ctx.t("crisis.consent_refused")}\n\n${crisisMessage(ctx.t, ctx.deps.config, ctx.locale, ctx.deps.config.REGION_COUNTRIES)}`;
    const kb = new InlineKeyboard().text(ctx.t("consent.read_again"), CB.consentAgain).row().text(ctx.t("menu.language"), menuData("language"));
    await ctx.reply(`${ctx.t("start.consent_refused")}\n\n${contacts}`, { reply_markup: kb });
  });

  c.callbackQuery(CB.consentAgain, async (ctx) => {
    await ack(ctx);
    if (hasConsent(ctx)) return showMenu(ctx);
    await askConsent(ctx, false);
  });

  return c;
}

export const onboardingFeature: Feature = { name: "onboarding", composer: onboarding(), commands: ["start"] };
