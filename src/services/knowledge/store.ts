// The knowledge base in the database: articles imported from their files (idempotent: an import
// that finds nothing changed writes nothing), and what people did with them, for `kb stats`.
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import { hotSql } from "../../db/direct.js";
import type { Article } from "./articles.js";
import { CATEGORIES, type Category } from "../vocabulary.js";

/** Where the shipped articles come from; a programme's own folder is recorded by its path. */
export const STARTER = "starter";

export interface ImportResult {
  added: string[];
  updated: string[];
  unchanged: number;
  /** Starter articles a programme's own version keeps replacing. */
  keptOwn: string[];
  retired: string[];
}

/**
 * Stores articles from one origin. A programme's own article is never overwritten by the starter
 * set; starter articles no longer shipped are retired (kept for their figures, no longer shown).
 */
export async function importArticles(db: Db, articles: Article[], origin: string, now: Date): Promise<ImportResult> {
  return transaction(db, async (tx) => {
    const result: ImportResult = { added: [], updated: [], unchanged: 0, keptOwn: [], retired: [] };
    const existing = new Map((await tx.knowledgeArticle.findMany()).map((r) => [r.id, r]));
    for (const a of articles) {
      const row = {
        category: a.category,
        audience: a.audience === "all" ? "" : a.audience.join(","),
        regions: a.regions === "all" ? "" : a.regions.join(","),
        content: JSON.stringify(a),
        origin,
        reviewed: a.reviewed,
        active: true,
      };
      const old = existing.get(a.id);
      if (old && origin === STARTER && old.origin !== STARTER) result.keptOwn.push(a.id);
      else if (old && old.content === row.content && old.origin === origin && old.active) result.unchanged++;
      else {
        await tx.knowledgeArticle.upsert({ where: { id: a.id }, create: { id: a.id, ...row, updatedAt: now }, update: { ...row, updatedAt: now } });
        (old ? result.updated : result.added).push(a.id);
      }
    }
    if (origin === STARTER) {
      const shipped = new Set(articles.map((a) => a.id));
      const gone = [...existing.values()].filter((r) => r.origin === STARTER && r.active && !shipped.has(r.id)).map((r) => r.id);
      if (gone.length) await tx.knowledgeArticle.updateMany({ where: { id: { in: gone } }, data: { active: false, updatedAt: now } });
      result.retired = gone;
    }
    return result;
  });
}

/** The articles shown and searched, and a stamp that changes whenever any of them does. */
export async function activeArticles(db: Db): Promise<{ articles: Article[]; stamp: string }> {
  const rows = await db.knowledgeArticle.findMany({ where: { active: true }, orderBy: { id: "asc" } });
  return { articles: rows.map((r) => JSON.parse(r.content) as Article), stamp: await articlesStamp(db) };
}

export async function articlesStamp(db: Db): Promise<string> {
  const agg = await db.knowledgeArticle.aggregate({ _count: { _all: true }, _max: { updatedAt: true } });
  return `${agg._count._all}:${agg._max.updatedAt?.getTime() ?? 0}`;
}

export const KNOWLEDGE_EVENTS = ["asked", "shown", "helped", "not_helped", "no_answer", "handover"] as const;
export type KnowledgeEventKind = (typeof KNOWLEDGE_EVENTS)[number];

export interface NewKnowledgeEvent {
  kind: KnowledgeEventKind;
  at: Date;
  articleId?: string | null;
  personId?: number | null;
  /** The question in the person's words: personal data, erased with them, never logged. */
  question?: string | null;
  lang?: string | null;
  /** Per-update key: the same update counts once. */
  key?: string | null;
}

/**
 * Records what happened; the same key twice records once. Returns the event's id. Every free-text
 * question writes one or two: SQL of our own (db/direct.ts), a fraction of a Prisma create.
 */
export async function recordKnowledgeEvent(db: Db, e: NewKnowledgeEvent): Promise<number> {
  const sql = hotSql<{ id: number }>(db);
  const key = e.key ?? null;
  const [row] = await sql`INSERT INTO "KnowledgeEvent" ("at", "kind", "articleId", "personId", "question", "lang", "sourceKey")
    VALUES (${e.at}, ${e.kind}, ${e.articleId ?? null}, ${e.personId ?? null}, ${e.question ?? null}, ${e.lang ?? null}, ${key})
    ON CONFLICT ("sourceKey") DO NOTHING RETURNING "id"`;
  if (row) return Number(row.id);
  const [seen] = await sql`SELECT "id" FROM "KnowledgeEvent" WHERE "sourceKey" = ${key}`;
  return Number(seen!.id);
}

/** A question the person asked, if it is theirs (ids arrive in buttons and can be forged). */
export async function questionOf(db: Db, eventId: number, personId: number): Promise<{ question: string; lang: string | null } | null> {
  const e = await db.knowledgeEvent.findUnique({ where: { id: eventId } });
  return e && e.personId === personId && e.question ? { question: e.question, lang: e.lang } : null;
}

export interface ArticleFigures {
  id: string;
  category: Category;
  shown: number;
  helped: number;
  notHelped: number;
  handover: number;
}

export interface KnowledgeFigures {
  articles: ArticleFigures[];
  asked: number;
  noAnswer: number;
  handover: number;
  /** The latest questions that found no good answer (newest first), for content work. */
  unanswered: { at: Date; question: string; lang: string | null }[];
}

/** Use of the knowledge base since `since` (default: always), per article and overall. */
export async function knowledgeFigures(db: Db, since = new Date(0), unansweredLimit = 20): Promise<KnowledgeFigures> {
  const groups = await db.knowledgeEvent.groupBy({ by: ["articleId", "kind"], where: { at: { gte: since } }, _count: { _all: true } });
  const articles = await db.knowledgeArticle.findMany({ select: { id: true, category: true } });
  const byId = new Map(articles.map((a) => [a.id, { id: a.id, category: (CATEGORIES as readonly string[]).includes(a.category) ? (a.category as Category) : "other", shown: 0, helped: 0, notHelped: 0, handover: 0 }]));
  const totals: Record<string, number> = {};
  for (const g of groups) {
    totals[g.kind] = (totals[g.kind] ?? 0) + g._count._all;
    const f = g.articleId ? byId.get(g.articleId) : undefined;
    if (!f) continue;
    if (g.kind === "shown") f.shown += g._count._all;
    if (g.kind === "helped") f.helped += g._count._all;
    if (g.kind === "not_helped") f.notHelped += g._count._all;
    if (g.kind === "handover") f.handover += g._count._all;
  }
  const unanswered = await db.knowledgeEvent.findMany({
    where: { kind: "no_answer", at: { gte: since }, question: { not: null } }, orderBy: { id: "desc" }, take: unansweredLimit, select: { at: true, question: true, lang: true },
  });
  return {
    articles: [...byId.values()].sort((a, b) => b.shown - a.shown || a.id.localeCompare(b.id)),
    asked: totals.asked ?? 0,
    noAnswer: totals.no_answer ?? 0,
    handover: totals.handover ?? 0,
    unanswered: unanswered.map((u) => ({ at: u.at, question: u.question!, lang: u.lang })),
  };
}
