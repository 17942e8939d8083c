// `npm run bench`: the knowledge-base search at the scale of a large programme — 2,000 articles (the 52
// starter ones plus generated variations with other ids and words) and 10,000 questions (the labelled set,
// the articles' own example questions, and variations of both with typos and dropped words). Prints build
// time, index memory and per-question latency. Figures are printed, never asserted.
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { PerformanceObserver } from "node:perf_hooks";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadArticles, STARTER_DIR, type Article } from "../../src/services/knowledge/articles.js";
import { judge, KnowledgeIndex } from "../../src/services/knowledge/search.js";
import { LOCALES, type Locale } from "../../src/i18n.js";

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 2000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 10_000);
const here = path.dirname(fileURLToPath(import.meta.url));

// A fixed seed, so two runs compare the same work.
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const SWAP = Number(process.env.BENCH_SWAP ?? 0.35);
const NOVEL = Number(process.env.BENCH_NOVEL ?? 0);

/** Swaps some words for words of other articles in the same language, some of them made new (a suffix added). */
function vary(text: string, vocabulary: string[]): string {
  return text.replace(/\p{L}{4,}/gu, (w) => {
    if (random() >= SWAP) return w;
    const other = pick(vocabulary);
    return random() < NOVEL ? other + pick(vocabulary).slice(0, 3) : other;
  });
}

function variations(base: Article[], count: number): Article[] {
  const vocabulary = Object.fromEntries(LOCALES.map((l) => [l, base.flatMap((a) => (a.body[l] ?? "").match(/\p{L}{4,}/gu) ?? [])])) as Record<Locale, string[]>;
  const out = [...base];
  for (let i = out.length; i < count; i++) {
    const a = base[i % base.length]!;
    const each = <T>(o: Partial<Record<Locale, T>>, f: (v: T, l: Locale) => T) => Object.fromEntries(Object.entries(o).map(([l, v]) => [l, f(v as T, l as Locale)]));
    out.push({
      ...a,
      id: `${a.id}-v${i}`,
      title: each(a.title, (t: string, l) => vary(t, vocabulary[l])) as Article["title"],
      body: each(a.body, (t: string, l) => vary(t, vocabulary[l])) as Article["body"],
      questions: each(a.questions, (qs: string[], l) => qs.map((q) => vary(q, vocabulary[l]))),
      synonyms: each(a.synonyms, (qs: string[], l) => qs.map((q) => vary(q, vocabulary[l]))),
    });
  }
  return out;
}

/** One typo (swap, drop, double) in a word of five letters or more, and sometimes a dropped word. */
function typo(q: string): string {
  const all = q.split(" ");
  return all
    .filter(() => all.length < 4 || random() > 0.1)
    .map((w) => {
      if (w.length < 5 || random() > 0.3) return w;
      const i = 1 + Math.floor(random() * (w.length - 2));
      return [w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2), w.slice(0, i) + w.slice(i + 1), w.slice(0, i) + w[i] + w.slice(i)][Math.floor(random() * 3)]!;
    })
    .join(" ");
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const { articles: starter } = await loadArticles(STARTER_DIR);
const labelled = JSON.parse(readFileSync(path.join(here, "..", "fixtures", "knowledge-questions.json"), "utf8")) as { q: string; lang: Locale }[];
const asked = [...labelled, ...starter.flatMap((a) => LOCALES.flatMap((lang) => (a.questions[lang] ?? []).map((q) => ({ q, lang }))))];
const queries = Array.from({ length: QUERIES }, (_, i) => {
  const { q, lang } = asked[i % asked.length]!;
  return { q: i < asked.length ? q : typo(q), lang };
});
const articles = variations(starter, ARTICLES);

const gcNote = (globalThis as { gc?: unknown }).gc ? "after GC" : "no --expose-gc: approximate";
const before = heapMb();
const started = performance.now();
const index = new KnowledgeIndex(articles);
const buildMs = performance.now() - started;
const after = heapMb();

const WARM_UP = 1000;
for (const { q, lang } of queries.slice(0, WARM_UP)) index.search(q, { lang, role: "family", region: "RU-TAM" }); // warm up the JIT
// BENCH_PROFILE=file.cpuprofile: a CPU profile of the timed questions only (not the build).
const profiler = process.env.BENCH_PROFILE ? new Session() : null;
const post = (method: string, params?: object) => new Promise<unknown>((ok, fail) => profiler!.post(method, params ?? {}, (err, res) => (err ? fail(err) : ok(res))));
if (profiler) {
  profiler.connect();
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 100 });
  await post("Profiler.start");
}
// Wall time (what a person waits, including other processes on the machine) and this process's CPU
// time (its own work, GC included: the figure that does not move with the machine's load).
const times: number[] = [];
const cpu: number[] = [];
const verdicts = { answer: 0, unsure: 0, none: 0 };
const dump: string[] = [];
let gcMs = 0;
let gcs = 0;
let gcLongest = 0;
const gcWatch = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) (gcMs += e.duration), gcs++, (gcLongest = Math.max(gcLongest, e.duration));
});
gcWatch.observe({ entryTypes: ["gc"] });
for (const { q, lang } of queries) {
  const c = process.cpuUsage();
  const t = performance.now();
  const hits = index.search(q, { lang, role: "family", region: "RU-TAM" });
  times.push(performance.now() - t);
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1000);
  verdicts[judge(hits).verdict]++;
  // BENCH_DUMP=file: every question's hits, to check that a change to the search keeps its results.
  if (process.env.BENCH_DUMP) dump.push(`${q}\t${hits.map((h) => `${h.id}:${h.score}`).join(" ")}`);
}
await new Promise((r) => setTimeout(r, 10)); // the last GC entries arrive asynchronously
gcWatch.disconnect();
if (profiler) writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(((await post("Profiler.stop")) as { profile: object }).profile));
if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, dump.join("\n") + "\n");
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!.toFixed(3);
const spread = (xs: number[]) => `p50 ${pct(xs, 0.5)} ms, p95 ${pct(xs, 0.95)} ms, p99 ${pct(xs, 0.99)} ms, max ${xs.at(-1)!.toFixed(3)} ms`;
const wall = sorted(times);
const total = times.reduce((s, x) => s + x, 0);

console.log(`knowledge search: ${articles.length} articles, ${queries.length} questions timed after ${WARM_UP} warm-up ones (node ${process.version})`);
console.log(`  build: ${buildMs.toFixed(0)} ms`);
console.log(`  index memory: ${(after - before).toFixed(1)} MB heap (${before.toFixed(1)} → ${after.toFixed(1)} MB, ${gcNote})`);
console.log(`  latency per question (wall): ${spread(wall)}; ${(queries.length / (total / 1000)).toFixed(0)} questions/s; target p99 < 2 ms: ${Number(pct(wall, 0.99)) < 2 ? "met" : "NOT met"}`);
console.log(`  CPU time per question:       ${spread(sorted(cpu))} (this process only; ~1 ms resolution on some systems)`);
console.log(`  GC while timing: ${gcs} pauses, ${gcMs.toFixed(0)} ms in all (${((100 * gcMs) / total).toFixed(1)}% of the time), longest ${gcLongest.toFixed(1)} ms`);
console.log(`  verdicts: ${JSON.stringify(verdicts)}`);
