// What the programme is, as its settings say: its name in the reader's language and whom it serves
// (PROGRAMME_AUDIENCES). The "about" text, the roles offered and the consent text follow these, so
// a programme for care leavers never shows service-member roles or texts.
import type { Config } from "../../config.js";
import { escapeHtml, type Locale } from "../../i18n.js";
import type { LocaleFlavor } from "../context.js";
import { categoriesFor, rolesFor, servesMilitary, type Category, type Role } from "../../services/vocabulary.js";

type Settings = Pick<Config, "PROGRAMME_NAME" | "PROGRAMME_NAME_RU" | "PROGRAMME_NAME_EN" | "PROGRAMME_NAME_LT">;

/** The programme's name in `locale`, or its one name when no translation is set. */
export function programmeName(config: Settings, locale: Locale): string {
  const own = { ru: config.PROGRAMME_NAME_RU, en: config.PROGRAMME_NAME_EN, lt: config.PROGRAMME_NAME_LT }[locale];
  return own ?? config.PROGRAMME_NAME;
}

/** The roles a person may choose in this programme. */
export const offeredRoles = (config: Pick<Config, "PROGRAMME_AUDIENCES">): Role[] => rolesFor(config.PROGRAMME_AUDIENCES);

/** The kinds of help a person may ask for in this programme. */
export const offeredCategories = (config: Pick<Config, "PROGRAMME_AUDIENCES">): Category[] => categoriesFor(config.PROGRAMME_AUDIENCES);

/** Whether the service member's questions and texts are shown. */
export const military = (config: Pick<Config, "PROGRAMME_AUDIENCES">): boolean => servesMilitary(config.PROGRAMME_AUDIENCES);

/** The locale key of a role's name: a family in a programme without service members is just a family. */
export function roleKey(config: Pick<Config, "PROGRAMME_AUDIENCES">, role: string, form: "roles" | "i_am" = "roles"): string {
  return role === "family" && !military(config) ? `audience.${form}_family` : `registration.${form}.${role}`;
}

/** "About the programme": one line per audience it serves, under its name. */
export function aboutText(ctx: LocaleFlavor): string {
  const { config } = ctx.deps;
  const lines = config.PROGRAMME_AUDIENCES.map((a) => ctx.t(`audience.about.${a}`));
  return ctx.t("audience.about_text", { programme: escapeHtml(programmeName(config, ctx.locale)), lines: lines.join("\n"), interpolation: { escapeValue: false } });
}
