// Notices the bot owes people (pings, status changes, relayed messages). They are written in the
// same transaction as the change that causes them and delivered by src/jobs/outbox.ts with
// retries, so a crash or a Telegram error never loses one. Several bot processes may deliver:
// each row is claimed with a conditional update before it is sent.
import type { Db } from "../../db/client.js";

export type Notice =
  | { kind: "ping"; caseId: number; coordinatorId: number; colleague?: boolean }
  | { kind: "lapsed"; caseId: number; coordinatorId: number }
  | { kind: "unassigned"; caseId: number }
  | { kind: "status"; caseId: number; status: string }
  | { kind: "rate"; caseId: number }
  | { kind: "relay"; caseId: number; caseMessageId: number; to: "coordinator" | "requester"; fromChatId: number; fromMessageId: number; text?: string }
  | { kind: "file"; caseId: number; fileKind: "photo" | "document"; fileId: string };

type Tx = Pick<Db, "outbox">;

export async function enqueue(tx: Tx, now: Date, key: string, chatId: number | bigint, notice: Notice): Promise<void> {
  await tx.outbox.upsert({
    where: { key },
    create: { key, chatId: BigInt(chatId), method: notice.kind, payload: JSON.stringify(notice), nextAttemptAt: now, createdAt: now },
    update: {},
  });
}

export interface DueNotice {
  id: number;
  chatId: number;
  notice: Notice;
  attempts: number;
}

/** Claims up to `limit` due notices for `leaseMs`; another process will not take them meanwhile. */
export async function claimDue(db: Db, now: Date, limit: number, leaseMs = 60_000): Promise<DueNotice[]> {
  const due = await db.outbox.findMany({
    where: { sentAt: null, nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    orderBy: { id: "asc" },
    take: limit,
  });
  const claimed: DueNotice[] = [];
  for (const row of due) {
    const { count } = await db.outbox.updateMany({
      where: { id: row.id, sentAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
      data: { claimedUntil: new Date(now.getTime() + leaseMs) },
    });
    if (count === 1) claimed.push({ id: row.id, chatId: Number(row.chatId), notice: JSON.parse(row.payload) as Notice, attempts: row.attempts });
  }
  return claimed;
}

export async function markSent(db: Db, id: number, now: Date, messageId?: number): Promise<void> {
  await db.outbox.update({ where: { id }, data: { sentAt: now, sentMessageId: messageId ?? null, claimedUntil: null, attempts: { increment: 1 } } });
}

const NEVER = new Date("9999-01-01T00:00:00Z");

/** Schedules another try: after Telegram's retry_after, else with back-off up to 10 minutes. */
export async function markFailed(db: Db, id: number, now: Date, error: string, opts: { retryAfterSec?: number; permanent?: boolean } = {}): Promise<void> {
  const row = await db.outbox.findUniqueOrThrow({ where: { id }, select: { attempts: true } });
  const backoff = Math.min(600, 2 ** row.attempts) * 1000;
  const next = opts.permanent ? NEVER : new Date(now.getTime() + (opts.retryAfterSec !== undefined ? opts.retryAfterSec * 1000 : backoff));
  await db.outbox.update({ where: { id }, data: { attempts: { increment: 1 }, nextAttemptAt: next, claimedUntil: null, lastError: error.slice(0, 300) } });
}
