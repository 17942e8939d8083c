// Long polling without losing updates to a crash. grammY's runner asks for the next batch while
// the previous one is still being handled, and that request tells Telegram the batch arrived; a
// process killed at that moment would lose it. So each batch is written to the inbox as it comes
// in, before the runner sees it, and a start first finishes what the last process left unfinished.
// A recovery job does the same while running: updates whose handling failed, or whose process
// died (its claim ran out), are handled again.
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { BotContext, BotDeps } from "../context.js";
import { receiveUpdates, releaseAllClaims, unfinishedUpdates } from "../../services/delivery/updates.js";
import { engineOf } from "../../db/url.js";
import type { Job } from "../../jobs/scheduler.js";

/** Telegram keeps an update for 24 hours; one older than that is not worth finishing. */
const RECOVERY_WINDOW_MS = 24 * 3600 * 1000;
/** While running, an update is left to the runner this long before the recovery job takes it as failed or orphaned. */
const RUNNER_GRACE_MS = 60_000;

export function keepFetchedUpdates(bot: Bot<BotContext>, deps: BotDeps): void {
  bot.api.config.use(async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (method === "getUpdates" && res.ok) await receiveUpdates(deps.prisma, res.result as Update[], deps.clock());
    return res;
  });
}

/**
 * Handles, oldest first, the updates received but not finished. At start on SQLite (one process by
 * design) claims left by the previous process are taken over; on PostgreSQL another live process
 * may hold them, so they wait for their claim to run out.
 */
export async function finishUnfinished(bot: Bot<BotContext>, deps: BotDeps, atStart = true): Promise<number> {
  const now = deps.clock();
  if (atStart && engineOf(deps.config.DATABASE_URL) === "sqlite") await releaseAllClaims(deps.prisma);
  const before = atStart ? now : new Date(now.getTime() - RUNNER_GRACE_MS);
  const pending = await unfinishedUpdates(deps.prisma, new Date(now.getTime() - RECOVERY_WINDOW_MS), now, before);
  for (const update of pending) await bot.handleUpdate(update);
  if (pending.length) deps.logger.info({ count: pending.length }, "finished updates left unfinished");
  return pending.length;
}

export function recoverUpdatesJob(bot: Bot<BotContext>, deps: BotDeps): Job {
  return { name: "recover-updates", everyMs: 30_000, run: () => finishUnfinished(bot, deps, false) };
}
