// The outbox's sending budget, kept in the database so that every sender of every bot process
// shares it: together they stay under OUTBOX_RATE_PER_SECOND (Telegram allows about 30 a second in
// bulk) and one message per chat per OUTBOX_CHAT_GAP_MS. A sender claims a batch of due rows (one
// per chat, chats written to within the gap left for later), takes that many consecutive slots from
// the shared row, and sends each at its slot. A 429 moves the shared "paused until" for everyone.
// Never imports grammY: the job (src/jobs/outbox.ts) does the sending.
import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.js";
import type { DueNotice, Notice } from "./outbox.js";

export interface PaceSettings {
  /** Messages per second for all senders together. */
  perSecond: number;
  /** The least milliseconds between two messages to one chat. */
  chatGapMs: number;
}

const BUDGET = "global";

/** Milliseconds between two slots at the rate. */
export const slotMs = (perSecond: number) => 1000 / perSecond;

/**
 * Takes `n` consecutive slots of the shared budget; returns when the first starts (epoch ms).
 * Slot i starts at first + i × slotMs. A compare-and-set on the row, so two processes never get
 * the same slot; never earlier than a 429's pause.
 */
export async function reserveSlots(db: Db, nowMs: number, n: number, perSecond: number): Promise<number> {
  const gap = slotMs(perSecond);
  for (let tries = 0; ; tries++) {
    // A no-op update makes one INSERT ... ON CONFLICT (an empty one reads first, which SQLite refuses while another process writes).
    const row = await db.deliveryPace.upsert({ where: { key: BUDGET }, create: { key: BUDGET }, update: { key: BUDGET } });
    const first = Math.max(nowMs, Number(row.nextSlotMs), Number(row.pausedUntilMs));
    const { count } = await db.deliveryPace.updateMany({ where: { key: BUDGET, nextSlotMs: row.nextSlotMs }, data: { nextSlotMs: BigInt(Math.ceil(first + n * gap)) } });
    if (count === 1) return first;
    if (tries > 50) throw new Error("delivery budget is contended beyond reason");
  }
}

/** Telegram said 429: nobody sends before `untilMs` (the later of this and any earlier pause). */
export async function slowDown(db: Db, untilMs: number): Promise<void> {
  await db.deliveryPace.upsert({ where: { key: BUDGET }, create: { key: BUDGET, pausedUntilMs: BigInt(untilMs), nextSlotMs: BigInt(untilMs) }, update: { key: BUDGET } });
  await db.deliveryPace.updateMany({ where: { key: BUDGET, pausedUntilMs: { lt: BigInt(untilMs) } }, data: { pausedUntilMs: BigInt(untilMs) } });
  await db.deliveryPace.updateMany({ where: { key: BUDGET, nextSlotMs: { lt: BigInt(untilMs) } }, data: { nextSlotMs: BigInt(untilMs) } });
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
