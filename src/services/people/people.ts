// People who write to the bot, their language and their consent to personal-data processing.
// Before consent only the Telegram id and the chosen language are stored (152-FZ / GDPR: nothing
// personal until the person agrees).
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Locale } from "../../i18n.js";
import { isLocale } from "../../i18n.js";
import { audit, auditSql } from "./audit.js";
import { hotSql, hotTransaction, type HotSql } from "../../db/direct.js";
import type { Clock } from "../clock.js";
import { isOneOf, ROLES, type Role } from "../vocabulary.js";
import { closeCasesOfPerson } from "../cases/lifecycle.js";
import { clearHeld } from "../cases/held.js";
import { eraseFromEvents } from "../events/enrolment.js";
import { DEFAULT_EVENT_SETTINGS, type EventSettings } from "../events/settings.js";
import { scheduleJob } from "../events/schedule.js";
import { ERASURE_AFTER_WITHDRAWAL_DAYS } from "./erasure.js";

export interface PersonState {
  id: number;
  telegramId: number;
  locale: Locale | null;
  refusedAt: Date | null;
  /** The consent in force, if any. */
  consent: { version: string; givenAt: Date } | null;
  /** Participant role once registered (a confirmed profile), else null. */
  role: Role | null;
  /** Telegram refused a message to them (403): announcements skip them until they write again. */
  unreachable?: boolean;
  /**
   * Whether their Telegram id is an active coordinator's, as read with the person (undefined: not
   * read). Lets every message of someone who is not staff skip the coordinator lookup.
   */
  coordinator?: boolean;
}

export type ConsentStatus = "none" | "refused" | "given" | "outdated";

/** Whether the person may use the bot with the policy version currently published. */
export function consentStatus(p: PersonState | null, currentVersion: string): ConsentStatus {
  if (p?.consent) return p.consent.version === currentVersion ? "given" : "outdated";
  return p?.refusedAt ? "refused" : "none";
}

/** The person with their consent in force and role (one statement, where Prisma's include takes three). */
export async function findPerson(db: Db, telegramId: number): Promise<PersonState | null> {
  return (await findPersonAndRows(db, telegramId, null, null)).person;
}

/**
 * What every update starts with, in one statement (db/direct.ts, the same on SQLite and PostgreSQL):
 * the person writing (null: nobody, or not known yet) and the stored JSON of up to two Session rows
 * (the chat's session and conversation state; null: no row).
 */
export async function findPersonAndRows(db: Db, telegramId: number | null, first: string | null, second: string | null): Promise<{ person: PersonState | null; rows: [string | null, string | null] }> {
  const tg = telegramId === null ? null : BigInt(telegramId);
  const rows = await hotSql<PersonRow>(db)`
    SELECT p."id", p."locale", p."refusedAt", p."unreachableAt", pr."role", pr."erasedAt", c."version", c."givenAt", co."id" AS "coordinatorId",
      s1."value" AS "first", s2."value" AS "second"
    FROM (SELECT 1 AS "one") AS "q"
    LEFT JOIN "Person" p ON p."telegramId" = ${tg}
    LEFT JOIN "Coordinator" co ON co."telegramId" = ${tg} AND co."active" = ${true}
    LEFT JOIN "Profile" pr ON pr."personId" = p."id"
    LEFT JOIN "Consent" c ON c."id" = (
      SELECT c2."id" FROM "Consent" c2 WHERE c2."personId" = p."id" AND c2."withdrawnAt" IS NULL
      ORDER BY c2."givenAt" DESC, c2."id" DESC LIMIT 1)
    LEFT JOIN "Session" s1 ON s1."key" = ${first}
    LEFT JOIN "Session" s2 ON s2."key" = ${second}`;
  const row = rows[0]!;
  const person: PersonState | null = row.id === null || telegramId === null ? null : {
    id: Number(row.id),
    telegramId,
    locale: isLocale(row.locale) ? row.locale : null,
    refusedAt: asDate(row.refusedAt),
    consent: row.version !== null ? { version: row.version, givenAt: asDate(row.givenAt)! } : null,
    role: row.role !== null && !row.erasedAt && isOneOf(ROLES, row.role) ? row.role : null,
    unreachable: row.unreachableAt !== null,
    coordinator: row.coordinatorId !== null,
  };
  return { person, rows: [row.first, row.second] };
}

interface PersonRow {
  id: number | bigint | null;
  locale: string | null;
  refusedAt: Date | string | null;
  unreachableAt: Date | string | null;
  role: string | null;
  erasedAt: Date | string | null;
  version: string | null;
  givenAt: Date | string | null;
  coordinatorId: number | null;
  first: string | null;
  second: string | null;
}

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * The person's id, their row made if there is none (only the Telegram id: nothing personal). Prisma
 * sets createdAt and updatedAt to the real time, so these statements do too.
 */
