// Announcements to a segment: who is in the audience, queuing one outbox row per recipient (keyed
// by announcement and person, in one transaction, so a restart or a repeated press sends nobody the
// message twice and skips nobody), pause / resume / cancel, and progress figures. The outbox's
// pacing (pacing.ts) keeps the sending under Telegram's limits. Never imports grammY.
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { isOneOf, ROLES } from "../vocabulary.js";
import { NEVER, PAUSED } from "./outbox.js";
import { audit } from "../people/audit.js";

export interface Audience {
  role?: string;
  region?: string;
  /** Code of an event: its confirmed participants. */
  event?: string;
}

export class AudienceError extends Error {}

/** Parses "role=family,region=RU-TAM,event=CODE" (or "all"); throws AudienceError with one clear line. */
export function parseAudience(spec: string): Audience {
  const a: Audience = {};
  if (spec.trim() === "" || spec.trim() === "all") return a;
  for (const part of spec.split(",")) {
    const [k, v] = part.split("=").map((x) => x?.trim());
    if (!v) throw new AudienceError(`audience "${part}" must be key=value (role, region or event)`);
    if (k === "role") {
      if (!isOneOf(ROLES, v)) throw new AudienceError(`unknown role "${v}" (one of ${ROLES.join(", ")})`);
      a.role = v;
    } else if (k === "region") a.region = v.toUpperCase();
    else if (k === "event") a.event = v;
    else throw new AudienceError(`unknown audience key "${k}" (role, region or event)`);
  }
  return a;
}

/** Checks that the region and event named exist; returns a problem line or null. */
export async function audienceProblem(db: Db, a: Audience): Promise<string | null> {
  if (a.region && !(await db.region.findUnique({ where: { code: a.region } }))) return `unknown region "${a.region}" (see: npm run admin -- region list)`;
  if (a.event && !(await db.event.findUnique({ where: { code: a.event } }))) return `no event with code "${a.event}"`;
  return null;
}

/**
 * People in the audience the bot may write to: consent in force, not erased, not unreachable
 * (blocked the bot), and announcements not turned off.
 */
function audienceWhere(a: Audience) {
  return {
    telegramId: { gt: 0n },
    unreachableAt: null,
    announcementsOffAt: null,
    consents: { some: { withdrawnAt: null } },
    ...(a.role || a.region ? { profile: { erasedAt: null, ...(a.role ? { role: a.role } : {}), ...(a.region ? { regionCode: a.region } : {}) } } : {}),
    ...(a.event ? { enrolments: { some: { status: "confirmed", event: { code: a.event } } } } : {}),
  };
}

export async function countAudience(db: Db, a: Audience): Promise<number> {
  return db.person.count({ where: audienceWhere(a) });
}

export interface Draft {
  createdBy: number | null;
  audience: Audience;
  /** CLI text, or a message to copy from the author's chat. */
  text?: string;
  source?: { chatId: number; messageId: number };
  /** Per-update key of the message that made it: a re-delivered update finds the same draft. */
  key?: string;
}

export async function createAnnouncement(db: Db, clock: Clock, d: Draft): Promise<number> {
  const data = {
      createdBy: d.createdBy, audience: JSON.stringify(d.audience), text: d.text ?? null,
      sourceChatId: d.source ? BigInt(d.source.chatId) : null, sourceMessageId: d.source?.messageId ?? null, createdAt: clock(), sourceKey: d.key ?? null,
  };
  const row = d.key ? await db.announcement.upsert({ where: { sourceKey: d.key }, create: data, update: {} }) : await db.announcement.create({ data });
  return row.id;
}

const CHUNK = 500;

/**
 * Queues a draft: one outbox row per person of the audience as it is now, all in one transaction
 * with the status change, so it is queued once (a second call, or a re-delivered press, finds it
 * no longer a draft) and wholly or not at all. Returns the number queued, or null if not a draft.
 */
export async function queueAnnouncement(db: Db, clock: Clock, id: number, progress?: { chatId: number; messageId: number }): Promise<number | null> {
  const a = await db.announcement.findUnique({ where: { id } });
  if (!a || a.status !== "draft") return null;
  const people = await db.person.findMany({ where: audienceWhere(JSON.parse(a.audience) as Audience), select: { id: true, telegramId: true }, orderBy: { id: "asc" } });
  return transaction(db, async (tx) => {
    const now = clock();
    const { count } = await tx.announcement.updateMany({
      where: { id, status: "draft" },
      data: { status: "sending", total: people.length, queuedAt: now, progressChatId: progress ? BigInt(progress.chatId) : null, progressMessageId: progress?.messageId ?? null },
    });
    if (count !== 1) return null;
    const payload = JSON.stringify({ kind: "announcement", announcementId: id });
    for (let i = 0; i < people.length; i += CHUNK) {
      await tx.outbox.createMany({
        data: people.slice(i, i + CHUNK).map((p) => ({ key: `ann:${id}:${p.id}`, chatId: p.telegramId, method: "announcement", payload, announcementId: id, nextAttemptAt: now, createdAt: now })),
      });
    }
    if (!people.length) await tx.announcement.update({ where: { id }, data: { status: "done", finishedAt: now } });
    await audit(tx, clock, a.createdBy, "announcement.queued", JSON.stringify({ announcement: id, audience: JSON.parse(a.audience), recipients: people.length }));
    return people.length;
  });
}

