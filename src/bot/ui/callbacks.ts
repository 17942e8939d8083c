// Callback data of every inline button, in one place. Data arrives from the client and can be
// forged, so handlers match these exact shapes and re-check everything on the server side.
import { LOCALES } from "../../i18n.js";

export const CB = {
  language: new RegExp(`^lang:(${LOCALES.join("|")})$`),
  consentYes: "consent:yes",
  consentNo: "consent:no",
  menu: /^menu:([a-z_]+)$/,
  withdrawAsk: "privacy:withdraw",
  withdrawConfirm: "privacy:withdraw:yes",
  withdrawKeep: "privacy:withdraw:no",
} as const;

/** Leaves any flow (forms, choices); handled by features/cancel.ts before the conversations. */
export const CANCEL_DATA = "cancel";
export const languageData = (l: string) => `lang:${l}`;
export const menuData = (item: string) => `menu:${item}`;
