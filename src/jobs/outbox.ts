// Delivers queued notices in paced batches: each row of a batch is sent at its slot of the sending
// budget every process shares with the bot's direct replies (services/delivery/budget.ts), so all
// senders together stay under Telegram's limits; the outbox takes what replies leave, in batches of
// half a second, so a person who just wrote never waits behind an announcement for long. A
// notice Telegram refuses for a while (429, 5xx, network) is tried again later; a 429 pauses every
// sender for its retry_after and ends this batch (the rest is given back). One it can never deliver is set aside with the reason, and the people it concerns are
// told: a ping or relay a coordinator cannot get moves the case on; a relay the requester cannot
// get, or one Telegram refuses (400), is reported to whoever wrote it.
import { GrammyError, HttpError, type Api } from "grammy";
import type { BotDeps } from "../bot/context.js";
import { recipients, renderNotice, type Recipient } from "../bot/ui/notices.js";
import { recordRelayed } from "../services/cases/messages.js";
import { markFailed, markSent, type DueNotice } from "../services/delivery/outbox.js";
import { claimBatch, markUnreachable, release, type PaceSettings } from "../services/delivery/pacing.js";
import { budgetFor } from "../services/delivery/budget.js";
import { announcementProgress, PROGRESS_EVERY_MS } from "../bot/features/announcements/progress.js";
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

async function deliverOne(deps: BotDeps, api: Api, item: DueNotice, known?: Recipient): Promise<Outcome> {
  const { prisma, clock, logger } = deps;
  try {
    const call = await renderNotice(deps, item.chatId, item.notice, known);
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
    if (!verdict.permanent) {
      if (verdict.retryAfter === undefined) return "retry";
      await budgetFor(prisma, deps.config.OUTBOX_RATE_PER_SECOND).pause(Date.now() + verdict.retryAfter * 1000);
      return "rate_limited";
    }
    const n = item.notice;
    if (verdict.reason === "blocked") await markUnreachable(prisma, item.chatId, clock());
    if (n.kind === "ping" && verdict.reason === "blocked") await pingUndeliverable(prisma, clock, n.caseId, n.coordinatorId, caseSettings(deps.config));
    if (n.kind === "relay") await relayUndeliverable(prisma, clock, n, item.chatId, verdict.reason, caseSettings(deps.config));
    return "set_aside";
  }
}

export const paceSettings = (c: BotDeps["config"]): PaceSettings => ({ perSecond: c.OUTBOX_RATE_PER_SECOND, chatGapMs: c.OUTBOX_CHAT_GAP_MS });

/**
 * One paced batch: half a second of the budget at most, taken when no reply is queued ahead,
 * each row sent at its own slot without waiting for the one before (a send takes longer than a
 * slot). `limited` when a 429 (here or in another process) stopped it.
 */
async function deliverBatch(deps: BotDeps, api: Api, max: number): Promise<{ sent: number; claimed: number; limited: boolean; announcements: Set<number> }> {
  const pace = paceSettings(deps.config);
  const budget = budgetFor(deps.prisma, pace.perSecond);
  const n = Math.max(1, Math.min(max, Math.ceil(pace.perSecond / 2)));
  const items = await claimBatch(deps.prisma, deps.clock(), n, DELIVERY_LEASE_MS, pace.chatGapMs);
  const announcements = new Set(items.flatMap((i) => (i.announcementId ? [i.announcementId] : [])));
  if (!items.length) return { sent: 0, claimed: 0, limited: false, announcements };
  const first = await budget.slotsYielding(items.length);
  if (first - Date.now() > DELIVERY_LEASE_MS / 4) {
    // Paused for longer than the claim is worth holding (a long retry_after): try again later.
    await release(deps.prisma, items.map((i) => i.id));
    return { sent: 0, claimed: 0, limited: true, announcements };
  }
  // Read just before the first slot: an opt-out pressed meanwhile is seen.
  const people = await recipients(deps, items.map((i) => i.chatId));
  let limited = false;
  let sent = 0;
  const unsent: number[] = [];
  const results = await Promise.allSettled(
    items.map(async (item, i) => {
      if ((await budget.turn(first + i * budget.slotMs, 1, { onPause: "stop" })) === null) limited = true;
      if (limited) return void unsent.push(item.id);
      const outcome = await deliverOne(deps, api, item, people.get(item.chatId));
      if (outcome === "sent") sent++;
      if (outcome === "rate_limited") limited = true;
    }),
  );
  await release(deps.prisma, unsent);
  // Every row is settled before the batch returns; one that failed to record is retried when its claim lapses.
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return { sent, claimed: items.length, limited, announcements };
}

/** Sends up to `limit` due notices in paced batches; stops early when Telegram asks to slow down. */
export async function deliverDue(deps: BotDeps, api: Api, limit = 25): Promise<number> {
  let sent = 0;
  let done = 0;
  const touched = new Set<number>();
  let progressAt = Date.now();
  while (done < limit) {
    const r = await deliverBatch(deps, api, limit - done);
    r.announcements.forEach((a) => touched.add(a));
    sent += r.sent;
    done += r.claimed;
    if (!r.claimed || r.limited) break;
    if (Date.now() - progressAt >= PROGRESS_EVERY_MS) {
      progressAt = Date.now();
      for (const id of touched) await announcementProgress(deps, api, id);
    }
  }
  for (const id of touched) await announcementProgress(deps, api, id);
  return sent;
}

export function outboxJob(deps: BotDeps, api: Api): Job {
  // A run sends up to ten seconds of the budget, so the pause between runs costs a big announcement little.
  return { name: "outbox", everyMs: deps.config.OUTBOX_INTERVAL_MS, run: () => deliverDue(deps, api, Math.max(25, Math.ceil(deps.config.OUTBOX_RATE_PER_SECOND * 10))) };
}
