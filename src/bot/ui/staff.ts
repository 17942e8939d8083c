// Who is an administrator of the programme (ADMIN_TELEGRAM_IDS): one check for every command and
// button that needs it.
import type { BotContext } from "../context.js";

export const isAdmin = (ctx: Pick<BotContext, "from" | "deps">): boolean => !!ctx.from && ctx.deps.config.ADMIN_TELEGRAM_IDS.includes(ctx.from.id);
