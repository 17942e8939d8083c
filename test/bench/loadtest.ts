// Load test (npm run loadtest; never part of npm test): three real bot processes (the compiled
// dist/main.js, webhook mode, each on its own loopback port) on one PostgreSQL schema, a fake Bot
// API on loopback that records every send with its time, and a round-robin feeder standing in for
// Telegram behind one webhook URL: people register, ask for help, write more to their coordinator,
// coordinators press Take; some updates arrive twice (at another process) and some pairs arrive
// reversed at two processes at once; one process is killed with SIGKILL half-way (its calls fail
// over to the others, as Telegram's retries would). Then the invariants are checked and the
// figures printed (LOADTEST_DUMP=file.json writes every send and edit with its time). Loopback only; bounded (LOADTEST_CHATS people, default 1000; LOADTEST_TIMEOUT_S, default 300, to finish after feeding).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { mkdirSync, createWriteStream, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Update } from "grammy/types";
import { migrate } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/client.js";
import { seedRegions } from "../../src/services/regions.js";
import { addCoordinator } from "../../src/services/cases/coordinators.js";
import { PRIVATE_BURST } from "../../src/services/delivery/chat-gap.js";

const PG = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const CHATS = Number(process.env.LOADTEST_CHATS ?? 1000);
const PROCESSES = 3;
const COORDINATORS = 5;
const TIMEOUT_S = Number(process.env.LOADTEST_TIMEOUT_S ?? 300);
const IN_FLIGHT = Number(process.env.LOADTEST_CONCURRENCY ?? 40);
const TOKEN = "123456789:AAloadtest-token-xxxxxxxxxxxxxxxxxxxxx";
const SECRET = "loadtest-secret-0123456789";
const root = path.resolve(import.meta.dirname, "..", "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const procs: ChildProcess[] = [];

// ---- the fake Bot API: answers like Telegram, records sends with their time ----
interface Sent { method: string; chat: number; text: string; t: number }
const sent: Sent[] = [];
/** Edits count against Telegram's limits too (the bot paces them with its sends). */
const edited: Sent[] = [];
let messageId = 1;
function fakeBotApi(): Server {
  return createServer((req, res) => {
    const t = Date.now(); // when the request came in: the body's end may wait for this busy process
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const method = (req.url ?? "").split("/").pop()!;
      let p: Record<string, unknown> = {};
      try {
        p = body ? JSON.parse(body) : {};
      } catch { /* multipart (files): not used here */ }
      const chat = Number(p.chat_id ?? 0);
      let result: unknown = true;
      if (method === "getMe") result = { id: 123456789, is_bot: true, first_name: "Load", username: "load_test_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
      else if (method.startsWith("send") || method === "copyMessage") {
        sent.push({ method, chat, text: String(p.text ?? p.caption ?? ""), t });
        result = { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: "private" }, text: String(p.text ?? "") };
      } else if (method === "editMessageText") {
        edited.push({ method, chat, text: "", t });
        result = { message_id: Number(p.message_id ?? 1), date: 0, chat: { id: chat, type: "private" }, text: String(p.text ?? "") };
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result }));
    });
  });
}

// ---- the updates people send ----
let updateId = 10_000;
let msgId = 1;
const sentAt = new Map<number, number>();
const chatOf = new Map<number, number>();
const user = (id: number) => ({ id, is_bot: false, first_name: `P${id}`, language_code: "ru" });
const text = (id: number, t: string): Update => {
  const u: Update = { update_id: ++updateId, message: { message_id: ++msgId, date: Math.floor(Date.now() / 1000), chat: { id, type: "private", first_name: `P${id}` }, from: user(id), text: t, ...(t.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0]!.length }] } : {}) } as never };
  chatOf.set(u.update_id, id);
  return u;
};
const press = (id: number, data: string): Update => {
  const u: Update = { update_id: ++updateId, callback_query: { id: String(++msgId), from: user(id), chat_instance: "ci", data, message: { message_id: msgId, date: 0, chat: { id, type: "private", first_name: `P${id}` }, text: "…" } as never } };
  chatOf.set(u.update_id, id);
  return u;
};
const firstContact = (id: number) => [() => text(id, "/start"), () => press(id, "lang:ru"), () => press(id, "consent:yes")];
const registration = (id: number) => [
  () => press(id, "menu:profile"), () => press(id, "reg:role:family"), () => text(id, "Иванова Мария"), () => press(id, "form:relation:mother"),
  () => press(id, "form:skip"), () => text(id, "тамб"), () => press(id, "form:region:RU-TAM"), () => text(id, "+79001234567"), () => press(id, "form:skip"), () => press(id, "form:confirm"),
];
const request = (id: number) => [
  () => press(id, "menu:ask"), () => press(id, "form:cat:payments"), () => text(id, `Не пришла выплата, обращение ${id}`), () => press(id, "form:done"),
  () => press(id, "form:urgency:normal"), () => press(id, "form:confirm"),
];
const relays = (id: number) => [() => text(id, `дополнение 1 от ${id}`), () => text(id, `дополнение 2 от ${id}`)];

