// Long polling without losing updates to a crash. grammY's runner asks for the next batch while
// the previous one is still being handled, and that request tells Telegram the batch arrived; a
// process killed at that moment would lose it. So each batch is written to the inbox as it comes
// in, before the runner sees it, and a start first finishes what the last process left unfinished.
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { BotContext, BotDeps } from "../context.js";
import { receiveUpdates, unfinishedUpdates } from "../../services/delivery/updates.js";

/** Telegram keeps an update for 24 hours; one older than that is not worth finishing. */
const RECOVERY_WINDOW_MS = 24 * 3600 * 1000;

export function keepFetchedUpdates(bot: Bot<BotContext>, deps: BotDeps): void {
  bot.api.config.use(async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (method === "getUpdates" && res.ok) await receiveUpdates(deps.prisma, res.result as Update[], deps.clock());
    return res;
  });
}

/** Handles, oldest first, the updates a previous process received but did not finish. */
export async function finishUnfinished(bot: Bot<BotContext>, deps: BotDeps): Promise<number> {
  const pending = await unfinishedUpdates(deps.prisma, new Date(deps.clock().getTime() - RECOVERY_WINDOW_MS));
  for (const update of pending) await bot.handleUpdate(update);
  if (pending.length) deps.logger.info({ count: pending.length }, "finished updates left by the previous run");
  return pending.length;
}
