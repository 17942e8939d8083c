// `npm run admin -- kb ...`: import (idempotent; a programme's folder replaces and adds; a broken
// file is one line and stops nothing), search with its exact JSON output, statistics.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptySqliteUrl } from "../helpers/db.js";
import { runAdmin } from "../../src/cli/admin.js";
import { STARTER_DIR } from "../../src/services/knowledge/articles.js";

describe("kb CLI", () => {
  let url: string;
  let own: string;
  beforeEach(() => {
    url = emptySqliteUrl();
    own = mkdtempSync(path.join(tmpdir(), "kb-own-"));
  });
  afterEach(() => undefined);

  it("imports the starter set once; a programme's folder replaces and adds; a broken file is one clear line", async () => {
    expect((await runAdmin(["kb", "import"], url)).out).toBe("starter articles: 52 added, 0 updated, 0 unchanged");
    expect((await runAdmin(["kb", "import"], url)).out).toBe("starter articles: 0 added, 0 updated, 52 unchanged");
    const veteran = readFileSync(path.join(STARTER_DIR, "veteran-certificate.md"), "utf8").replace("Удостоверение ветерана боевых действий\n", "Удостоверение ветерана (порядок нашей области)\n");
    writeFileSync(path.join(own, "veteran-certificate.md"), veteran);
    writeFileSync(path.join(own, "tambov-hotline.md"), readFileSync(path.join(STARTER_DIR, "bot-how-it-works.md"), "utf8").replace(/^id: .*$/m, "id: tambov-hotline"));
    writeFileSync(path.join(own, "broken.md"), readFileSync(path.join(STARTER_DIR, "bot-how-it-works.md"), "utf8").replace(/^id: .*$/m, "id: broken").replace(/^category: .*$/m, "category: money"));
    const r = await runAdmin(["kb", "import", "--dir", own], url);
    expect(r.out).toBe(`starter articles: 0 added, 0 updated, 52 unchanged\n${own}: 1 added, 1 updated, 0 unchanged`);
    expect(r.problems).toEqual([expect.stringMatching(/^broken\.md: category: must be one of payments, documents, .* \(got "money"\)$/)]);
    // The starter set imported again (every start) keeps the programme's own version.
    expect((await runAdmin(["kb", "import"], url)).out).toBe("starter articles: 0 added, 0 updated, 51 unchanged, 1 kept as the programme's own version");
    const found = (await runAdmin(["kb", "search", "удостоверение ветерана"], url)).out;
    expect(found.split("\n")[0]).toMatch(/veteran-certificate\s+Удостоверение ветерана \(порядок нашей области\)$/);
  });

  it("kb search --json prints exactly a JSON array, best first; bad arguments get one line and exit 2", () => {
    const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
    const r = run(["kb", "search", "где оформить ВБД", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const hits = JSON.parse(r.stdout) as { id: string; category: string; score: number }[];
    expect(r.stdout.trim()).toBe(JSON.stringify(hits));
    expect(hits[0]).toEqual({ id: "veteran-certificate", category: "documents", score: expect.any(Number) });
    expect(hits.every((h) => Object.keys(h).join() === "id,category,score")).toBe(true);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    const bad = run(["kb", "search", "x", "--lang", "de"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("--lang must be ru, en or lt (got de)");
  }, 30_000);

  it("kb stats lists use per article and the questions without an answer", async () => {
    await runAdmin(["kb", "import"], url);
    const out = (await runAdmin(["kb", "stats"], url)).out;
    expect(out.split("\n")[0]).toBe("questions asked: 0; without a good answer: 0; passed to a coordinator: 0");
    expect(out).toContain("veteran-certificate");
    await expect(runAdmin(["kb", "stats", "--from", "May 1"], url)).rejects.toThrow("--from must be a date YYYY-MM-DD");
  });
});
