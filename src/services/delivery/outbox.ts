// Notices the bot owes people (pings, status changes, relayed messages). They are written in the
// same transaction as the change that causes them and delivered by src/jobs/outbox.ts with
// retries, so a crash or a Telegram error never loses one. Payloads carry ids, never what a person
// wrote (that is read from the case at delivery). Several bot processes may deliver: a row is
// claimed, one at a time, for longer than one send can take, so no two processes send it.
import type { Db } from "../../db/client.js";
import type { HotSql } from "../../db/direct.js";

export type Notice = CaseNotice | EventNotice | PersonNotice | AnnouncementNotice;

/** Notices about a person, not a case or an event: ids only, rendered by the bot at delivery. */
export type PersonNotice =
  /** To those who may confirm: a minor named a representative who must also agree. */
  | { kind: "guardian_pending"; personId: number }
  /** To the minor: a coordinator confirmed the representative's consent. */
  | { kind: "guardian_confirmed"; personId: number }
  /** The chat's command menu follows the staff role in force at delivery (best-effort). */
  | { kind: "commands" };

const PERSON_NOTICE_KINDS: readonly string[] = ["guardian_pending", "guardian_confirmed", "commands"];
export const isPersonNotice = (n: Notice): n is PersonNotice => PERSON_NOTICE_KINDS.includes(n.kind);

/** One recipient's copy of an announcement (src/services/delivery/announcements.ts), rendered at send time. */
export type AnnouncementNotice = { kind: "announcement"; announcementId: number };

/** Notices about events (src/services/events/): ids only, rendered by the bot from the event at delivery. */
export type EventNotice =
  /** A seat is offered to the first in line: Accept / Decline until `until` (ISO). */
  | { kind: "event_offer"; eventId: number; enrolmentId: number; until: string }
  /** An offer ran out unanswered; the seat went to the next in line. */
  | { kind: "event_offer_expired"; eventId: number; enrolmentId: number }
  /** The place is confirmed (sign-up, accepted offer, approval). */
  | { kind: "event_confirmed"; eventId: number; enrolmentId: number }
  /** The organiser declined a sign-up that needed approval. */
  | { kind: "event_rejected"; eventId: number; enrolmentId: number }
  /** To organisers: a sign-up waits for approval (a minor, or an event that needs it). */
  | { kind: "event_approval_needed"; eventId: number; enrolmentId: number }
  | { kind: "event_reminder"; eventId: number; enrolmentId: number; hoursBefore: number }
  /** Time or place changed; `fields` names what changed. */
  | { kind: "event_changed"; eventId: number; fields: string[] }
  | { kind: "event_cancelled"; eventId: number }
  /** An organiser's message to the participants (events/announce.ts): its text is read at send time. */
  | { kind: "event_message"; eventId: number; messageId: number };

export const isEventNotice = (n: Notice): n is EventNotice => n.kind.startsWith("event_");

export type CaseNotice =
  | { kind: "ping"; caseId: number; coordinatorId: number; colleague?: boolean }
  | { kind: "lapsed"; caseId: number; coordinatorId: number }
  | { kind: "unassigned"; caseId: number }
  /** `taken`: a coordinator took the case (the notice names them). */
  | { kind: "status"; caseId: number; status: string; taken?: boolean }
  /** To the requester: passed on and nobody is free to take it now (with the programme's contacts and crisis lines). */
  | { kind: "nobody_free"; caseId: number }
  | { kind: "rate"; caseId: number }
  /** One piece (relay.ts) of a stored case message. */
  | { kind: "relay"; caseId: number; caseMessageId: number; to: "coordinator" | "requester"; part?: number }
  /** Before 2026-11-24 a taken case's files were sent as their own notices; old rows still render. */
  | { kind: "file"; caseId: number; fileKind: "photo" | "document"; fileId: string }
  /** To the sender of a case message Telegram refused for good (too long, bad file, blocked). */
  | { kind: "undelivered"; caseId: number; caseMessageId: number; reason: "blocked" | "refused" }
  /** To a coordinator: the case was closed because the person withdrew consent or erased their data. */
  | { kind: "closed_by_person"; caseId: number; reason: "consent_withdrawn" | "erased" };

