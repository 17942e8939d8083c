// /settings: a person turns the programme's announcements off or on. Case notices, event notices
// and reminders are not announcements and still reach them. Writing to the bot again also makes a
// person who had blocked it reachable for announcements again.
import { Composer, InlineKeyboard, type MiddlewareFn } from "grammy";
import type { BotContext } from "../../context.js";
import type { Feature } from "../../feature.js";
import { announcementsOn, markReachable, setAnnouncements } from "../../../services/delivery/announcements.js";

const TOGGLE = /^settings:ann:(on|off)$/;

function view(ctx: BotContext, on: boolean) {
  const kb = new InlineKeyboard().text(ctx.t(on ? "announcements.turn_off" : "announcements.turn_on"), `settings:ann:${on ? "off" : "on"}`);
  return { text: ctx.t(on ? "announcements.settings_on" : "announcements.settings_off"), reply_markup: kb };
}

/** Someone Telegram refused a message to (403) who writes to the bot again is reachable again. */
export const reachableAgain: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.from && ctx.person?.unreachable) {
    await markReachable(ctx.deps.prisma, ctx.from.id);
    ctx.person.unreachable = false; // the rest of this update reads the person as they now are
  }
  await next();
};

function settings(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("settings", async (ctx) => {
    const v = view(ctx, await announcementsOn(ctx.deps.prisma, ctx.from!.id));
    await ctx.reply(v.text, { reply_markup: v.reply_markup });
  });
  c.callbackQuery(TOGGLE, async (ctx) => {
    const on = ctx.match[1] === "on";
    // Setting a value (not flipping it) makes a repeated press harmless.
    await setAnnouncements(ctx.deps.prisma, ctx.deps.clock, ctx.from.id, on);
    await ctx.answerCallbackQuery(ctx.t(on ? "announcements.turned_on" : "announcements.turned_off"));
    const v = view(ctx, on);
    await ctx.editMessageText(v.text, { reply_markup: v.reply_markup }).catch(() => undefined);
  });
  return c;
}

export const announcementSettingsFeature: Feature = { name: "announcement-settings", composer: settings(), commands: ["settings"] };
