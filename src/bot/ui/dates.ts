// Dates and times as a person reads them: in their own time zone (that of their region; the
// programme's, PROGRAMME_TIME_ZONE, when the region is not known) and their language's style
// (Lithuanian 2026-03-05, Russian 5 марта 2026 г.), never in UTC.
import type { BotContext, LocaleFlavor } from "../context.js";
import { getProfile } from "../../services/people/profiles.js";
import { regionTimeZone } from "../../services/region-time.js";

/** The time zone the person writing lives in: their region's, else the programme's. */
export async function personZone(ctx: Pick<BotContext, "person" | "deps">): Promise<string> {
  const profile = ctx.person ? await getProfile(ctx.deps.prisma, ctx.person.id) : null;
  return regionTimeZone(profile?.regionCode) ?? ctx.deps.config.PROGRAMME_TIME_ZONE;
}

/** British English writes 5 March 2026, as the programme's English texts do. */
const tag = (l: string) => (l === "en" ? "en-GB" : l);

/** A date and time, e.g. "5 марта 2026 г., 14:30". */
export function localDateTime(ctx: Pick<LocaleFlavor, "locale" | "deps">, d: Date, timeZone = ctx.deps.config.PROGRAMME_TIME_ZONE): string {
  const style = ctx.locale === "lt" ? { dateStyle: "short", timeStyle: "short" } as const : { dateStyle: "long", timeStyle: "short" } as const;
  return new Intl.DateTimeFormat(tag(ctx.locale), { ...style, timeZone }).format(d);
}

/** A date alone. */
export function localDate(ctx: Pick<LocaleFlavor, "locale" | "deps">, d: Date, timeZone = ctx.deps.config.PROGRAMME_TIME_ZONE): string {
  return new Intl.DateTimeFormat(tag(ctx.locale), { dateStyle: ctx.locale === "lt" ? "short" : "long", timeZone }).format(d);
}

/** A compact stamp for staff timelines, e.g. "2026-11-23 13:00" (ISO order, the programme's time zone). */
export function localStamp(ctx: Pick<LocaleFlavor, "deps">, d: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short", timeZone: ctx.deps.config.PROGRAMME_TIME_ZONE }).format(d);
}
