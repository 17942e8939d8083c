// Exactly-once handling of updates over the inbox (services/delivery/updates.ts): an update is
// claimed before it is handled, so a re-delivered copy (here or in another process) is skipped; the
// claim is renewed while the handler works; the update is marked handled only when handling
// succeeded. When it failed, it is released with its content, to be handled again by the recovery
// job (a few times at most), so an action lost to a busy database is not lost for good.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";
import { admitUpdate, CLAIM_MS, markHandled, releaseUpdate, renewClaim } from "../../services/delivery/updates.js";

export function dedupe(): MiddlewareFn<BotContext> {
  const inFlight = new Set<number>();
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    const { prisma, clock, logger } = ctx.deps;
    if (inFlight.has(id)) return;
    const admission = await admitUpdate(prisma, ctx.update, clock());
    if (admission !== "handle") {
      if (admission === "given-up") logger.warn({ update_id: id }, "gave up an update that failed to finish several times");
      else logger.info({ update_id: id, admission }, "skipped an update handled or in hand elsewhere");
      return;
    }
    inFlight.add(id);
    const renew = setInterval(() => void renewClaim(prisma, id, clock()).catch(() => undefined), CLAIM_MS / 3);
    renew.unref();
    try {
      await next();
      await markHandled(prisma, id, clock());
    } catch (err) {
      await releaseUpdate(prisma, id).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(renew);
      inFlight.delete(id);
    }
  };
}
