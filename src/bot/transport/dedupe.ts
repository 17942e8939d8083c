// Exactly-once handling of updates over the inbox (services/delivery/updates.ts): an update is
// claimed before it is handled, so a re-delivered copy (here or in another process) is skipped; the
// claim is renewed while the handler works; the update is marked handled only when handling
// succeeded. When it failed, it is released with its content, to be handled again by the recovery
// job (a few times at most), so an action lost to a busy database is not lost for good.
// Several processes (PostgreSQL): an update whose chat has another one in hand elsewhere is told to
// wait; whoever finishes a chat's update hands the chat's next waiting one on (handoff), unless it
// is already queued in this process.
import type { MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import type { BotContext } from "../context.js";
import { admitUpdate, CLAIM_MS, markHandled, nextOfChat, releaseUpdate, renewClaim, updateFacts } from "../../services/delivery/updates.js";
import { isPostgres } from "../../db/url.js";
import { observeUpdate } from "../../ops/metrics.js";

export interface Dedupe {
  /** Before sequentialize: notes the updates this process has in hand or queued. */
  arrivals: MiddlewareFn<BotContext>;
  /** After sequentialize: claims, renews, marks handled or releases, hands the chat on. */
  claim: MiddlewareFn<BotContext>;
}

export function dedupe(handoff?: (update: Update) => Promise<unknown>): Dedupe {
  const local = new Set<number>();
  const inFlight = new Set<number>();
  const arrivals: MiddlewareFn<BotContext> = async (ctx, next) => {
    const id = ctx.update.update_id;
    if (local.has(id)) return; // a copy is already queued or in hand here
    local.add(id);
    try {
      await next();
    } finally {
      local.delete(id);
    }
  };
  const claim: MiddlewareFn<BotContext> = async (ctx, next) => {
    const id = ctx.update.update_id;
    const { prisma, clock, logger, config } = ctx.deps;
    const holder = config.INSTANCE_NAME;
    if (inFlight.has(id)) return;
    const started = performance.now();
    const admission = await admitUpdate(prisma, ctx.update, clock(), holder);
    if (admission !== "handle") {
      if (admission === "given-up") logger.warn({ update_id: id }, "gave up an update that failed to finish several times");
      else logger.debug({ update_id: id, admission }, "skipped an update handled, in hand or waiting its turn");
      observeUpdate(ctx.update, admission, performance.now() - started);
      return;
    }
    inFlight.add(id);
    const renew = setInterval(() => void renewClaim(prisma, id, clock(), holder).catch(() => undefined), CLAIM_MS / 3);
    renew.unref();
    let outcome = "failed";
    try {
      await next();
      await markHandled(prisma, id, clock());
      outcome = "handled";
    } catch (err) {
      await releaseUpdate(prisma, id).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(renew);
      inFlight.delete(id);
      observeUpdate(ctx.update, outcome, performance.now() - started);
      logger.debug({ update_id: id, outcome, ms: Math.round(performance.now() - started) }, "update done");
    }
    if (handoff && isPostgres(prisma)) {
      const chatId = updateFacts(ctx.update).chatId;
      const following = chatId === null ? null : await nextOfChat(prisma, chatId, clock()).catch(() => null);
      // Not awaited: this call runs inside the chat's sequentialize slot.
      if (following && !local.has(following.update_id)) setImmediate(() => void handoff(following).catch((err) => logger.error({ err }, "handing an update on failed")));
    }
  };
  return { arrivals, claim };
}
