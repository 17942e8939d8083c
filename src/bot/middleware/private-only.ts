// The bot serves people one to one: requests for help are private. In groups it stays silent,
// except that a command addressed to it gets a pointer to the private chat.
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { localeFromTelegram } from "../../i18n.js";

export function privateOnly(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.use(async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat) return ctx.callbackQuery ? next() : undefined; // inline queries, polls etc. are not served
    if (chat.type === "private") return next();
    const text = ctx.message?.text ?? "";
    const addressed = /^\/[a-z_]+(@\w+)?/i.exec(text);
    const mentionsUs = addressed && (!addressed[1] || addressed[1].slice(1).toLowerCase() === ctx.me.username.toLowerCase());
    if (ctx.message && mentionsUs) {
      const { deps } = ctx;
      const t = deps.i18n.getFixedT(localeFromTelegram(ctx.from?.language_code) ?? deps.config.DEFAULT_LOCALE);
      await ctx.reply(t("errors.private_only", { link: `https://t.me/${ctx.me.username}` }), {
        reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
      });
    }
  });
  return c;
}