type Tx = Pick<Db, "outbox">;

export async function enqueue(tx: Tx, now: Date, key: string, chatId: number | bigint, notice: Notice): Promise<void> {
  await tx.outbox.upsert({
    where: { key },
    create: { key, chatId: BigInt(chatId), method: notice.kind, payload: JSON.stringify(notice), caseId: "caseId" in notice ? notice.caseId : null, nextAttemptAt: now, createdAt: now },
    update: { key },
    select: { id: true },
  });
}

/**
 * enqueue with our own SQL (db/direct.ts), for a hot transaction: the same row (the other columns
 * keep their defaults), and a key already queued stays as it is.
 */
export async function enqueueSql(sql: HotSql, now: Date, key: string, chatId: number | bigint, notice: Notice): Promise<void> {
  await sql`INSERT INTO "Outbox" ("key", "chatId", "method", "payload", "caseId", "nextAttemptAt", "createdAt")
    VALUES (${key}, ${BigInt(chatId)}, ${notice.kind}, ${JSON.stringify(notice)}, ${"caseId" in notice ? notice.caseId : null}, ${now}, ${now})
    ON CONFLICT ("key") DO NOTHING`;
}

export interface DueNotice {
  id: number;
  chatId: number;
  notice: Notice;
  attempts: number;
}

/**
 * Claims the oldest due notice for `leaseMs`, or returns null. One at a time, just before it is
 * sent: a batch claimed up front would age while earlier sends waited out 429s, and another
 * process would take the rest when the lease ran out. The lease must be longer than one send can
 * take (the delivery API's timeout), so it cannot expire while its holder still works.
 */
export async function claimNext(db: Db, now: Date, leaseMs: number): Promise<DueNotice | null> {
  for (let tries = 0; tries < 5; tries++) {
    const row = await db.outbox.findFirst({
      where: { sentAt: null, nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
      orderBy: { id: "asc" },
    });
    if (!row) return null;
    const { count } = await db.outbox.updateMany({
      where: { id: row.id, sentAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
      data: { claimedUntil: new Date(now.getTime() + leaseMs) },
    });
    if (count === 1) return { id: row.id, chatId: Number(row.chatId), notice: JSON.parse(row.payload) as Notice, attempts: row.attempts };
    // Another process claimed it between the read and the write: look again.
  }
  return null;
}

export async function markSent(db: Db, id: number, now: Date, messageId?: number): Promise<void> {
  // updateMany: no read-back of the row (an announcement marks thousands a minute).
  await db.outbox.updateMany({ where: { id }, data: { sentAt: now, sentMessageId: messageId ?? null, claimedUntil: null, claimToken: null, attempts: { increment: 1 } } });
}

/** Set aside for good (refused, blocked, cancelled). */
export const NEVER = new Date("9999-01-01T00:00:00Z");
/** Held by a paused announcement: not due until resumed. */
export const PAUSED = new Date("9000-01-01T00:00:00Z");

/** Schedules another try: after Telegram's retry_after, else with back-off up to 10 minutes. */
export async function markFailed(db: Db, id: number, now: Date, error: string, opts: { retryAfterSec?: number; permanent?: boolean } = {}): Promise<void> {
  const row = await db.outbox.findUniqueOrThrow({ where: { id }, select: { attempts: true } });
  const backoff = Math.min(600, 2 ** row.attempts) * 1000;
  const next = opts.permanent ? NEVER : new Date(now.getTime() + (opts.retryAfterSec !== undefined ? opts.retryAfterSec * 1000 : backoff));
  await db.outbox.update({ where: { id }, data: { attempts: { increment: 1 }, nextAttemptAt: next, claimedUntil: null, claimToken: null, lastError: error.slice(0, 300) } });
}

/**
 * Forgets delivered notices and those set aside for good, once older than `olderThan`: they hold
 * whom the bot wrote to. Their keys are no longer needed by then (updates are not re-delivered
 * after 24 hours).
 */
export async function pruneOutbox(db: Db, olderThan: Date): Promise<number> {
  const { count } = await db.outbox.deleteMany({ where: { createdAt: { lt: olderThan }, OR: [{ sentAt: { not: null } }, { nextAttemptAt: NEVER }] } });
  return count;
}
