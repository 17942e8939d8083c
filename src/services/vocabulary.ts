// The programme's fixed lists, defined once. Stored as strings in the database; their labels are
// in locales under the same ids (e.g. registration.roles.graduate).

/** Participant roles a person chooses. Coordinators and administrators are appointed, never chosen. */
export const ROLES = ["graduate", "family", "service_member"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Whom a programme serves (PROGRAMME_AUDIENCES): graduates of children's homes, families of service
 * members, service members, and families in general (no service-member questions or texts).
 */
export const AUDIENCES = ["graduates", "military_families", "service_members", "families"] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The roles a programme with these audiences offers. */
export function rolesFor(audiences: readonly Audience[]): Role[] {
  return ROLES.filter((r) => (r === "graduate" ? audiences.includes("graduates") : r === "service_member" ? audiences.includes("service_members") : audiences.includes("military_families") || audiences.includes("families")));
}

/** Whether the service member's questions and texts are shown (a programme for their families). */
export const servesMilitary = (audiences: readonly Audience[]): boolean => audiences.includes("military_families") || audiences.includes("service_members");

/** How a family member is related to the service member. */
export const RELATIONS = ["mother", "father", "wife", "husband", "child", "sibling", "other"] as const;
export type Relation = (typeof RELATIONS)[number];

/** The service member's situation, asked gently and optional. No unit or operational detail is asked. */
export const MEMBER_STATUSES = ["serving", "wounded", "captive", "veteran", "missing", "killed"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** What a graduate would like from the programme (several may be chosen). */
export const INTERESTS = ["trainings", "mentoring", "housing", "employment", "education"] as const;
export type Interest = (typeof INTERESTS)[number];

/** When a family prefers to be called. */
export const CONTACT_TIMES = ["morning", "afternoon", "evening", "any"] as const;
export type ContactTime = (typeof CONTACT_TIMES)[number];

export function isOneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === "string" && (list as readonly string[]).includes(v);
}

/** Kinds of help, defined once; labels are categories.<id> in locales. */
export const CATEGORIES = ["payments", "documents", "health", "psychology", "legal", "housing", "work_study", "children_family", "mentoring", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

/** The kinds of help a programme offers: mentoring only where it serves graduates of children's homes. */
export function categoriesFor(audiences: readonly Audience[]): Category[] {
  return CATEGORIES.filter((c) => c !== "mentoring" || audiences.includes("graduates"));
}

export const URGENCIES = ["normal", "urgent"] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CASE_STATUSES = ["new", "assigned", "in_progress", "waiting", "resolved", "closed", "cancelled"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** A case someone still has to work on. */
export const OPEN_STATUSES: CaseStatus[] = ["new", "assigned", "in_progress", "waiting"];
/** Statuses that count against a coordinator's maximum of open cases. */
export const HELD_STATUSES: CaseStatus[] = ["assigned", "in_progress", "waiting"];

/**
 * What a message in a case can be: text, a file with an optional caption (kept as its text), or a
 * correction of an earlier message (its new text). Voice and video notes carry no caption.
 */
export const FILE_KINDS = ["photo", "document", "voice", "audio", "video", "video_note"] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const MESSAGE_KINDS = ["text", ...FILE_KINDS, "correction"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const DECLINE_REASONS = ["busy", "not_my_region", "not_my_category", "other"] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** What an event is; labels are events.kinds.<id> in locales. */
export const EVENT_KINDS = ["training", "seminar", "camp", "project", "meeting"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_STATUSES = ["draft", "published", "cancelled", "finished"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const ENROLMENT_STATUSES = ["confirmed", "waiting", "offered", "pending_approval", "cancelled", "rejected"] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
/** Enrolments that hold seats of the event (its seatsTaken counts them). */
export const SEAT_HOLDING: EnrolmentStatus[] = ["confirmed", "offered", "pending_approval"];

/** Kinds of the organiser's extra questions. */
export const QUESTION_TYPES = ["text", "choice", "yes_no"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
