// Exactly-once handling of updates over the inbox (services/updates.ts): a re-delivered update_id
// is skipped, an unfinished one is handled. Runs after sequentialize, so a copy arriving while the
// first is still being handled waits and then finds it done. The update is marked handled when
// handling ends (also after an error, which the person was told about), never before.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";
import { admitUpdate, markHandled } from "../../services/delivery/updates.js";

export function dedupe(): MiddlewareFn<BotContext> {
  const inFlight = new Set<number>();
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    const { prisma, clock, logger } = ctx.deps;
    if (inFlight.has(id)) return;
    const admission = await admitUpdate(prisma, ctx.update, clock());
    if (admission !== "handle") {
      if (admission === "given-up") logger.warn({ update_id: id }, "gave up an update that failed to finish several times");
      else logger.info({ update_id: id }, "skipped re-delivered update");
      return;
    }
    inFlight.add(id);
    try {
      await next();
    } finally {
      inFlight.delete(id);
      await markHandled(prisma, id, clock());
    }
  };
}
