// Callback data of every inline button, in one place. Data arrives from the client and can be
// forged, so handlers match these exact shapes and re-check everything on the server side.
import { LOCALES } from "../../i18n.js";

export const CB = {
  language: new RegExp(`^lang:(${LOCALES.join("|")})$`),
  consentYes: "consent:yes",
  consentNo: "consent:no",
  consentAgain: "consent:again",
  eraseNow: "privacy:erase",
  guardianAsk: "guardian:ask",
  guardianConfirm: /^guardian:ok:(\d+)$/,
  menu: /^menu:([a-z_]+)$/,
  withdrawAsk: "privacy:withdraw",
  withdrawConfirm: "privacy:withdraw:yes",
  withdrawKeep: "privacy:withdraw:no",
} as const;

/** Leaves any flow (forms, choices); handled by features/cancel.ts before the conversations. */
export const CANCEL_DATA = "cancel";
export const languageData = (l: string) => `lang:${l}`;
export const menuData = (item: string) => `menu:${item}`;

/** The largest value of the database's integer columns (ids, counts): PostgreSQL's int4. */
const MAX_DB_INT = 2_147_483_647;

/**
 * A database id (or count) from callback data or a command, or null when no row could have it:
 * forged or garbled data, answered as an old button instead of reaching the database (where an
 * out-of-range number is an error on PostgreSQL).
 */
export function dbInt(s: string | undefined): number | null {
  if (!s || !/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= MAX_DB_INT ? n : null;
}
