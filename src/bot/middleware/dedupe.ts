// Exactly-once handling of updates: a re-delivered update_id is skipped. Runs after sequentialize,
// so a duplicate arriving while the first copy is still being handled waits and then sees it done.
// The id is recorded when handling ends (also after an error, which the person was told about), so
// a crash half-way lets Telegram's re-delivery finish the work instead of losing it.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";
import { markProcessed, wasProcessed } from "../../services/updates.js";

export function dedupe(): MiddlewareFn<BotContext> {
  const inFlight = new Set<number>();
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    const { prisma, clock, logger } = ctx.deps;
    if (inFlight.has(id) || (await wasProcessed(prisma, id))) {
      logger.info({ update_id: id }, "skipped re-delivered update");
      return;
    }
    inFlight.add(id);
    try {
      await next();
    } finally {
      inFlight.delete(id);
      await markProcessed(prisma, id, clock());
    }
  };
}
