// Finds who is writing and in which language to answer: their stored choice, else their Telegram
// client's language if we have it, else the programme's default.
import type { Context, MiddlewareFn } from "grammy";
import type { BotDeps, LocaleFlavor } from "../context.js";
import { localeFromTelegram, translator, type Locale } from "../../i18n.js";
import { findPerson } from "../../services/people/people.js";

export function setLocale(ctx: LocaleFlavor, locale: Locale): void {
  ctx.locale = locale;
  ctx.t = translator(ctx.deps.i18n, locale);
}

export function localeMiddleware<C extends Context & LocaleFlavor>(deps: BotDeps): MiddlewareFn<C> {
  return async (ctx, next) => {
    ctx.deps = deps;
    // Outside conversations the person was read with the chat's rows (transport/storage.ts).
    if (ctx.person === undefined) ctx.person = ctx.from ? await findPerson(deps.prisma, ctx.from.id) : null;
    setLocale(ctx, ctx.person?.locale ?? localeFromTelegram(ctx.from?.language_code) ?? deps.config.DEFAULT_LOCALE);
    await next();
  };
}
