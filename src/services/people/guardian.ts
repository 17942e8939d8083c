// Minors among graduates (14-17): a parent, guardian or the institution must also agree. The
// person names that representative (name and contact, personal data: /mydata shows it, erasure
// clears it); a coordinator who may confirm (an administrator, a supervisor or an event organiser)
// contacts them and confirms, and only then may the minor sign up for events (events/rules.ts).
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { ageOn } from "../validation.js";
import { ADULT_AGE } from "../events/rules.js";
import { enqueue } from "../delivery/outbox.js";

export const GUARDIAN_TEXT_MAX = 200;

interface MinorFacts {
  role: string;
  birthDate: string | null;
  guardianName?: string | null;
  guardianConfirmedAt?: Date | null;
}

/** A graduate under 18 today. */
export function isMinor(p: MinorFacts | null, now: Date): boolean {
  return !!p && p.role === "graduate" && !!p.birthDate && ageOn(p.birthDate, now) < ADULT_AGE;
}

/** A minor who has not yet named a representative. */
export const needsGuardian = (p: MinorFacts | null, now: Date): boolean => isMinor(p, now) && !p!.guardianName;

/** Who may confirm a representative's consent: one rule for the button and the command. */
export async function mayConfirmGuardians(db: Db, telegramId: number, admins: readonly number[]): Promise<boolean> {
  if (admins.includes(telegramId)) return true;
  const c = await db.coordinator.findUnique({ where: { telegramId: BigInt(telegramId) }, select: { supervisor: true, organiser: true } });
  return !!c && (c.supervisor || c.organiser);
}

/**
 * Records the representative the minor named and tells those who may confirm. Naming someone else
 * later replaces the first and asks for confirmation again.
 */
export async function recordGuardian(db: Db, clock: Clock, personId: number, name: string, contact: string, admins: readonly number[]): Promise<void> {
  await transaction(db, async (tx) => {
    const now = clock();
    await tx.profile.update({ where: { personId }, data: { guardianName: name.slice(0, GUARDIAN_TEXT_MAX), guardianContact: contact.slice(0, GUARDIAN_TEXT_MAX), guardianConfirmedAt: null, guardianConfirmedBy: null } });
    const staff = await tx.coordinator.findMany({ where: { OR: [{ supervisor: true }, { organiser: true }] }, select: { telegramId: true } });
    const to = new Set([...staff.map((s) => s.telegramId), ...admins.map((a) => BigInt(a))]);
    for (const chat of to) await enqueue(tx, now, `guardian:${personId}:${now.getTime()}:${chat}`, chat, { kind: "guardian_pending", personId });
  });
}

/** Confirms the representative's consent; the person is told. */
export async function confirmGuardian(db: Db, clock: Clock, personId: number, byTelegramId: number): Promise<"confirmed" | "already" | "not_found"> {
  return transaction(db, async (tx) => {
    const now = clock();
    const { count } = await tx.profile.updateMany({
      where: { personId, erasedAt: null, guardianName: { not: null }, guardianConfirmedAt: null },
      data: { guardianConfirmedAt: now, guardianConfirmedBy: BigInt(byTelegramId) },
    });
    if (count === 0) {
      const p = await tx.profile.findUnique({ where: { personId }, select: { guardianConfirmedAt: true, erasedAt: true } });
      return p && !p.erasedAt && p.guardianConfirmedAt ? "already" : "not_found";
    }
    const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { telegramId: true } });
    await enqueue(tx, now, `guardian-ok:${personId}:${now.getTime()}`, person.telegramId, { kind: "guardian_confirmed", personId });
    return "confirmed";
  });
}

/** Minors waiting for confirmation, oldest first (for /minors). */
export async function pendingGuardians(db: Db, limit = 20) {
  return db.profile.findMany({
    where: { erasedAt: null, guardianName: { not: null }, guardianConfirmedAt: null },
    orderBy: { updatedAt: "asc" },
    take: limit,
    include: { region: true, person: { select: { telegramId: true } } },
  });
}
