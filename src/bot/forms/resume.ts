// A person who left a form half-way and comes back (/start, the menu, days later, after a restart)
// is asked whether to continue where they were or start over. The buttons go to the waiting form.
import { InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { CANCEL_DATA } from "../ui/callbacks.js";
import { FORM } from "./ask.js";

export function hasUnfinishedForm(ctx: BotContext): boolean {
  return Object.keys(ctx.conversation.active()).length > 0;
}

export async function offerResume(ctx: BotContext): Promise<void> {
  const kb = new InlineKeyboard()
    .text(ctx.t("form.resume"), FORM.resume)
    .row()
    .text(ctx.t("form.start_over"), FORM.restart)
    .row()
    .text(ctx.t("form.cancel"), CANCEL_DATA);
  await ctx.reply(ctx.t("form.unfinished"), { reply_markup: kb });
}
