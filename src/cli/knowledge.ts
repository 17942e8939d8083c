// `npm run admin -- kb ...`: the knowledge base from the command line.
//   kb import [--dir DIR]                  loads the starter articles and a programme's own folder
//   kb search "question" [--lang ru] [--json]   ranked articles; --json prints only a JSON array
//   kb stats [--from YYYY-MM-DD]           use per article, and the latest questions without an answer
import type { Db } from "../db/client.js";
import { isLocale, type Locale } from "../i18n.js";
import { systemClock } from "../services/clock.js";
import { KnowledgeBase } from "../services/knowledge/catalogue.js";
import { seedKnowledge } from "../services/knowledge/seed.js";
import { knowledgeFigures, type ImportResult } from "../services/knowledge/store.js";

export interface CliOutput {
  out: string;
  /** Lines for stderr; with them the command exits 1 (what could be done was done). */
  problems?: string[];
}

export class KnowledgeUsageError extends Error {}

const summary = (name: string, r: ImportResult) =>
  `${name}: ${r.added.length} added, ${r.updated.length} updated, ${r.unchanged} unchanged` +
  (r.keptOwn.length ? `, ${r.keptOwn.length} kept as the programme's own version` : "") + (r.retired.length ? `, retired: ${r.retired.join(", ")}` : "");

export async function knowledgeCommand(db: Db, action: string | undefined, args: string[], o: { dir?: string; lang?: string; json?: boolean; from?: string }): Promise<CliOutput> {
  const ownDir = o.dir ?? process.env.KNOWLEDGE_DIR?.trim() ?? undefined;
  if (action === "import") {
    const r = await seedKnowledge(db, systemClock, ownDir || undefined);
    const lines = [summary("starter articles", r.starter), ...(r.own && ownDir ? [summary(ownDir, r.own)] : [])];
    return { out: lines.join("\n"), problems: r.problems };
  }
  if (action === "search") {
    const question = args.join(" ").trim();
    if (!question) throw new KnowledgeUsageError('kb search needs the question, e.g. npm run admin -- kb search "как получить выплату"');
    const lang = (o.lang ?? "ru").toLowerCase();
    if (!isLocale(lang)) throw new KnowledgeUsageError(`--lang must be ru, en or lt (got ${o.lang})`);
    await seedKnowledge(db, systemClock, ownDir || undefined); // a fresh database gets the articles too
    const kb = new KnowledgeBase(db);
    const hits = await kb.search(question, { lang: lang as Locale, limit: 10 });
    if (o.json) return { out: JSON.stringify(hits.map((h) => ({ id: h.id, category: h.category, score: Math.round(h.score * 1000) / 1000 }))) };
    if (!hits.length) return { out: "no article matches" };
    const rows = [];
    for (const h of hits) rows.push(`${h.score.toFixed(2)}  ${h.category.padEnd(15)} ${h.id.padEnd(40)} ${(await kb.article(h.id))?.title[lang as Locale] ?? ""}`);
    return { out: rows.join("\n") };
  }
  if (action === "stats") {
    if (o.from && !/^\d{4}-\d{2}-\d{2}$/.test(o.from)) throw new KnowledgeUsageError("--from must be a date YYYY-MM-DD");
    const f = await knowledgeFigures(db, o.from ? new Date(`${o.from}T00:00:00Z`) : new Date(0));
    const lines = [`questions asked: ${f.asked}; without a good answer: ${f.noAnswer}; passed to a coordinator: ${f.handover}`, "", "article                                   shown helped not_helped to_person"];
    for (const a of f.articles) lines.push(`${a.id.padEnd(40)} ${String(a.shown).padStart(6)} ${String(a.helped).padStart(6)} ${String(a.notHelped).padStart(10)} ${String(a.handover).padStart(9)}`);
    lines.push("", "latest questions without a good answer:");
    for (const u of f.unanswered) lines.push(`${u.at.toISOString().slice(0, 10)} [${u.lang ?? "?"}] ${u.question.replace(/\s+/g, " ").slice(0, 200)}`);
    return { out: lines.join("\n") };
  }
  throw new KnowledgeUsageError('usage: npm run admin -- kb import [--dir DIR] | kb search "question" [--lang ru|en|lt] [--json] | kb stats [--from YYYY-MM-DD]');
}
