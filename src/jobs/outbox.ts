// Delivers queued notices. A notice that Telegram refuses for a while (429, 5xx, network) is tried
// again later; one it can never deliver (the person blocked the bot) is set aside with the reason,
// and a ping that can never be delivered sends its case on to the next coordinator at once.
import { GrammyError, HttpError, type Api } from "grammy";
import type { BotDeps } from "../bot/context.js";
import { renderNotice } from "../bot/ui/notices.js";
import { recordRelayed } from "../services/cases/messages.js";
import { claimDue, markFailed, markSent } from "../services/delivery/outbox.js";
import { pingUndeliverable } from "../services/cases/lifecycle.js";
import { caseSettings } from "../bot/features/cases/settings.js";
import type { Job } from "./scheduler.js";

export async function deliverDue(deps: BotDeps, api: Api, limit = 25): Promise<number> {
  const { prisma, clock, logger } = deps;
  const due = await claimDue(prisma, clock(), limit);
  let sent = 0;
  for (const item of due) {
    try {
      const call = await renderNotice(deps, item.chatId, item.notice);
      if (!call) {
        await markSent(prisma, item.id, clock());
        continue;
      }
      const result = (await api.raw[call.method](call.payload as never)) as { message_id?: number };
      await markSent(prisma, item.id, clock(), result?.message_id);
      if (item.notice.kind === "relay" && result?.message_id) await recordRelayed(prisma, item.notice.caseMessageId, item.chatId, result.message_id);
      sent++;
    } catch (err) {
      const e = err as GrammyError;
      const permanent = err instanceof GrammyError && (e.error_code === 403 || (e.error_code === 400 && /chat not found|user is deactivated/i.test(e.description)));
      const retryAfter = err instanceof GrammyError ? e.parameters?.retry_after : undefined;
      await markFailed(prisma, item.id, clock(), err instanceof GrammyError || err instanceof HttpError ? err.message : String(err), { retryAfterSec: retryAfter, permanent });
      logger.warn({ err, notice: item.notice.kind, attempts: item.attempts + 1, permanent }, "notice not delivered");
      if (permanent && item.notice.kind === "ping") {
        await pingUndeliverable(prisma, clock, item.notice.caseId, item.notice.coordinatorId, caseSettings(deps.config));
      }
    }
  }
  return sent;
}

export function outboxJob(deps: BotDeps, api: Api): Job {
  return { name: "outbox", everyMs: deps.config.OUTBOX_INTERVAL_MS, run: () => deliverDue(deps, api) };
}
