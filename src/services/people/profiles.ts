// Registered participants: registration, editing, role changes, and the person's rights over their
// data (export and erasure). Every action leaves an audit record without personal data.
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import { audit } from "./audit.js";
import { hotSql } from "../../db/direct.js";
import type { Clock } from "../clock.js";
import type { ContactTime, Interest, MemberStatus, Relation, Role } from "../vocabulary.js";

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

/** A role's fields in a programme; where it serves no service members, a family is not asked about one. */
export function fieldsFor(role: Role, military = true): readonly EditableField[] {
  const all: readonly EditableField[] = EDITABLE_FIELDS[role];
  return military ? all : all.filter((f) => f !== "relation" && f !== "memberStatus");
}

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
 * The region in the person's profile and its country (nulls without a profile). Every /help and
 * every question needs only these, so SQL of our own (db/direct.ts), not getProfile's two queries.
 */
export async function regionOf(db: Db, personId: number): Promise<{ regionCode: string | null; country: string | null }> {
  const [row] = await hotSql<{ regionCode: string | null; country: string | null }>(db)`
    SELECT pr."regionCode", r."country" FROM "Profile" pr LEFT JOIN "Region" r ON r."code" = pr."regionCode"
    WHERE pr."personId" = ${personId} AND pr."erasedAt" IS NULL`;
  return { regionCode: row?.regionCode ?? null, country: row?.country ?? null };
}

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
