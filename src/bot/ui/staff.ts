// Who is an administrator of the programme (ADMIN_TELEGRAM_IDS), and the coordinator writing: one
// check for every command and button that needs it.
import type { BotContext, FlowContext } from "../context.js";
import type { Config } from "../../config.js";
import { coordinatorByTelegram, type CoordinatorRow } from "../../services/cases/queries.js";

export const isAdmin = (ctx: Pick<BotContext, "from" | "deps">): boolean => !!ctx.from && isAdminId(ctx.deps.config, ctx.from.id);

/** The same check for a Telegram id without an update (notices rendered by the outbox). */
export const isAdminId = (config: Pick<Config, "ADMIN_TELEGRAM_IDS">, telegramId: number): boolean => config.ADMIN_TELEGRAM_IDS.includes(telegramId);

/**
 * The active coordinator writing, or null. The update's first read already says whether there is
 * one (PersonState.coordinator), so the messages of everyone else skip the lookup.
 */
export function coordinatorOf(ctx: BotContext | FlowContext): Promise<CoordinatorRow | null> {
  if (!ctx.from || ctx.person?.coordinator === false) return Promise.resolve(null);
  return coordinatorByTelegram(ctx.deps.prisma, ctx.from.id);
}