export type Control = "pause" | "resume" | "cancel";

/** Pauses, resumes or cancels sending; returns whether anything changed (a double press changes nothing). */
export async function controlAnnouncement(db: Db, clock: Clock, id: number, action: Control): Promise<boolean> {
  return transaction(db, async (tx) => {
    const now = clock();
    const from = action === "resume" ? ["paused"] : action === "pause" ? ["sending"] : ["sending", "paused"];
    const to = action === "pause" ? "paused" : action === "resume" ? "sending" : "cancelled";
    const { count } = await tx.announcement.updateMany({ where: { id, status: { in: from } }, data: { status: to, ...(to === "cancelled" ? { finishedAt: now } : {}) } });
    if (count !== 1) return false;
    const waiting = { announcementId: id, sentAt: null };
    if (action === "pause") await tx.outbox.updateMany({ where: { ...waiting, nextAttemptAt: { lt: PAUSED } }, data: { nextAttemptAt: PAUSED } });
    if (action === "resume") await tx.outbox.updateMany({ where: { ...waiting, nextAttemptAt: PAUSED }, data: { nextAttemptAt: now } });
    if (action === "cancel") await tx.outbox.updateMany({ where: { ...waiting, nextAttemptAt: { lt: NEVER } }, data: { nextAttemptAt: NEVER, lastError: "cancelled" } });
    return true;
  });
}

export interface Progress {
  id: number;
  status: string;
  total: number;
  sent: number;
  /** Set aside: blocked the bot, refused, or erased meanwhile. */
  failed: number;
  progressChatId: number | null;
  progressMessageId: number | null;
  progressAt: Date | null;
  createdBy: number | null;
}

/** Where an announcement stands; marks it done once nothing is left to send. */
export async function announcementStatus(db: Db, clock: Clock, id: number): Promise<Progress | null> {
  const a = await db.announcement.findUnique({ where: { id } });
  if (!a) return null;
  const sent = await db.outbox.count({ where: { announcementId: id, sentAt: { not: null } } });
  const failed = await db.outbox.count({ where: { announcementId: id, sentAt: null, nextAttemptAt: NEVER, NOT: { lastError: "cancelled" } } });
  let status = a.status;
  // Done when nothing is waiting (rows of people who erased their data meanwhile are gone, not waiting).
  const waiting = status === "sending" ? await db.outbox.count({ where: { announcementId: id, sentAt: null, nextAttemptAt: { lt: PAUSED } } }) : 1;
  if (waiting === 0) {
    const { count } = await db.announcement.updateMany({ where: { id, status: "sending" }, data: { status: "done", finishedAt: clock() } });
    if (count === 1) status = "done";
  }
  return {
    id, status, total: a.total, sent, failed, createdBy: a.createdBy,
    progressChatId: a.progressChatId === null ? null : Number(a.progressChatId), progressMessageId: a.progressMessageId, progressAt: a.progressAt,
  };
}

/**
 * Takes the right to edit the progress message now if the last edit is older than `everyMs` (or
 * `force`): a conditional update, so of several senders one edits.
 */
export async function takeProgressTurn(db: Db, now: Date, id: number, everyMs: number, force: boolean): Promise<boolean> {
  const { count } = await db.announcement.updateMany({
    where: { id, ...(force ? {} : { OR: [{ progressAt: null }, { progressAt: { lt: new Date(now.getTime() - everyMs) } }] }) },
    data: { progressAt: now },
  });
  return count === 1;
}

/** What a recipient's copy is made from, and whether it should still go out. */
export async function announcementContent(db: Db, id: number) {
  return db.announcement.findUnique({ where: { id }, select: { status: true, text: true, sourceChatId: true, sourceMessageId: true } });
}

/** /settings: announcements on or off for a person (case notices and reminders are not affected). */
export async function setAnnouncements(db: Db, clock: Clock, telegramId: number, on: boolean): Promise<void> {
  await db.person.updateMany({ where: { telegramId: BigInt(telegramId) }, data: { announcementsOffAt: on ? null : clock() } });
}

export async function announcementsOn(db: Db, telegramId: number): Promise<boolean> {
  const p = await db.person.findUnique({ where: { telegramId: BigInt(telegramId) }, select: { announcementsOffAt: true } });
  return !p?.announcementsOffAt;
}

/** A person who wrote to the bot again can be reached again. */
export async function markReachable(db: Db, telegramId: number): Promise<void> {
  await db.person.updateMany({ where: { telegramId: BigInt(telegramId), unreachableAt: { not: null } }, data: { unreachableAt: null } });
}
