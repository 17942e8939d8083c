// The right to erasure (/deleteme). After it nothing the person wrote and nothing that links back
// to their Telegram account remains in any table: profile, cases and their messages, outbox
// (queued and sent), update inbox, held messages, questions asked of the knowledge base, answers to
// event questions and a guardian's contact, sessions
// and conversation state. What stays is
// anonymous: role, region, interests and dates for report counts, case categories, statuses and
// times, consent records (closed) as proof of lawful processing, and the audit trail (internal ids).
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { audit } from "./audit.js";
import { closeCasesOfPerson } from "../cases/lifecycle.js";
import { clearHeld } from "../cases/held.js";
import { eraseFromEvents } from "../events/enrolment.js";
import { DEFAULT_EVENT_SETTINGS, type EventSettings } from "../events/settings.js";

/** `sessionKeys`: the person's session and conversation-state keys (the bot knows their shape). */
export async function erasePersonData(db: Db, clock: Clock, personId: number, sessionKeys: string[], events: EventSettings = DEFAULT_EVENT_SETTINGS): Promise<void> {
  await transaction(db, async (tx) => {
    const now = clock();
    const { telegramId } = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { telegramId: true } });
    if (telegramId < 0n) return; // already erased
    await tx.profile.updateMany({
      where: { personId },
      data: { fullName: null, phone: null, birthDate: null, institution: null, leftYear: null, contactTime: null, relation: null, memberStatus: null, erasedAt: now },
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
    await clearHeld(tx, telegramId);
    // Staff who erase themselves: the first name requesters were told goes too.
    await tx.coordinator.updateMany({ where: { telegramId }, data: { firstName: null } });
    // Events: upcoming places are given up (to the first in line); answers and guardian's contact go, the counts stay.
    await eraseFromEvents(tx, now, personId, events);
    // Questions asked of the knowledge base: the counts stay, the words and the link go.
    await tx.knowledgeEvent.updateMany({ where: { personId }, data: { question: null, personId: null, sourceKey: null } });
    await tx.session.deleteMany({ where: { key: { in: sessionKeys } } });
    // Telegram ids are positive; minus the internal id keeps the column unique and unlinks the person.
    await tx.person.update({ where: { id: personId }, data: { telegramId: BigInt(-personId), locale: null, refusedAt: null } });
    await audit(tx, clock, personId, "data.erased");
  });
}
