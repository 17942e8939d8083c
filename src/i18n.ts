// Strings live in locales/<lang>/<feature>.json; a key is "<feature>.<key>", e.g. "start.greeting".
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type TFunction } from "i18next";

export const LOCALES = ["ru", "en", "lt"] as const;
export type Locale = (typeof LOCALES)[number];

export const localesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "locales");

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** The supported language closest to a Telegram client's language_code ("ru-RU" → "ru"). */
export function localeFromTelegram(code: string | undefined): Locale | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return isLocale(base) ? base : undefined;
}

export function loadResources(dir = localesDir): Record<Locale, Record<string, unknown>> {
  const out = {} as Record<Locale, Record<string, unknown>>;
  for (const lang of LOCALES) {
    const files = readdirSync(path.join(dir, lang)).filter((f) => f.endsWith(".json"));
    out[lang] = Object.fromEntries(files.map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(path.join(dir, lang, f), "utf8"))]));
  }
  return out;
}

/** Escapes what Telegram's HTML parse mode requires (and nothing else, so URLs stay readable). */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export async function createI18n(fallback: Locale): Promise<i18n> {
  const resources = loadResources();
  const instance = i18next.createInstance();
  await instance.init({
    resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: resources[l] }])),
    lng: fallback,
    fallbackLng: fallback,
    supportedLngs: [...LOCALES],
    // Messages are sent as Telegram HTML, so interpolated values are HTML-escaped.
    interpolation: { escapeValue: true, escape: escapeHtml },
    returnNull: false,
    // i18next prints an advertisement to stdout on first init otherwise.
    ...({ showSupportNotice: false } as object),
  });
  return instance;
}

export type Translate = TFunction;

const translators = new WeakMap<i18n, Map<string, Translate>>();
/** Strings kept per language at most (keys come from the code, so far fewer exist). */
const PLAIN_KEPT = 5000;

/**
 * The translator for one language: one function per language for the life of the process, not one
 * per update. A call with a key alone (a button label, a title: most calls) is looked up once and
 * kept, since resources never change while the bot runs; a call with options goes to i18next.
 */
export function translator(instance: i18n, locale: Locale): Translate {
  let byLocale = translators.get(instance);
  if (!byLocale) translators.set(instance, (byLocale = new Map()));
  let t = byLocale.get(locale);
  if (t) return t;
  const full = instance.getFixedT(locale) as unknown as (...args: unknown[]) => unknown;
  const plain = new Map<string, unknown>();
  const cached = (...args: unknown[]): unknown => {
    const key = args[0];
    if (args.length !== 1 || typeof key !== "string") return full(...args);
    let s = plain.get(key);
    if (s === undefined) {
      s = full(key);
      if (plain.size < PLAIN_KEPT) plain.set(key, s);
    }
    return s;
  };
  t = cached as unknown as Translate;
  byLocale.set(locale, t);
  return t;
}
