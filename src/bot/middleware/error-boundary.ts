// One failing update must never stop the bot: log it (without personal data) and apologise to the
// person in their language.
import type { BotError } from "grammy";
import type { BotContext, BotDeps } from "../context.js";
import { localeFromTelegram } from "../../i18n.js";

export function errorBoundary(deps: BotDeps) {
  return async (err: BotError<BotContext>): Promise<void> => {
    const ctx = err.ctx;
    const kind = Object.keys(ctx.update).find((k) => k !== "update_id");
    deps.logger.error({ err: err.error, update_id: ctx.update.update_id, kind }, "update failed");
    if (ctx.chat?.type !== "private") return;
    const t = ctx.t ?? deps.i18n.getFixedT(localeFromTelegram(ctx.from?.language_code) ?? deps.config.DEFAULT_LOCALE);
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      await ctx.reply(t("errors.generic"));
    } catch (e) {
      deps.logger.warn({ err: e, update_id: ctx.update.update_id }, "could not send the apology");
    }
  };
}
