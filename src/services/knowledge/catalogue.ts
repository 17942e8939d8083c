// The knowledge base as the bot reads it: the active articles and their search index, kept in
// memory and rebuilt when an import changes them (checked at most every few seconds, so an
// `npm run admin -- kb import` reaches a running bot without a restart). Same on both engines.
import type { Db } from "../../db/client.js";
import type { Locale } from "../../i18n.js";
import type { Category, Role } from "../vocabulary.js";
import type { Article } from "./articles.js";
import { judge, KnowledgeIndex, type Hit } from "./search.js";
import { activeArticles, articlesStamp } from "./store.js";

const RECHECK_MS = 10_000;

interface Loaded {
  index: KnowledgeIndex;
  byId: Map<string, Article>;
  stamp: string;
  checkedAt: number;
}

export class KnowledgeBase {
  private loaded?: Promise<Loaded>;

  constructor(private db: Db, private now: () => number = Date.now) {}

  private async current(): Promise<Loaded> {
    const cached = this.loaded && (await this.loaded);
    if (cached && this.now() - cached.checkedAt < RECHECK_MS) return cached;
    if (cached && (await articlesStamp(this.db)) === cached.stamp) {
      cached.checkedAt = this.now();
      return cached;
    }
    this.loaded = activeArticles(this.db).then(({ articles, stamp }) => ({
      index: new KnowledgeIndex(articles), byId: new Map(articles.map((a) => [a.id, a])), stamp, checkedAt: this.now(),
    }));
    return this.loaded;
  }

  /** The best articles for a question, and whether to answer, offer choices, or say none fits. */
  async ask(question: string, opts: { lang: Locale; role?: Role | null; region?: string | null }) {
    const { index } = await this.current();
    return judge(index.search(question, { ...opts, limit: 5 }));
  }

  async search(question: string, opts: { lang: Locale; role?: Role | null; region?: string | null; limit?: number }): Promise<Hit[]> {
    return (await this.current()).index.search(question, opts);
  }

  async article(id: string): Promise<Article | null> {
    return (await this.current()).byId.get(id) ?? null;
  }

  /** Articles of a category for browsing, those written for the person's role and region first. */
  async inCategory(category: Category, role?: Role | null, region?: string | null): Promise<Article[]> {
    const fits = (a: Article) => (a.audience === "all" || !role || a.audience.includes(role)) && (a.regions === "all" || !region || a.regions.includes(region));
    const all = [...(await this.current()).byId.values()].filter((a) => a.category === category);
    return [...all.filter(fits), ...all.filter((a) => !fits(a))];
  }

  async counts(): Promise<Map<Category, number>> {
    const counts = new Map<Category, number>();
    for (const a of (await this.current()).byId.values()) counts.set(a.category, (counts.get(a.category) ?? 0) + 1);
    return counts;
  }
}
