// Erasing everything now (/deleteme, and the button in /privacy): the question and its two answers.
// Reachable without consent in force, since someone who withdrew it must still be able to erase.
import { InlineKeyboard, type Composer } from "grammy";
import type { BotContext } from "../context.js";
import { ack, clearButtons } from "./menu.js";
import { sessionKeysOf } from "../transport/storage.js";
import { erasePersonData } from "../../services/people/erasure.js";
import { eventSettings } from "../features/events/settings.js";

export async function askErase(ctx: BotContext): Promise<void> {
  const kb = new InlineKeyboard().text(ctx.t("erase.yes"), "erase:yes").row().text(ctx.t("erase.no"), "erase:no");
  await ctx.reply(ctx.t("erase.question"), { reply_markup: kb });
}

/** The answers to askErase; only a person the bot knows has anything to erase. */
export function eraseAnswers(c: Composer<BotContext>): void {
  c.callbackQuery("erase:no", async (ctx) => {
    await ack(ctx);
    await clearButtons(ctx, ctx.t("erase.kept"));
  });
  c.callbackQuery("erase:yes", async (ctx) => {
    await ack(ctx);
    await clearButtons(ctx);
    if (!ctx.person) return;
    await ctx.conversation.exitAll();
    await erasePersonData(ctx.deps.prisma, ctx.deps.clock, ctx.person.id, sessionKeysOf(ctx.from.id), eventSettings(ctx.deps.config));
    // Nothing of this chat is written back after erasure.
    ctx.session = undefined as never;
    await ctx.reply(ctx.t("erase.done"), { reply_markup: { remove_keyboard: true } });
  });
}
