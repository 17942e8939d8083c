// The right to erasure (/deleteme). After it nothing the person wrote and nothing that links back
// to their Telegram account remains in any table: profile, cases and their messages, outbox
// (queued and sent), update inbox, held messages, questions asked of the knowledge base, answers to
// event questions and a guardian's contact, a minor's representative, sessions
// and conversation state. What stays is
// anonymous: role, region, interests and dates for report counts, case categories, statuses and
// times, consent records (closed) as proof of lawful processing, and the audit trail (internal ids).
import type { Db, Tx } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { audit } from "./audit.js";
import { closeCasesOfPerson } from "../cases/lifecycle.js";
import { clearHeld } from "../cases/held.js";
import { eraseFromEvents } from "../events/enrolment.js";
import { DEFAULT_EVENT_SETTINGS, type EventSettings } from "../events/settings.js";
import { unlinkUpdateKeys } from "./update-keys.js";

/** Days after a withdrawal of consent within which the data is erased (152-FZ art. 21 part 5). */
export const ERASURE_AFTER_WITHDRAWAL_DAYS = 30;

/** `sessionKeys`: the person's session and conversation-state keys (the bot knows their shape). */
export async function erasePersonData(db: Db, clock: Clock, personId: number, sessionKeys: string[], events: EventSettings = DEFAULT_EVENT_SETTINGS): Promise<void> {
  await transaction(db, (tx) => eraseInTransaction(tx, clock(), personId, () => sessionKeys, events));
}

/**
 * The erasure itself, inside the caller's transaction (the scheduled erasure after a withdrawal
 * runs it in the job's). `sessionKeysOf` gives the session keys from the Telegram id.
 */
export async function eraseInTransaction(tx: Tx, now: Date, personId: number, sessionKeysOf: (telegramId: bigint) => string[], events: EventSettings = DEFAULT_EVENT_SETTINGS): Promise<void> {
  const clock = () => now;
  const person = await tx.person.findUnique({ where: { id: personId }, select: { telegramId: true } });
  if (!person || person.telegramId < 0n) return; // already erased
  const { telegramId } = person;
  const sessionKeys = sessionKeysOf(telegramId);
  await tx.profile.updateMany({
    where: { personId },
    data: {
      fullName: null, phone: null, birthDate: null, institution: null, leftYear: null, contactTime: null, relation: null, memberStatus: null, erasedAt: now,
      guardianName: null, guardianContact: null, guardianConfirmedBy: null,
    },
  });
  await tx.consent.updateMany({ where: { personId, withdrawnAt: null }, data: { withdrawnAt: now } });
  // Open requests are closed and their coordinators told (that notice names only the case number).
  const caseIds = await closeCasesOfPerson(tx, now, personId, telegramId, "erased");
  await tx.outbox.deleteMany({ where: { OR: [{ chatId: telegramId }, { caseId: { in: caseIds }, sentAt: { not: null } }] } });
  // Everything said in their requests goes, by either side (staff replies and notes quote them too);
  // the keys go as well, since they hold the chat id.
  await tx.case.updateMany({ where: { id: { in: caseIds } }, data: { description: null, ratingComment: null, callbackPhone: null, sourceKey: null, sourceUpdateId: null } });
  await tx.caseMessage.updateMany({ where: { caseId: { in: caseIds } }, data: { text: null, fileId: null, relayedChatId: null, relayedMessageId: null, sourceKey: null } });
  await tx.inboxUpdate.updateMany({ where: { chatId: telegramId }, data: { chatId: null, payload: null, sourceKey: null, handledAt: now } });
  // Keys of their updates in rows made for others (an organiser's message to participants, say).
  await unlinkUpdateKeys(tx, telegramId);
  await clearHeld(tx, telegramId);
  // Staff who confirmed minors' representatives: their Telegram id goes from those profiles.
  await tx.profile.updateMany({ where: { guardianConfirmedBy: telegramId }, data: { guardianConfirmedBy: null } });
  // Staff who erase themselves: the first name requesters were told goes too.
  await tx.coordinator.updateMany({ where: { telegramId }, data: { firstName: null } });
  // Events: upcoming places are given up (to the first in line); answers and guardian's contact go, the counts stay.
  await eraseFromEvents(tx, now, personId, events);
  // Questions asked of the knowledge base: the counts stay, the words and the link go.
  await tx.knowledgeEvent.updateMany({ where: { personId }, data: { question: null, personId: null, sourceKey: null } });
  await tx.session.deleteMany({ where: { key: { in: sessionKeys } } });
  // Announcements they wrote as an administrator: unlinked from them (copies not yet sent are dropped).
  await tx.announcement.updateMany({
    where: { OR: [{ createdBy: personId }, { sourceChatId: telegramId }, { progressChatId: telegramId }] },
    data: { createdBy: null, sourceChatId: null, sourceMessageId: null, progressChatId: null, progressMessageId: null, sourceKey: null },
  });
  // Telegram ids are positive; minus the internal id keeps the column unique and unlinks the person.
  await tx.person.update({ where: { id: personId }, data: { telegramId: BigInt(-personId), locale: null, refusedAt: null, announcementsOffAt: null, unreachableAt: null } });
  await audit(tx, clock, personId, "data.erased");
}
