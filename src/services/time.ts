// Wall-clock time in a zone, for events and reports: what a moment reads on a clock there, and the
// zone's offset from UTC at a moment. Pure (Intl only).

/** Milliseconds the zone is ahead of UTC at moment `t`. */
export function offsetAt(timeZone: string, t: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - Math.floor(t / 1000) * 1000;
}

/** A moment as "YYYY-MM-DD HH:MM" in a zone. */
export function formatLocal(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(at).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Midnight starting day (y, m 1-12, d) in the zone. */
export function midnightIn(tz: string, y: number, m: number, d: number): Date {
  const wall = Date.UTC(y, m - 1, d);
  const t = wall - offsetAt(tz, wall);
  return new Date(wall - offsetAt(tz, t));
}

/** The calendar date (y, m, d) of a moment in the zone. */
export function dateIn(tz: string, at: Date): [number, number, number] {
  const [y, m, d] = formatLocal(at, tz).slice(0, 10).split("-").map(Number) as [number, number, number];
  return [y, m, d];
}

/** A moment as a spreadsheet date showing the wall-clock time in the zone (spreadsheets have no zones). */
export const wallClock = (at: Date, tz: string) => new Date(`${formatLocal(at, tz).replace(" ", "T")}:00Z`);

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
