// Every string in every language: same keys in ru, en and lt (plural forms as each language needs),
// and every key the code uses exists.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n, LOCALES, loadResources, translator } from "../../src/i18n.js";
import { MENU_ITEMS } from "../../src/bot/ui/menu.js";
import { CASE_STATUSES, CATEGORIES, CONTACT_TIMES, DECLINE_REASONS, INTERESTS, MEMBER_STATUSES, RELATIONS, ROLES, URGENCIES } from "../../src/services/vocabulary.js";
import { EDITABLE_FIELDS } from "../../src/services/people/profiles.js";
import { allFeatures, commandsOf, MEMBER_FEATURES } from "../../src/bot/create-bot.js";

const resources = loadResources();
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj: unknown, prefix = ""): string[] {
  if (typeof obj !== "object" || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

const keys = Object.fromEntries(LOCALES.map((l) => [l, new Set(flatten(resources[l]))])) as Record<string, Set<string>>;
const baseKeys = (l: string) => new Set([...keys[l]!].map((k) => k.replace(PLURAL, "")));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === "generated" ? [] : sourceFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

describe("locales", () => {
  it("have the same keys in every language", () => {
    const ru = baseKeys("ru");
    for (const l of LOCALES) {
      const b = baseKeys(l);
      expect([...ru].filter((k) => !b.has(k)), `missing in ${l}`).toEqual([]);
      expect([...b].filter((k) => !ru.has(k)), `only in ${l}`).toEqual([]);
    }
  });

  it("have every plural form each language needs", () => {
    for (const l of LOCALES) {
      const needed = new Intl.PluralRules(l).resolvedOptions().pluralCategories;
      const plurals = new Set([...keys[l]!].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, "")));
      for (const base of plurals) for (const form of needed) expect(keys[l]!.has(`${base}_${form}`), `${l}: ${base}_${form}`).toBe(true);
    }
    expect(keys.ru!.has("errors.too_long_few")).toBe(true);
  });

  it("have no empty strings", () => {
    for (const l of LOCALES) for (const k of keys[l]!) expect(String(k.split(".").reduce<any>((o, p) => o?.[p], resources[l as "ru"])).trim(), `${l}:${k}`).not.toBe("");
  });

  it("contain every key used in the code", () => {
    const used = new Set<string>();
    for (const file of sourceFiles(path.resolve("src"))) {
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/\bt\(\s*"([a-z0-9_]+\.[a-z0-9_.]+)"/g)) used.add(m[1]!);
      for (const m of src.matchAll(/\bt\(\s*[a-z]+\s*\?\s*"([a-z0-9_.]+)"\s*:\s*"([a-z0-9_.]+)"/g)) used.add(m[1]!).add(m[2]!);
    }
    // Keys built from data: menu labels, command descriptions, language names.
    for (const item of MENU_ITEMS) used.add(item.label(null)).add(item.label({ role: "graduate" } as never));
    for (const c of commandsOf(allFeatures(MEMBER_FEATURES))) used.add(`commands.${c}`);
    for (const l of LOCALES) used.add(`language.names.${l}`);
    for (const r of ROLES) used.add(`registration.roles.${r}`).add(`registration.i_am.${r}`);
    for (const [key, list] of [["relation", RELATIONS], ["memberStatus", MEMBER_STATUSES], ["contactTime", CONTACT_TIMES], ["interests", INTERESTS]] as const) {
      for (const id of list) used.add(`registration.${key}.${id}`);
      used.add(`registration.ask.${key}`);
    }
    for (const f of new Set(Object.values(EDITABLE_FIELDS).flat())) used.add(`profile.fields.${f}`);
    for (const k of ["fullName", "birthDate", "region", "institution", "leftYear", "phone"]) used.add(`registration.ask.${k}`);
    for (const k of ["memberStatus", "contactTime"]) used.add(`registration.skip.${k}`);
    for (const o of ["created", "updated", "role_changed"]) used.add(`registration.done_${o}`);
    for (const c of CATEGORIES) used.add(`categories.${c}`);
    for (const s of [...CASE_STATUSES, "closed_inactive"]) used.add(`cases.status_notice.${s}`);
    for (const s of CASE_STATUSES) used.add(`cases.status.${s}`);
    for (const u of URGENCIES) used.add(`help_request.urgency.${u}`);
    for (const r of DECLINE_REASONS) used.add(`coordinator.reason.${r}`);
    for (const r of ["taken", "already_taken", "not_allowed", "not_found"]) used.add(`coordinator.take_${r}`);
    for (const r of ["relayed", "noted", "not_allowed", "closed"]) used.add(`coordinator.sent_${r}`);
    for (const r of ["relayed", "queued", "closed"]) used.add(`cases.message_${r}`);
    for (const r of ["ok", "used", "expired", "unknown"]) used.add(`admin.invite_${r}`);
    for (const a of ["requester", "coordinator", "note"]) used.add(`coordinator.author.${a}`);
    for (const e of ["created", "assigned", "taken", "declined", "lapsed", "unreachable", "unassigned", "colleague_asked", "status", "note", "rated", "reassigned"]) used.add(`coordinator.event.${e}`);
    for (const k of ["cat", "urgency"]) used.add(`help_request.ask_${k}`);
    for (const c of ["RU", "LT"]) used.add(`registration.region_example.${c}`);
    // Every reason a check can give has its message.
    const reasons = readFileSync(path.resolve("src/services/validation.ts"), "utf8").matchAll(/no(?:<[^>]*>)?\("([a-z_]+)"/g);
    for (const m of reasons) used.add(`validation.${m[1]}`);
    for (const k of ["need_text", "use_buttons", "need_phone", "phone_not_own", "region_none", "region_unknown"]) used.add(`validation.${k}`);
    expect(used.size).toBeGreaterThan(30);
    for (const l of LOCALES) {
      const b = baseKeys(l);
      expect([...used].filter((k) => !b.has(k)), `used but missing in ${l}`).toEqual([]);
    }
  });
});

describe("the translator kept per language", () => {
  it("says what i18next says, for keys alone (kept) and with options (not kept)", async () => {
    const i18n = await createI18n("ru");
    for (const l of LOCALES) {
      const t = translator(i18n, l);
      const full = i18n.getFixedT(l);
      expect(translator(i18n, l)).toBe(t);
      for (let i = 0; i < 2; i++) {
        expect(t("menu.title")).toBe(full("menu.title"));
        expect(t("errors.too_long", { count: 4096 })).toBe(full("errors.too_long", { count: 4096 }));
        expect(t("language.chosen", { language: "<b>" })).toBe(full("language.chosen", { language: "<b>" }));
      }
      expect(t("menu.title")).not.toBe(translator(i18n, l === "ru" ? "en" : "ru")("menu.title"));
    }
  });
});