// ---- the feeder: round robin over the live processes, failing over like Telegram's retries ----
const ports: number[] = [];
const dead = new Set<number>();
let rr = 0;
let deliveries = 0;
const latencies: number[] = [];
async function post(update: Update, avoid?: number): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const live = ports.filter((p) => !dead.has(p) && p !== avoid);
    const port = live[rr++ % live.length]!;
    try {
      deliveries++;
      const res = await fetch(`http://127.0.0.1:${port}/tg`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(update) });
      await res.arrayBuffer();
      if (res.ok) return port;
    } catch {
      await sleep(50); // connection refused: that process is gone; Telegram would retry
    }
  }
  throw new Error(`update ${update.update_id} could not be delivered`);
}
async function deliver(make: () => Update, rnd: () => number): Promise<void> {
  const u = make();
  sentAt.set(u.update_id, Date.now());
  const port = await post(u);
  if (rnd() < 0.05) await post(structuredClone(u), port); // a duplicate at another process
}
/** Two of a chat's updates at once, the later one first, at different processes. */
/** Pairs delivered at the same moment: Telegram would have no order for them either. */
const together = new Set<string>();
async function reversedPair(a: () => Update, b: () => Update): Promise<void> {
  const ua = a();
  const ub = b();
  together.add(`${ua.update_id}:${ub.update_id}`);
  sentAt.set(ua.update_id, Date.now());
  sentAt.set(ub.update_id, Date.now());
  const first = post(ub);
  await sleep(2);
  await Promise.all([first, post(ua)]);
}

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

