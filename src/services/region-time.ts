// The main time zone of a region, so a coordinator sees what time it is for the person who asks
// (a request at 23:40 in Vladivostok is 16:40 in Moscow). Russia's regions away from Moscow time are
// listed by zone; every other Russian region is on Moscow time, Lithuania on Vilnius time. A region
// with several zones (Yakutia) gets that of its capital.
const RU_ZONES: Record<string, string[]> = {
  "Europe/Kaliningrad": ["RU-KGD"],
  "Europe/Samara": ["RU-SAM", "RU-UD", "RU-ULY", "RU-AST", "RU-SAR"],
  "Asia/Yekaterinburg": ["RU-BA", "RU-CHE", "RU-KGN", "RU-ORE", "RU-PER", "RU-SVE", "RU-TYU", "RU-KHM", "RU-YAN"],
  "Asia/Omsk": ["RU-OMS"],
  "Asia/Novosibirsk": ["RU-NVS", "RU-ALT", "RU-AL", "RU-KEM", "RU-TOM", "RU-KYA", "RU-KK", "RU-TY"],
  "Asia/Irkutsk": ["RU-IRK", "RU-BU"],
  "Asia/Yakutsk": ["RU-ZAB", "RU-AMU", "RU-SA"],
  "Asia/Vladivostok": ["RU-PRI", "RU-KHA", "RU-YEV"],
  "Asia/Magadan": ["RU-MAG", "RU-SAK"],
  "Asia/Kamchatka": ["RU-KAM", "RU-CHU"],
};
const BY_REGION = new Map(Object.entries(RU_ZONES).flatMap(([zone, codes]) => codes.map((c) => [c, zone] as const)));

/** The IANA time zone of a region code (RU-…, LT-…), or null for an unknown country. */
export function regionTimeZone(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code.startsWith("LT-")) return "Europe/Vilnius";
  if (code.startsWith("RU-")) return BY_REGION.get(code) ?? "Europe/Moscow";
  return null;
}

/** "14:30" at `at` in `timeZone`. */
export function clockTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}
