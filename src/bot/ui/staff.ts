// Who is an administrator of the programme (ADMIN_TELEGRAM_IDS): one check for every command and
// button that needs it.
import type { BotContext } from "../context.js";
import type { Config } from "../../config.js";

export const isAdmin = (ctx: Pick<BotContext, "from" | "deps">): boolean => !!ctx.from && isAdminId(ctx.deps.config, ctx.from.id);

/** The same check for a Telegram id without an update (notices rendered by the outbox). */
export const isAdminId = (config: Pick<Config, "ADMIN_TELEGRAM_IDS">, telegramId: number): boolean => config.ADMIN_TELEGRAM_IDS.includes(telegramId);
