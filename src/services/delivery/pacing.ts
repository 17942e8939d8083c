// The outbox's share of pacing kept with its rows: a sender claims a batch of due rows (one per
// chat, chats written to within OUTBOX_CHAT_GAP_MS left for later) and sends each at its slot of
// the budget every sender shares (budget.ts). Never imports grammY: the job (src/jobs/outbox.ts)
// does the sending.
import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.js";
import type { DueNotice, Notice } from "./outbox.js";

export interface PaceSettings {
  /** Messages per second for all senders together. */
  perSecond: number;
  /** The least milliseconds between two messages to one chat. */
  chatGapMs: number;
}

export interface Claimed extends DueNotice {
  announcementId: number | null;
}

const unclaimed = (now: Date) => ({ OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] });

/**
 * Claims up to `n` due rows for `leaseMs`, at most one per chat and none for a chat written to
 * within the gap or held by another sender. Notices about cases and events go before
 * announcements, so a ping is not stuck behind ten thousand of them.
 */
export async function claimBatch(db: Db, now: Date, n: number, leaseMs: number, chatGapMs: number): Promise<Claimed[]> {
  const due = { sentAt: null, nextAttemptAt: { lte: now }, ...unclaimed(now) };
  const select = { id: true, chatId: true } as const;
  const first = await db.outbox.findMany({ where: { ...due, announcementId: null }, orderBy: { id: "asc" }, take: n * 2, select });
  const rest = first.length >= n * 2 ? [] : await db.outbox.findMany({ where: { ...due, announcementId: { not: null } }, orderBy: { id: "asc" }, take: n * 2, select });
  const candidates = [...first, ...rest];
  if (!candidates.length) return [];
  const chats = [...new Set(candidates.map((r) => r.chatId))];
  const busy = await db.outbox.findMany({
    where: { chatId: { in: chats }, OR: [{ sentAt: { gt: new Date(now.getTime() - chatGapMs) } }, { sentAt: null, claimedUntil: { gte: now } }] },
    select: { chatId: true },
  });
  const taken = new Set(busy.map((b) => b.chatId));
  const picked: number[] = [];
  for (const r of candidates) {
    if (picked.length >= n || taken.has(r.chatId)) continue;
    taken.add(r.chatId);
    picked.push(r.id);
  }
  if (!picked.length) return [];
  const token = randomUUID();
  await db.outbox.updateMany({ where: { id: { in: picked }, sentAt: null, ...unclaimed(now) }, data: { claimedUntil: new Date(now.getTime() + leaseMs), claimToken: token } });
  const rows = await db.outbox.findMany({ where: { claimToken: token }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ id: r.id, chatId: Number(r.chatId), notice: JSON.parse(r.payload) as Notice, attempts: r.attempts, announcementId: r.announcementId }));
}

/** Gives back claimed rows not sent (the batch stopped on a 429): no attempt is counted. */
export async function release(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.outbox.updateMany({ where: { id: { in: ids }, sentAt: null }, data: { claimedUntil: null, claimToken: null } });
}

/** Telegram answered 403 for this chat: later announcements skip the person (until they write again). */
export async function markUnreachable(db: Db, chatId: number, now: Date): Promise<void> {
  await db.person.updateMany({ where: { telegramId: BigInt(chatId), unreachableAt: null }, data: { unreachableAt: now } });
}