async function main(): Promise<void> {
  const schema = `load_${randomBytes(4).toString("hex")}`;
  const u = new URL(PG);
  u.searchParams.set("schema", schema);
  const url = u.toString();
  await migrate(url);
  const db = await openDatabase(url);
  await seedRegions(db.prisma);
  const coordIds = Array.from({ length: COORDINATORS }, (_, i) => 900_000 + i);
  for (const id of coordIds) await addCoordinator(db.prisma, { telegramId: id, regions: ["RU-TAM"], categories: ["payments"], maxOpen: 10_000 });

  // The fake Bot API notes the time each call comes in; when this process is busy (it also feeds
  // the updates), calls wait and are noted together: its event-loop delay says by how much.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const api = fakeBotApi();
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  const apiPort = (api.address() as AddressInfo).port;
  const logDir = path.join(root, "data", "loadtest");
  mkdirSync(logDir, { recursive: true });
  for (let i = 0; i < PROCESSES; i++) {
    const port = 18_480 + i;
    ports.push(port);
    const child = spawn(process.execPath, [path.join(root, "dist", "main.js")], {
      cwd: root,
      env: {
        ...process.env, BOT_TOKEN: TOKEN, DATABASE_URL: url, BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example.org/tg", WEBHOOK_SECRET: SECRET,
        PORT: String(port), HOST: "127.0.0.1", BOT_API_ROOT: `http://127.0.0.1:${apiPort}`, INSTANCE_NAME: `bot-${i + 1}`, LOG_LEVEL: "warn",
        OUTBOX_INTERVAL_MS: "200", ESCALATION_INTERVAL_MS: "5000", CASE_ACK_SECONDS: "86400", CASE_ACK_URGENT_SECONDS: "86400",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log = createWriteStream(path.join(logDir, `bot-${i + 1}.log`));
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    procs.push(child);
  }
  for (const port of ports) {
    for (let i = 0; ; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status < 600, () => false);
      if (ok) break;
      if (i > 600) throw new Error(`process on ${port} did not start`);
      await sleep(100);
    }
  }
  console.log(`${PROCESSES} processes up on schema ${schema}; feeding ${CHATS} people and ${COORDINATORS} coordinators`);

  // Coordinators come first (they must consent before pings reach them).
  for (const id of coordIds) for (const step of firstContact(id)) await deliver(step, () => 1);

  // Three in ten people register, ask and write more; the rest register (some only start).
  const people = Array.from({ length: CHATS }, (_, i) => 1_000_000 + i);
  const askers = new Set(people.filter((_, i) => i % 10 < 3));
  const started = Date.now();
  const startCount = updateId;
  let killAt = 0;
  const killed: { name?: string; inHand: bigint[] } = { inHand: [] };
  const plan = (id: number) => (askers.has(id) ? [...firstContact(id), ...registration(id), ...request(id)] : id % 2 ? [...firstContact(id), ...registration(id)] : firstContact(id));
  const expected = people.reduce((n, id) => n + plan(id).length + (askers.has(id) ? 2 : 0), 0);
  const queue = [...people];
  const takes = new Set<number>();
  const worker = async (seed: number) => {
    const rnd = rng(seed);
    while (queue.length) {
      const id = queue.shift()!;
      for (const step of plan(id)) await deliver(step, rnd);
      if (askers.has(id)) {
        const [a, b] = relays(id);
        if (rnd() < 0.2) await reversedPair(a!, b!); // out of order, at two processes at once
        else for (const s of [a!, b!]) await deliver(s, rnd);
      }
      if (!killAt && updateId - startCount > expected / 2) {
        killAt = Date.now();
        const victim = procs[1]!;
        dead.add(ports[1]!);
        victim.kill("SIGKILL");
        killed.name = "bot-2";
        await sleep(50);
        const rows = await db.prisma.inboxUpdate.findMany({ where: { claimedBy: "bot-2", handledAt: null }, select: { updateId: true } });
        killed.inHand = rows.map((r) => r.updateId);
        console.log(`killed bot-2 with SIGKILL after ${updateId - startCount} updates; it held ${rows.length} in hand`);
      }
    }
  };
  // Coordinators press Take on the cases pinged to them, as they appear.
  let settled = false;
  const coordinatorLoop = (async () => {
    while (!settled) {
      const cases = await db.prisma.case.findMany({ where: { status: "assigned" }, select: { id: true, coordinator: { select: { telegramId: true } } } });
      for (const c of cases) {
        if (takes.has(c.id) || !c.coordinator) continue;
        takes.add(c.id);
        await deliver(() => press(Number(c.coordinator!.telegramId), `case:take:${c.id}`), rng(c.id));
      }
      await sleep(500);
    }
  })();
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => worker(i + 1)));
  const fedAt = Date.now();
  console.log(`fed ${updateId - startCount} updates (${deliveries} deliveries with duplicates) in ${((fedAt - started) / 1000).toFixed(1)} s; waiting for the rest to finish`);

  // Wait: every update handled (the killed process's claims run out, the recovery job takes them), outbox empty.
  const ids = [...sentAt.keys()].map(BigInt);
  for (;;) {
    const unhandled = await db.prisma.inboxUpdate.count({ where: { updateId: { in: ids }, handledAt: null } });
    const missing = ids.length - (await db.prisma.inboxUpdate.count({ where: { updateId: { in: ids } } }));
    const backlog = await db.prisma.outbox.count({ where: { sentAt: null, nextAttemptAt: { lt: new Date("9000-01-01") } } });
    if (unhandled === 0 && missing === 0 && backlog === 0 && !(await db.prisma.case.count({ where: { status: "assigned", id: { notIn: [...takes] } } }))) break;
    if (Date.now() - fedAt > TIMEOUT_S * 1000) {
      console.log(`timeout: ${unhandled} unhandled, ${missing} never recorded, outbox backlog ${backlog}`);
      break;
    }
    await sleep(1000);
  }
  settled = true;
  await coordinatorLoop;
  await sleep(1500); // last sends
  const finished = Date.now();

  // ---- invariants ----
  const rows = await db.prisma.inboxUpdate.findMany({ where: { updateId: { in: ids } }, select: { updateId: true, chatId: true, attempts: true, claimedAt: true, handledAt: true, receivedAt: true, claimedBy: true } });
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? "PASS" : "FAIL"}  ${what}`);
    if (!ok) failures.push(what);
  };
  const lost = ids.length - rows.filter((r) => r.handledAt).length;
  check(lost === 0, `no update lost: ${ids.length} sent, ${rows.filter((r) => r.handledAt).length} handled`);
  const inHand = new Set(killed.inHand.map(String));
  const twice = rows.filter((r) => r.attempts > 1 && !inHand.has(String(r.updateId)));
  check(twice.length === 0, `none handled twice: ${twice.length} claimed more than once (besides ${inHand.size} the killed process held, handled again by design)`);
  let disorder = 0;
  let overlap = 0;
  const byChat = new Map<string, typeof rows>();
  for (const r of rows) if (r.chatId !== null) byChat.set(String(r.chatId), [...(byChat.get(String(r.chatId)) ?? []), r]);
  for (const list of byChat.values()) {
    const done = list.filter((r) => r.claimedAt && r.handledAt && !inHand.has(String(r.updateId)));
    done.sort((a, b) => a.claimedAt!.getTime() - b.claimedAt!.getTime());
    for (let i = 1; i < done.length; i++) if (done[i]!.claimedAt! < done[i - 1]!.handledAt!) overlap++;
    for (const v of done) for (const w of done) {
      // w older than v, on record before v was claimed: it must have been finished before v began.
      if (w.updateId < v.updateId && w.receivedAt <= v.claimedAt! && w.handledAt! > v.claimedAt! && !together.has(`${w.updateId}:${v.updateId}`)) disorder++;
    }
  }
  check(overlap === 0, `never two updates of one chat at once: ${overlap} overlaps across ${byChat.size} chats`);
  check(disorder === 0, `every chat's updates handled in order: ${disorder} out of order`);
  const cases = await db.prisma.case.findMany({ select: { id: true, number: true } });
  const pings = await db.prisma.outbox.findMany({ where: { method: "ping", sentAt: { not: null } }, select: { caseId: true } });
  const pinged = new Set(pings.map((p) => p.caseId));
  const unpinged = cases.filter((c) => !pinged.has(c.id));
  check(unpinged.length === 0, `no case without its ping: ${cases.length} cases (of ${askers.size} asked), ${unpinged.length} without`);
  const counts = new Map<string, number>();
  for (const s of sent) if (s.text.startsWith("🆕") || s.text.includes("дополнение")) counts.set(`${s.chat}|${s.text}`, (counts.get(`${s.chat}|${s.text}`) ?? 0) + 1);
  const doubled = [...counts.values()].filter((n) => n > 1).length;
  check(doubled === 0, `no notice sent twice: ${counts.size} pings and relays, ${doubled} sent more than once`);
  const rate = (list: Sent[]) => {
    const t = list.map((s) => s.t).sort((a, b) => a - b);
    let max = 0;
    for (let i = 0, j = 0; i < t.length; i++) {
      while (t[i]! - t[j]! >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  };
  const sends = sent.filter((s) => s.method.startsWith("send") || s.method === "copyMessage");
  const notices = sends.filter((s) => s.text.startsWith("🆕") || s.text.includes("дополнение") || coordIds.includes(s.chat));
  const maxAll = rate(sends);
  if (process.env.LOADTEST_DUMP) writeFileSync(process.env.LOADTEST_DUMP, JSON.stringify({ sent, edited }));
  const perChat = new Map<number, Sent[]>();
  for (const s of sends) perChat.set(s.chat, [...(perChat.get(s.chat) ?? []), s]);
  const maxChat = Math.max(0, ...[...perChat.values()].map(rate));
  check(
    maxAll <= 30,
    `combined send rate ≤ 30/s: at most ${maxAll} sends in one second (all ${sends.length} sends; outbox notices alone at most ${rate(notices)}/s; ` +
      `with the ${edited.length} edits at most ${rate([...sends, ...edited])} paced calls in one second; budget OUTBOX_RATE_PER_SECOND=${process.env.OUTBOX_RATE_PER_SECOND ?? 25}; ` +
      `one chat got at most ${maxChat} in one second, a private chat's burst being ${PRIVATE_BURST}; ` +
      `the recorder's event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms)`,
  );

  // ---- figures ----
  const lat = rows.filter((r) => r.handledAt && sentAt.has(Number(r.updateId))).map((r) => r.handledAt!.getTime() - sentAt.get(Number(r.updateId))!).sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))] ?? 0;
  const lastHandled = Math.max(...rows.map((r) => r.handledAt?.getTime() ?? 0));
  const byProcess = new Map<string, number>();
  for (const r of rows) byProcess.set(r.claimedBy ?? "-", (byProcess.get(r.claimedBy ?? "-") ?? 0) + 1);
  console.log(
    `\n${ids.length} updates from ${CHATS + COORDINATORS} chats, ${PROCESSES} processes (one killed at ${((killAt - started) / 1000).toFixed(0)} s): ` +
      `${(ids.length / ((fedAt - started) / 1000)).toFixed(1)} updates/s while feeding, all handled ${((lastHandled - started) / 1000).toFixed(1)} s after the start; ` +
      `latency from delivery to handled p50 ${pct(50)} ms, p99 ${pct(99)} ms (the killed process's chats wait for its 60 s claim to run out: max ${lat.at(-1)} ms). ` +
      `Handled by ${[...byProcess].map(([k, v]) => `${k} ${v}`).join(", ")}. ${sends.length} messages sent. Total ${((finished - started) / 1000).toFixed(0)} s.`,
  );

  for (const p of procs) if (p.exitCode === null && !p.killed) p.kill("SIGTERM");
  await sleep(1500);
  await db.close();
  api.close();
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  console.log(failures.length ? `\n${failures.length} invariant(s) failed` : "\nall invariants hold");
  process.exit(failures.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
  process.exit(2);
});
