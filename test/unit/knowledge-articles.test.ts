import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { articleText, loadArticles, mergeArticles, parseArticle, STARTER_DIR, type Article } from "../../src/services/knowledge/articles.js";
import { LOCALES } from "../../src/i18n.js";
import { CATEGORIES } from "../../src/services/vocabulary.js";

const starterFile = (name: string) => readFileSync(path.join(STARTER_DIR, name), "utf8");
const problemsOf = (name: string, text: string) => {
  const r = parseArticle(name, text);
  return "problems" in r ? r.problems : [];
};

describe("starter articles", () => {
  let articles: Article[];
  let problems: string[];
  beforeAll(async () => {
    ({ articles, problems } = await loadArticles(STARTER_DIR));
  });

  it("all 52 load with no problems", () => {
    expect(path.isAbsolute(STARTER_DIR)).toBe(true);
    expect(problems).toEqual([]);
    expect(articles).toHaveLength(52);
    expect(new Set(articles.map((a) => a.id)).size).toBe(52);
  });

  it("cover every category, each with a title, body and example questions in ru, en and lt", () => {
    for (const category of CATEGORIES) {
      const own = articles.filter((a) => a.category === category);
      expect(own.length, category).toBeGreaterThan(0);
      for (const lang of LOCALES) {
        expect(own.some((a) => a.title[lang] && a.body[lang] && a.questions[lang]?.length), `${category} in ${lang}`).toBe(true);
      }
    }
  });

  it("every article has all three languages, sources over https, and a review date", () => {
    for (const a of articles) {
      for (const lang of LOCALES) expect(a.body[lang], `${a.id} ${lang}`).toBeTruthy();
      expect(a.sources.every((s) => s.url.startsWith("https://")), a.id).toBe(true);
      expect(a.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe("a broken article file", () => {
  const good = starterFile("payments-injury.md");
  const name = "payments.md";

  it("gives exactly one line naming the file, the field and the problem", () => {
    expect(problemsOf(name, good.replace("category: payments", "category: money"))).toEqual([
      'payments.md: category: must be one of payments, documents, health, psychology, legal, housing, work_study, children_family, mentoring, other (got "money")',
    ]);
    expect(problemsOf(name, good.replace("<!-- lang: ru -->\n", ""))).toEqual(["payments.md: body: missing <!-- lang: ru --> line before the Russian text"]);
    expect(problemsOf(name, good.replace(/url: https:\/\/mil\.ru\//, "url: http://mil.ru/"))).toEqual([
      'payments.md: sources[0].url: must be an https:// address (got "http://mil.ru/")',
    ]);
    expect(problemsOf(name, good.replace("<!-- lang: en -->", `${"слово ".repeat(700)}\n<!-- lang: en -->`))).toEqual([
      expect.stringMatching(/^payments\.md: body\.ru: \d+ characters, more than the limit of 3500$/),
    ]);
    expect(problemsOf(name, good.replace("audience: [service_member, family]", "audience: [wife]"))).toEqual([
      'payments.md: audience[0]: must be one of graduate, family, service_member (got "wife")',
    ]);
    expect(problemsOf(name, good.replace("regions: all", "regions: [RU-XXX]"))).toEqual(['payments.md: regions[0]: unknown region code "RU-XXX" (see prisma/seed/regions.json)']);
    expect(problemsOf(name, good.replace(/^id: .*\n/m, ""))).toEqual(["payments.md: id: missing"]);
    expect(problemsOf(name, good.replace("regions: all", "regions: all\nsynonym: [x]"))).toEqual(["payments.md: synonym: unknown field"]);
    expect(problemsOf(name, good.replace(/^reviewed: .*$/m, "reviewed: 2026-02-30"))).toEqual(["payments.md: reviewed: is not a real date"]);
    expect(problemsOf(name, good.replace("<!-- lang: lt -->", "<!-- lang: de -->"))).toEqual([
      'payments.md: body: unknown language "de" in <!-- lang: de --> (expected ru, en, lt)',
    ]);
    expect(problemsOf(name, good.replace(/^---\n/, ""))).toEqual(["payments.md: front matter: the file must begin with a line --- , then the YAML fields, then a line ---"]);
    expect(problemsOf(name, good.replace("category: payments", "category: [payments"))).toEqual([expect.stringMatching(/^payments\.md: front matter: YAML error at line \d+: /)]);
  });

  it("a file with only a Russian text is fine, shown in Russian for other languages", () => {
    const ru = good.replace(/\n<!-- lang: en -->[\s\S]*$/, "\n").replace(/^ {2}(en|lt): .*\n/gm, "");
    const r = parseArticle(name, ru);
    expect("article" in r && articleText(r.article, "lt").title).toBe("Выплаты при ранении, контузии, травме");
  });

  describe("in a folder", () => {
    let dir: string;
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("does not stop the others from loading; a repeated id is a problem too", async () => {
      dir = mkdtempSync(path.join(tmpdir(), "kb-"));
      writeFileSync(path.join(dir, "a-injury.md"), good);
      writeFileSync(path.join(dir, "b-broken.md"), good.replace("category: payments", "category: money"));
      writeFileSync(path.join(dir, "c-grief.md"), starterFile("psychology-grief.md"));
      writeFileSync(path.join(dir, "d-again.md"), good);
      writeFileSync(path.join(dir, "notes.txt"), "not an article");
      const { articles, problems } = await loadArticles(dir);
      expect(articles.map((a) => a.id)).toEqual(["payments-injury", "psychology-grief"]);
      expect(problems).toEqual([
        'b-broken.md: category: must be one of payments, documents, health, psychology, legal, housing, work_study, children_family, mentoring, other (got "money")',
        'd-again.md: id: "payments-injury" is already used by a-injury.md',
      ]);
    });
  });
});

describe("a programme's own articles", () => {
  it("replace starter articles with the same id and add new ones, in order", async () => {
    const { articles } = await loadArticles(STARTER_DIR);
    const own = { ...articles[0]!, title: { ru: "Наша версия" } };
    const extra = { ...articles[1]!, id: "our-office-hours" };
    const merged = mergeArticles(articles, [own, extra]);
    expect(merged).toHaveLength(53);
    expect(merged[0]!.title.ru).toBe("Наша версия");
    expect(merged.at(-1)!.id).toBe("our-office-hours");
  });
});
