// Settings and small shared pieces of the events service: time-zone days, ages, list matching.
// Nothing here reads or writes the database.
import { ageOn } from "../validation.js";

export interface EventSettings {
  /** Hours a person offered a freed seat has to accept it. */
  offerHours: number;
  /** No offers go out this many hours before the start (a freed seat then stays free). */
  offerCutoffHours: number;
  /** Reminders before the start, in hours. */
  reminderHours: number[];
}

export const DEFAULT_EVENT_SETTINGS: EventSettings = { offerHours: 24, offerCutoffHours: 24, reminderHours: [24, 2] };

/** Who acts as organiser: their coordinator id, and whether they are an administrator (decided by the bot). */
export interface Organiser {
  coordinatorId: number;
  admin?: boolean;
}

const HOUR = 3_600_000;
export const hoursBefore = (at: Date, hours: number) => new Date(at.getTime() - hours * HOUR);
export const hoursAfter = (at: Date, hours: number) => new Date(at.getTime() + hours * HOUR);

/** The calendar day (YYYY-MM-DD) of a moment in an IANA zone. */
export function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Whether the zone is one Intl knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Age in whole years on the event's first day, in its zone. */
export function ageAt(birthDate: string, timeZone: string, at: Date): number {
  return ageOn(birthDate, new Date(`${dayIn(timeZone, at)}T00:00:00Z`));
}

export const splitList = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

/** Whether a comma list (empty = everyone) admits the value. */
export const listAdmits = (list: string, value: string | null | undefined) => {
  const items = splitList(list);
  return items.length === 0 || (value != null && items.includes(value));
};
