// Telegram caps a message at 4096 characters; anything longer (from a forged or emulated client)
// gets a clear answer instead of reaching a handler.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";

export const MAX_MESSAGE_LENGTH = 4096;

export function messageLimits(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const text = ctx.message?.text ?? ctx.message?.caption;
    if (text !== undefined && text.length > MAX_MESSAGE_LENGTH) {
      await ctx.reply(ctx.t("errors.too_long", { count: MAX_MESSAGE_LENGTH }));
      return;
    }
    await next();
  };
}
