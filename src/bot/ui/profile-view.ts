// How a participant's profile reads in the person's language: registration's confirmation,
// /profile and the /mydata file all use these labels.
import { military, roleKey } from "./programme.js";
import type { LocaleFlavor } from "../context.js";
import { escapeHtml } from "../../i18n.js";
import { fieldsFor, type EditableField, type ProfileDraft } from "../../services/people/profiles.js";
import { regionName, type RegionRow } from "../../services/regions.js";
import type { Role } from "../../services/vocabulary.js";

/** A draft or a stored profile: field values by name. */
type Values = { [K in keyof ProfileDraft]?: unknown };

export function formatDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

export function fieldText(ctx: Pick<LocaleFlavor, "t" | "locale" | "deps">, field: EditableField, v: Values, region: RegionRow | null): string {
  const none = ctx.t("profile.not_given");
  switch (field) {
    case "regionCode":
      return region ? regionName(region, ctx.locale) : none;
    case "birthDate":
      return typeof v.birthDate === "string" ? formatDate(v.birthDate) : none;
    case "interests": {
      const list = typeof v.interests === "string" ? v.interests.split(",").filter(Boolean) : ((v.interests as string[] | undefined) ?? []);
      return list.length ? list.map((i) => ctx.t(`registration.interests.${i}`)).join(", ") : none;
    }
    case "relation":
    case "memberStatus":
    case "contactTime":
      return v[field] ? ctx.t(`registration.${field}.${String(v[field])}`) : none;
    default: {
      const raw = v[field];
      return raw === null || raw === undefined || raw === "" ? none : String(raw);
    }
  }
}

/** "<b>Label:</b> value" lines for the role's fields. Values are HTML-escaped. */
export function profileLines(ctx: Pick<LocaleFlavor, "t" | "locale" | "deps">, role: Role, v: Values, region: RegionRow | null): string {
  const lines = [`<b>${ctx.t("profile.fields.role")}:</b> ${ctx.t(roleKey(ctx.deps.config, role))}`];
  for (const f of fieldsFor(role, military(ctx.deps.config))) lines.push(`<b>${ctx.t(`profile.fields.${f}`)}:</b> ${escapeHtml(fieldText(ctx, f, v, region))}`);
  return lines.join("\n");
}
