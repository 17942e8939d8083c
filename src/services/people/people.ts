// People who write to the bot, their language and their consent to personal-data processing.
// Before consent only the Telegram id and the chosen language are stored (152-FZ / GDPR: nothing
// personal until the person agrees).
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Locale } from "../../i18n.js";
import { isLocale } from "../../i18n.js";
import { audit } from "./audit.js";
import type { Clock } from "../clock.js";
import { isOneOf, ROLES, type Role } from "../vocabulary.js";
import { closeCasesOfPerson } from "../cases/lifecycle.js";
import { clearHeld } from "../cases/held.js";
import { eraseFromEvents } from "../events/enrolment.js";
import { DEFAULT_EVENT_SETTINGS, type EventSettings } from "../events/settings.js";

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
}

export type ConsentStatus = "none" | "refused" | "given" | "outdated";

/** Whether the person may use the bot with the policy version currently published. */
export function consentStatus(p: PersonState | null, currentVersion: string): ConsentStatus {
  if (p?.consent) return p.consent.version === currentVersion ? "given" : "outdated";
  return p?.refusedAt ? "refused" : "none";
}

export async function findPerson(db: Db, telegramId: number): Promise<PersonState | null> {
  const row = await db.person.findUnique({
    where: { telegramId: BigInt(telegramId) },
    include: {
      consents: { where: { withdrawnAt: null }, orderBy: { givenAt: "desc" }, take: 1 },
      profile: { select: { role: true, erasedAt: true } },
    },
  });
  if (!row) return null;
  const c = row.consents[0];
  return {
    id: row.id,
    telegramId: Number(row.telegramId),
    locale: isLocale(row.locale) ? row.locale : null,
    refusedAt: row.refusedAt,
    consent: c ? { version: c.version, givenAt: c.givenAt } : null,
    role: row.profile && !row.profile.erasedAt && isOneOf(ROLES, row.profile.role) ? row.profile.role : null,
    unreachable: row.unreachableAt !== null,
  };
}

async function ensurePerson(db: Db, telegramId: number): Promise<number> {
  // A no-op update makes Prisma send one INSERT ... ON CONFLICT (with `update: {}` it reads first
  // in a DEFERRED transaction, which SQLite refuses at once while another process writes).
  const tg = BigInt(telegramId);
  const row = await db.person.upsert({ where: { telegramId: tg }, create: { telegramId: tg }, update: { telegramId: tg }, select: { id: true } });
  return row.id;
}

export async function setLocale(db: Db, clock: Clock, telegramId: number, locale: Locale): Promise<void> {
  const id = await ensurePerson(db, telegramId);
  await db.person.update({ where: { id }, data: { locale } });
  await audit(db, clock, id, "locale.changed", locale);
}

/**
 * Records consent to `version`. Idempotent: a second press of "I agree" (or a re-delivered update)
 * finds the consent in force and adds nothing. Returns whether a new consent was recorded.
 */
export async function giveConsent(db: Db, clock: Clock, telegramId: number, version: string): Promise<boolean> {
  const id = await ensurePerson(db, telegramId);
  return transaction(db, async (tx) => {
    const current = await tx.consent.findFirst({ where: { personId: id, withdrawnAt: null } });
    if (current?.version === version) return false;
    const now = clock();
    // A consent to an older policy version is superseded by the new one.
    if (current) await tx.consent.update({ where: { id: current.id }, data: { withdrawnAt: now } });
    await tx.consent.create({ data: { personId: id, version, givenAt: now } });
    await tx.person.update({ where: { id }, data: { refusedAt: null } });
    await audit(tx, clock, id, "consent.given", version);
    return true;
  });
}

export async function refuseConsent(db: Db, clock: Clock, telegramId: number): Promise<void> {
  const id = await ensurePerson(db, telegramId);
  await db.person.update({ where: { id }, data: { refusedAt: clock() } });
  await audit(db, clock, id, "consent.refused");
}

/**
 * Withdraws consent. From then on nothing more is done with the person's data and nothing more
 * reaches them: their open requests are closed (each coordinator is told why), whatever was
 * queued to them or about their requests is dropped, and messages held for "which request?" are
 * cleared. Their data stays until they erase it (/deleteme) or the law's period runs out.
 */
export async function withdrawConsent(db: Db, clock: Clock, telegramId: number, events: EventSettings = DEFAULT_EVENT_SETTINGS): Promise<boolean> {
  const person = await findPerson(db, telegramId);
  if (!person?.consent) return false;
  return transaction(db, async (tx) => {
    const now = clock();
    const { count } = await tx.consent.updateMany({ where: { personId: person.id, withdrawnAt: null }, data: { withdrawnAt: now } });
    if (count === 0) return false; // a second press, or another process got there first
    await closeCasesOfPerson(tx, now, person.id, BigInt(telegramId), "consent_withdrawn");
    // Their upcoming places go to the next in line; nothing about events reaches them any more.
    await eraseFromEvents(tx, now, person.id, events);
    await clearHeld(tx, telegramId);
    await audit(tx, clock, person.id, "consent.withdrawn");
    return true;
  });
}
