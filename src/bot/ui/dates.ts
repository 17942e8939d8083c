// Dates and times as a person reads them: in the programme's time zone (TIME_ZONE) and their
// language's style (Lithuanian 2026-03-05, Russian 5 марта 2026 г.), never in UTC.
import type { LocaleFlavor } from "../context.js";

/** British English writes 5 March 2026, as the programme's English texts do. */
const tag = (l: string) => (l === "en" ? "en-GB" : l);

/** A date and time, e.g. "5 марта 2026 г., 14:30". */
export function localDateTime(ctx: Pick<LocaleFlavor, "locale" | "deps">, d: Date): string {
  const style = ctx.locale === "lt" ? { dateStyle: "short", timeStyle: "short" } as const : { dateStyle: "long", timeStyle: "short" } as const;
  return new Intl.DateTimeFormat(tag(ctx.locale), { ...style, timeZone: ctx.deps.config.PROGRAMME_TIME_ZONE }).format(d);
}

/** A date alone. */
export function localDate(ctx: Pick<LocaleFlavor, "locale" | "deps">, d: Date): string {
  return new Intl.DateTimeFormat(tag(ctx.locale), { dateStyle: ctx.locale === "lt" ? "short" : "long", timeZone: ctx.deps.config.PROGRAMME_TIME_ZONE }).format(d);
}

/** A compact stamp for staff timelines, e.g. "2026-11-23 13:00" (ISO order, the programme's time zone). */
export function localStamp(ctx: Pick<LocaleFlavor, "deps">, d: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short", timeZone: ctx.deps.config.PROGRAMME_TIME_ZONE }).format(d);
}