async function ensurePerson(sql: HotSql, telegramId: number, locale?: Locale): Promise<number> {
  const tg = BigInt(telegramId);
  const at = new Date();
  const rows = locale === undefined
    ? await sql<{ id: number }>`INSERT INTO "Person" ("telegramId", "createdAt", "updatedAt") VALUES (${tg}, ${at}, ${at})
        ON CONFLICT ("telegramId") DO UPDATE SET "updatedAt" = ${at} RETURNING "id"`
    : await sql<{ id: number }>`INSERT INTO "Person" ("telegramId", "locale", "createdAt", "updatedAt") VALUES (${tg}, ${locale}, ${at}, ${at})
        ON CONFLICT ("telegramId") DO UPDATE SET "locale" = ${locale}, "updatedAt" = ${at} RETURNING "id"`;
  return Number(rows[0]!.id);
}

// First contact runs these for every newcomer: SQL of our own in one short transaction
// (db/direct.ts), where Prisma's model queries cost a millisecond each.

export async function setLocale(db: Db, clock: Clock, telegramId: number, locale: Locale): Promise<void> {
  await hotTransaction(db, async (sql) => {
    const id = await ensurePerson(sql, telegramId, locale);
    await auditSql(sql, clock, id, "locale.changed", locale);
  });
}

/**
 * Records consent to `version`. Idempotent: a second press of "I agree" (or a re-delivered update)
 * finds the consent in force and adds nothing. Returns whether a new consent was recorded.
 */
export async function giveConsent(db: Db, clock: Clock, telegramId: number, version: string): Promise<boolean> {
  return hotTransaction(db, async (sql) => {
    const id = await ensurePerson(sql, telegramId);
    const before = await sql<{ version: string; withdrawnAt: unknown }>`SELECT "version", "withdrawnAt" FROM "Consent" WHERE "personId" = ${id}
      ORDER BY "givenAt" DESC, "id" DESC`;
    const current = before.find((c) => c.withdrawnAt === null);
    if (current?.version === version) return false;
    const now = clock();
    // A consent to an older policy version is superseded by the new one.
    if (current) await sql`UPDATE "Consent" SET "withdrawnAt" = ${now} WHERE "personId" = ${id} AND "withdrawnAt" IS NULL`;
    await sql`INSERT INTO "Consent" ("personId", "version", "givenAt") VALUES (${id}, ${version}, ${now})`;
    await sql`UPDATE "Person" SET "refusedAt" = NULL, "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "refusedAt" IS NOT NULL`;
    // Agreeing again before the erasure that followed a withdrawal is due: processing has a basis
    // again. (Only a withdrawal schedules one, so a first consent has none to cancel.)
    if (before.length) await sql`UPDATE "ScheduledJob" SET "doneAt" = ${now} WHERE "kind" = 'erasure' AND "doneAt" IS NULL AND "key" LIKE ${`erasure:${id}:%`}`;
    await auditSql(sql, clock, id, "consent.given", version);
    return true;
  });
}

export async function refuseConsent(db: Db, clock: Clock, telegramId: number): Promise<void> {
  await hotTransaction(db, async (sql) => {
    const id = await ensurePerson(sql, telegramId);
    await sql`UPDATE "Person" SET "refusedAt" = ${clock()}, "updatedAt" = ${new Date()} WHERE "id" = ${id}`;
    await auditSql(sql, clock, id, "consent.refused");
  });
}

/**
 * Withdraws consent. From then on nothing more is done with the person's data and nothing more
 * reaches them: their open requests are closed (each coordinator is told why), whatever was
 * queued to them or about their requests is dropped, and messages held for "which request?" are
 * cleared. Their data is erased when the law's period runs out (a scheduled job; the returned
 * date), or at once with /deleteme. Returns null when there was no consent to withdraw.
 */
export async function withdrawConsent(db: Db, clock: Clock, telegramId: number, events: EventSettings = DEFAULT_EVENT_SETTINGS): Promise<Date | null> {
  const person = await findPerson(db, telegramId);
  if (!person?.consent) return null;
  return transaction(db, async (tx) => {
    const now = clock();
    const { count } = await tx.consent.updateMany({ where: { personId: person.id, withdrawnAt: null }, data: { withdrawnAt: now } });
    if (count === 0) return null; // a second press, or another process got there first
    await closeCasesOfPerson(tx, now, person.id, BigInt(telegramId), "consent_withdrawn");
    // Their upcoming places go to the next in line; nothing about events reaches them any more.
    await eraseFromEvents(tx, now, person.id, events);
    await clearHeld(tx, telegramId);
    // Erasure within the law's period (152-FZ art. 21 part 5): a job with a due time, run by the scheduler.
    const due = new Date(now.getTime() + ERASURE_AFTER_WITHDRAWAL_DAYS * 86_400_000);
    await scheduleJob(tx, now, `erasure:${person.id}:${now.getTime()}`, due, { kind: "erasure", personId: person.id });
    await audit(tx, clock, person.id, "consent.withdrawn");
    return due;
  });
}
