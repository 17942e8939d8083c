// Registered participants: registration, editing, role changes, and the person's rights over their
// data (export and erasure). Every action leaves an audit record without personal data.
import type { Db } from "../../db/client.js";
import { audit } from "./audit.js";
import { releaseLoad } from "../cases/load.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { OPEN_STATUSES, type ContactTime, type Interest, type MemberStatus, type Relation, type Role } from "../vocabulary.js";

export interface ProfileDraft {
  role: Role;
  fullName: string;
  regionCode: string;
  phone: string;
  birthDate?: string | null;
  institution?: string | null;
  leftYear?: number | null;
  interests?: Interest[];
  relation?: Relation | null;
  memberStatus?: MemberStatus | null;
  contactTime?: ContactTime | null;
}

/** Fields a person can edit one at a time from /profile. */
export const EDITABLE_FIELDS = {
  graduate: ["fullName", "birthDate", "regionCode", "institution", "leftYear", "phone", "interests"],
  family: ["fullName", "relation", "memberStatus", "regionCode", "phone", "contactTime"],
  service_member: ["fullName", "regionCode", "phone", "contactTime"],
} as const satisfies Record<Role, readonly (keyof ProfileDraft)[]>;
export type EditableField = (typeof EDITABLE_FIELDS)[Role][number];

function columns(d: ProfileDraft) {
  return {
    role: d.role,
    fullName: d.fullName,
    regionCode: d.regionCode,
    phone: d.phone,
    birthDate: d.birthDate ?? null,
    institution: d.institution ?? null,
    leftYear: d.leftYear ?? null,
    interests: (d.interests ?? []).join(","),
    relation: d.relation ?? null,
    memberStatus: d.memberStatus ?? null,
    contactTime: d.contactTime ?? null,
  };
}

export async function getProfile(db: Db, personId: number) {
  const p = await db.profile.findUnique({ where: { personId }, include: { region: true } });
  return p && !p.erasedAt ? p : null;
}
export type ProfileRow = NonNullable<Awaited<ReturnType<typeof getProfile>>>;

/**
 * Stores a confirmed registration. A person registering again with another role changes role:
 * the new form replaces the old one (fields of the old role are not kept) and the change is
 * recorded in the role history.
 */
export async function registerProfile(db: Db, clock: Clock, personId: number, draft: ProfileDraft): Promise<"created" | "updated" | "role_changed"> {
  return transaction(db, async (tx) => {
    const now = clock();
    const old = await tx.profile.findUnique({ where: { personId } });
    const data = { ...columns(draft), erasedAt: null };
    if (!old || old.erasedAt) {
      await tx.profile.upsert({ where: { personId }, create: { personId, ...data, registeredAt: now }, update: { ...data, registeredAt: now } });
      await tx.roleChange.create({ data: { personId, fromRole: null, toRole: draft.role, at: now } });
      await audit(tx, clock, personId, "profile.registered", draft.role);
      return "created";
    }
    await tx.profile.update({ where: { personId }, data });
    if (old.role === draft.role) {
      await audit(tx, clock, personId, "profile.updated", "all");
      return "updated";
    }
    await tx.roleChange.create({ data: { personId, fromRole: old.role, toRole: draft.role, at: now } });
    await audit(tx, clock, personId, "role.changed", `${old.role}->${draft.role}`);
    return "role_changed";
  });
}

export async function updateProfileField<F extends EditableField>(db: Db, clock: Clock, personId: number, field: F, value: ProfileDraft[F]): Promise<void> {
  const v = field === "interests" ? ((value as Interest[] | undefined) ?? []).join(",") : (value ?? null);
  await db.profile.update({ where: { personId }, data: { [field]: v } });
  await audit(db, clock, personId, "profile.updated", field);
}

/** Everything stored about a person, for /mydata. Keys are stable ids; the bot labels them. */
export async function exportPersonData(db: Db, clock: Clock, personId: number) {
  const person = await db.person.findUniqueOrThrow({
    where: { id: personId },
    include: {
      profile: { include: { region: true } }, consents: { orderBy: { givenAt: "asc" } }, roleChanges: { orderBy: { at: "asc" } },
      cases: { orderBy: { createdAt: "asc" }, include: { messages: { where: { author: "requester" }, orderBy: { id: "asc" } } } },
    },
  });
  const auditTrail = await db.auditEvent.findMany({ where: { personId }, orderBy: { at: "asc" } });
  await audit(db, clock, personId, "data.exported");
  return { person, auditTrail };
}

/**
 * Erases what identifies the person: name, phone, date of birth, institution, contact time, the
 * link to their Telegram account, sessions, unfinished forms and what they wrote in requests for help
 * (open requests are cancelled). Keeps role, region, interests and
 * dates, which feed anonymous counts in reports; consent records stay as proof of lawful
 * processing, closed. After this the person is a stranger to the bot.
 */
export async function erasePersonData(db: Db, clock: Clock, personId: number, sessionKeys: string[]): Promise<void> {
  await transaction(db, async (tx) => {
    const now = clock();
    await tx.profile.updateMany({
      where: { personId },
      data: { fullName: null, phone: null, birthDate: null, institution: null, leftYear: null, contactTime: null, relation: null, memberStatus: null, erasedAt: now },
    });
    await tx.consent.updateMany({ where: { personId, withdrawnAt: null }, data: { withdrawnAt: now } });
    const { telegramId } = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { telegramId: true } });
    await tx.outbox.updateMany({ where: { chatId: telegramId, sentAt: null }, data: { sentAt: now, lastError: "erased" } });
    // Telegram ids are positive; minus the internal id keeps the column unique and unlinks the person.
    await tx.person.update({ where: { id: personId }, data: { telegramId: BigInt(-personId), locale: null, refusedAt: null } });
    await tx.session.deleteMany({ where: { key: { in: sessionKeys } } });
    // Requests for help: what they wrote goes; open ones are cancelled and their coordinators freed.
    // One conditional write: the holder freed is whoever holds the case when it is cancelled, not
    // at an earlier read (a Take or a hand-over may run meanwhile). A new case has no holder.
    const cancelled = await tx.case.updateManyAndReturn({
      where: { requesterId: personId, status: { in: OPEN_STATUSES } }, data: { status: "cancelled", closedAt: now }, select: { id: true, coordinatorId: true },
    });
    for (const c of cancelled) {
      if (c.coordinatorId !== null) await releaseLoad(tx, c.coordinatorId);
      await tx.caseEvent.create({ data: { caseId: c.id, at: now, actor: "system", type: "status", detail: "cancelled" } });
    }
    const ids = (await tx.case.findMany({ where: { requesterId: personId }, select: { id: true } })).map((c) => c.id);
    await tx.case.updateMany({ where: { id: { in: ids } }, data: { description: null, ratingComment: null } });
    await tx.caseMessage.updateMany({ where: { caseId: { in: ids }, author: "requester" }, data: { text: null, fileId: null } });
    await audit(tx, clock, personId, "data.erased");
  });
}
