// Settings and small shared pieces of the events service: time-zone days, ages, list matching.
// Nothing here reads or writes the database.
import { ageOn } from "../validation.js";
import { dayIn } from "../time.js";

export { dayIn, isTimeZone } from "../time.js";

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
