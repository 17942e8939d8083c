// The calendar file (.ics) a confirmed participant gets, made with ical-generator: start and end in
// the event's own time zone, the place, and the online link (only confirmed participants get it).
import ical from "ical-generator";
import type { Locale } from "../../../i18n.js";
import { localised } from "./view.js";

export function calendarFile(e: { code: string; title: string; description: string; startsAt: Date; endsAt: Date; timeZone: string; place: string | null; onlineUrl: string | null }, locale: Locale): string {
  const cal = ical({ name: localised(e.title, locale), prodId: { company: "support-bot", product: "events" } });
  cal.createEvent({
    id: `${e.code}@support-bot`,
    start: e.startsAt,
    end: e.endsAt,
    timezone: e.timeZone,
    summary: localised(e.title, locale),
    description: localised(e.description, locale),
    location: e.place ?? e.onlineUrl ?? undefined,
    url: e.onlineUrl ?? undefined,
  });
  return cal.toString();
}
