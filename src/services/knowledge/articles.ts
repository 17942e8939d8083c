// Knowledge-base articles: one Markdown file each (YAML front matter, then a body per language),
// read and checked here. A broken file is reported as one readable line and never stops the others;
// nothing here touches the database or Telegram.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { z } from "zod";
import { LOCALES, type Locale } from "../../i18n.js";
import { regionSeed } from "../regions.js";
import { CATEGORIES, ROLES, type Category, type Role } from "../vocabulary.js";

/** A text in Russian, optionally translated; shown in Russian where a translation is missing. */
export type Localized<T> = { ru: T } & Partial<Record<Exclude<Locale, "ru">, T>>;

export interface Article {
  id: string;
  category: Category;
  audience: Role[] | "all";
  regions: string[] | "all";
  /** When a person last checked the content, YYYY-MM-DD. */
  reviewed: string;
  sources: { title: string; url: string }[];
  title: Localized<string>;
  body: Localized<string>;
  questions: Partial<Record<Locale, string[]>>;
  synonyms: Partial<Record<Locale, string[]>>;
}

/** Telegram allows 4096 characters a message; the rest is room for the title and the buttons. */
export const BODY_LIMIT = 3500;

/** The starter articles shipped with the bot. */
export const STARTER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "prisma", "seed", "knowledge");

const show = (v: unknown) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v) ?? String(v));
const or = (problem: (input: unknown) => string) => (iss: { input?: unknown }) => (iss.input == null ? "missing" : problem(iss.input));
const oneOf = (list: readonly string[]) => or((input) => `must be one of ${list.join(", ")} (got ${show(input)})`);
const text = () => z.string({ error: or(() => "must be text") }).trim().min(1, "must not be empty");
const phrases = z.array(z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1, "must not be empty")), { error: "must be a list" });

let regionCodes: Set<string> | undefined;
const knownRegion = (code: string) => (regionCodes ??= new Set(regionSeed().map((r) => r.code))).has(code);

const frontMatter = z.strictObject({
  id: text().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lowercase latin letters, digits and dashes, e.g. payments-injury"),
  category: z.enum(CATEGORIES, { error: oneOf(CATEGORIES) }),
  audience: z.union([z.literal("all"), z.array(z.enum(ROLES, { error: oneOf(ROLES) })).min(1, "must name at least one role or be all")], {
    error: or(() => `must be all or a list of ${ROLES.join(", ")}`),
  }),
  regions: z.union(
    [
      z.literal("all"),
      z.array(z.string().refine(knownRegion, { error: (iss) => `unknown region code ${show(iss.input)} (see prisma/seed/regions.json)` })).min(1, "must name at least one region or be all"),
    ],
    { error: or(() => "must be all or a list of region codes such as RU-TAM") },
  ),
  reviewed: z
    .string({ error: or(() => "must be a date YYYY-MM-DD") })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
    .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), "is not a real date"),
  sources: z
    .array(
      z.strictObject({
        title: text(),
        url: z.url({ protocol: /^https$/, error: or((input) => `must be an https:// address (got ${show(input)})`) }),
      }),
      { error: "must be a list of {title, url}" },
    )
    .default([]),
  title: z.strictObject({ ru: text(), en: text().optional(), lt: text().optional() }, { error: or(() => "must be {ru, en, lt}") }),
  questions: z.strictObject({ ru: phrases.optional(), en: phrases.optional(), lt: phrases.optional() }).default({}),
  synonyms: z.strictObject({ ru: phrases.optional(), en: phrases.optional(), lt: phrases.optional() }).default({}),
});

const MARKER = /^<!--\s*lang:\s*([A-Za-z-]*)\s*-->[ \t]*$/gm;

function fieldPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === "number" ? `[${k}]` : i ? `.${String(k)}` : String(k))).join("") || "front matter";
}

/** One line per problem; for "all or a list" fields given a list, the problem inside the list. */
function describe(iss: z.core.$ZodIssue, at: readonly PropertyKey[] = []): string[] {
  const where = [...at, ...iss.path];
  if (iss.code === "unrecognized_keys") return iss.keys.map((k) => `${fieldPath([...where, k])}: unknown field`);
  if (iss.code === "invalid_union" && Array.isArray(iss.input) && iss.errors.length) return iss.errors.at(-1)!.flatMap((i) => describe(i, where));
  return [`${fieldPath(where)}: ${iss.message}`];
}

