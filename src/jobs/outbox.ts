// Delivers queued notices, one claimed row at a time. A notice Telegram refuses for a while (429,
// 5xx, network) is tried again later, and a 429 ends this round so the whole bot slows down as
// asked. One it can never deliver is set aside with the reason, and the people it concerns are
// told: a ping or relay a coordinator cannot get moves the case on; a relay the requester cannot
// get, or one Telegram refuses (400), is reported to whoever wrote it.
import { GrammyError, HttpError, type Api } from "grammy";
import type { BotDeps } from "../bot/context.js";
import { renderNotice } from "../bot/ui/notices.js";
import { recordRelayed } from "../services/cases/messages.js";
import { claimNext, markFailed, markSent, type DueNotice } from "../services/delivery/outbox.js";
import { pingUndeliverable } from "../services/cases/lifecycle.js";
import { relayUndeliverable } from "../services/cases/undelivered.js";
import { caseSettings } from "../bot/features/cases/settings.js";
import { DELIVERY_TIMEOUT_SECONDS } from "../bot/transport/api-defaults.js";
import type { Job } from "./scheduler.js";

/** A claim outlives the longest send (the delivery API's timeout) several times over. */
export const DELIVERY_LEASE_MS = DELIVERY_TIMEOUT_SECONDS * 4 * 1000;

type Outcome = "sent" | "retry" | "rate_limited" | "set_aside";

/** Why Telegram refused, as the bot must act on it. */
function classify(err: unknown): { permanent: false; retryAfter?: number } | { permanent: true; reason: "blocked" | "refused" } {
  if (!(err instanceof GrammyError)) return { permanent: false };
  if (err.error_code === 429) return { permanent: false, retryAfter: err.parameters?.retry_after ?? 1 };
  if (err.error_code === 403 || /chat not found|user is deactivated|bot was blocked/i.test(err.description)) return { permanent: true, reason: "blocked" };
  if (err.error_code === 400) return { permanent: true, reason: "refused" };
  return { permanent: false };
}

async function deliverOne(deps: BotDeps, api: Api, item: DueNotice): Promise<Outcome> {
  const { prisma, clock, logger } = deps;
  try {
    const call = await renderNotice(deps, item.chatId, item.notice);
    if (!call) {
      await markSent(prisma, item.id, clock()); // nothing left to say (case gone, erased, consent withdrawn)
      return "sent";
    }
    const result = (await api.raw[call.method](call.payload as never)) as { message_id?: number };
    await markSent(prisma, item.id, clock(), result?.message_id);
    if (item.notice.kind === "relay" && result?.message_id) await recordRelayed(prisma, item.notice.caseMessageId, item.chatId, result.message_id);
    return "sent";
  } catch (err) {
    // A command menu is a convenience: one Telegram (or an emulator) refuses is not tried again.
    if (item.notice.kind === "commands") {
      await markSent(prisma, item.id, clock());
      logger.warn({ err }, "could not set a chat's command menu; continuing without it");
      return "sent";
    }
    const verdict = classify(err);
    const message = err instanceof GrammyError || err instanceof HttpError ? err.message : String(err);
    await markFailed(prisma, item.id, clock(), message, verdict.permanent ? { permanent: true } : { retryAfterSec: verdict.retryAfter });
    logger.warn({ err, notice: item.notice.kind, attempts: item.attempts + 1, permanent: verdict.permanent }, "notice not delivered");
    if (!verdict.permanent) return verdict.retryAfter !== undefined ? "rate_limited" : "retry";
    const n = item.notice;
    if (n.kind === "ping" && verdict.reason === "blocked") await pingUndeliverable(prisma, clock, n.caseId, n.coordinatorId, caseSettings(deps.config));
    if (n.kind === "relay") await relayUndeliverable(prisma, clock, n, item.chatId, verdict.reason, caseSettings(deps.config));
    return "set_aside";
  }
}

/** Sends up to `limit` due notices; stops early when Telegram asks to slow down. */
export async function deliverDue(deps: BotDeps, api: Api, limit = 25): Promise<number> {
  let sent = 0;
  for (let i = 0; i < limit; i++) {
    const item = await claimNext(deps.prisma, deps.clock(), DELIVERY_LEASE_MS);
    if (!item) break;
    const outcome = await deliverOne(deps, api, item);
    if (outcome === "sent") sent++;
    if (outcome === "rate_limited") break;
  }
  return sent;
}

export function outboxJob(deps: BotDeps, api: Api): Job {
  return { name: "outbox", everyMs: deps.config.OUTBOX_INTERVAL_MS, run: () => deliverDue(deps, api) };
}