/** Splits the bodies after the front matter by their `<!-- lang: xx -->` lines. */
function splitBodies(rest: string, problems: string[]): Partial<Record<Locale, string>> {
  const bodies: Partial<Record<Locale, string>> = {};
  const marks = [...rest.matchAll(MARKER)];
  const hasRu = marks.some((m) => m[1]!.toLowerCase() === "ru");
  if (rest.slice(0, marks[0]?.index ?? rest.length).trim()) problems.push(hasRu ? "body: text before the first <!-- lang: xx --> line" : "body: missing <!-- lang: ru --> line before the Russian text");
  else if (!hasRu) problems.push("body: missing <!-- lang: ru --> body");
  marks.forEach((m, i) => {
    const lang = m[1]!.toLowerCase();
    const body = rest.slice(m.index + m[0].length, marks[i + 1]?.index ?? rest.length).trim();
    if (!(LOCALES as readonly string[]).includes(lang)) problems.push(`body: unknown language ${show(lang)} in ${m[0].trim()} (expected ${LOCALES.join(", ")})`);
    else if (bodies[lang as Locale] !== undefined) problems.push(`body.${lang}: appears twice`);
    else if (!body) problems.push(`body.${lang}: empty`);
    else if (body.length > BODY_LIMIT) problems.push(`body.${lang}: ${body.length} characters, more than the limit of ${BODY_LIMIT}`);
    else bodies[lang as Locale] = body;
  });
  return bodies;
}

/** Reads one article file; every problem is one line "<file>: <field>: <problem>". */
export function parseArticle(fileName: string, source: string): { article: Article } | { problems: string[] } {
  const problems: string[] = [];
  const fm = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)^---[ \t]*$/m.exec(source);
  if (!fm || fm.index !== 0) return { problems: [`${fileName}: front matter: the file must begin with a line --- , then the YAML fields, then a line ---`] };
  const doc = parseDocument(fm[1]!);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos ? ` at line ${e.linePos[0].line + 1}` : ""; // +1: the opening --- line
    const what = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    return { problems: [`${fileName}: front matter: YAML error${line}: ${what}`] };
  }
  const bodies = splitBodies(source.slice(fm[0].length).replace(/\r\n/g, "\n"), problems);
  const parsed = frontMatter.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (!parsed.success) {
    for (const iss of parsed.error.issues) problems.push(...describe(iss));
  } else if (!problems.length) {
    for (const lang of LOCALES) {
      if (bodies[lang] !== undefined && parsed.data.title[lang] === undefined) problems.push(`title.${lang}: missing (the file has a ${lang} body)`);
      if (bodies[lang] === undefined && parsed.data.title[lang] !== undefined && lang !== "ru") problems.push(`body: missing <!-- lang: ${lang} --> body (title.${lang} is set)`);
    }
  }
  if (problems.length || !parsed.success) return { problems: problems.map((p) => `${fileName}: ${p}`) };
  const { questions, synonyms, ...rest } = parsed.data;
  const drop = <T>(o: Partial<Record<Locale, T | undefined>>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<Locale, T>>;
  return { article: { ...rest, title: drop(rest.title) as Localized<string>, body: bodies as Localized<string>, questions: drop(questions), synonyms: drop(synonyms) } };
}

/** Reads every `*.md` in a folder (sorted by name); broken files and repeated ids become problem lines. */
export async function loadArticles(dir: string): Promise<{ articles: Article[]; problems: string[] }> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".md")).sort();
  const articles: Article[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const result = parseArticle(file, await readFile(path.join(dir, file), "utf8"));
    if ("problems" in result) problems.push(...result.problems);
    else if (seen.has(result.article.id)) problems.push(`${file}: id: ${show(result.article.id)} is already used by ${seen.get(result.article.id)}`);
    else {
      seen.set(result.article.id, file);
      articles.push(result.article);
    }
  }
  return { articles, problems };
}

/** A programme's own articles replace the starter ones with the same id and add the rest. */
export function mergeArticles(base: Article[], override: Article[]): Article[] {
  const own = new Map(override.map((a) => [a.id, a]));
  const merged = base.map((a) => own.get(a.id) ?? a);
  const baseIds = new Set(base.map((a) => a.id));
  return [...merged, ...override.filter((a) => !baseIds.has(a.id))];
}

/** The title and body to show in a language, falling back to Russian. */
export function articleText(article: Article, lang: Locale): { title: string; body: string } {
  return { title: article.title[lang] ?? article.title.ru, body: article.body[lang] ?? article.body.ru };
}
