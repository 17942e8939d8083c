// Announcements as an administrator and the recipients live them: /broadcast (audience → message →
// count and preview → confirm), the progress message edited in place with Pause / Resume / Cancel,
// delivery through the paced outbox: once per person across a restart, a blocked person skipped
// and marked, people who turned announcements off skipped while case notices still reach them;
// a coordinator cannot broadcast, forged presses change nothing; the shared budget holds the rate
// across two processes and a 429 slows every sender.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harness, Harness, type Call } from "../helpers/harness.js";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { ask, coordinator, family } from "../helpers/people.js";
import { seedRegions } from "../../src/services/regions.js";
import { createAnnouncement, queueAnnouncement } from "../../src/services/delivery/announcements.js";
import { enqueue } from "../../src/services/delivery/outbox.js";
import { budgetFor } from "../../src/services/delivery/budget.js";

const ADMIN = 9000;
const FAMILIES = [8101, 8102, 8103, 8104];

describe("/broadcast", () => {
  let db: TestDb;
  let h: Harness;
  const blocked = new Set<number>();
  const copies = (calls: Call[] = h.calls) => calls.filter((c) => c.method === "copyMessage" && Number(c.payload.chat_id) !== ADMIN);
  const recipients = (calls?: Call[]) => copies(calls).map((c) => Number(c.payload.chat_id)).sort();
  const intercept = (call: Call) => (blocked.has(Number(call.payload.chat_id)) ? { ok: false as const, error_code: 403, description: "Forbidden: bot was blocked by the user" } : undefined);

  beforeEach(async () => {
    blocked.clear();
    db = await sqliteTestDb();
    await seedRegions(db.prisma);
    h = await harness(db, { env: { ADMIN_TELEGRAM_IDS: String(ADMIN) }, intercept });
    for (const id of FAMILIES) await family(h, id);
  });
  afterEach(async () => db.dispose());

  /** The administrator's flow up to the confirmation message; returns its Send button's data. */
  async function draft(admin = h.user(ADMIN), audience = "bc:aud:family", text = "Завтра семинар в 10:00") {
    await h.command(admin, "broadcast");
    await h.press(admin, audience);
    await h.text(admin, text);
    return Harness.buttons(h.last(ADMIN))[0]![1];
  }

  it("audience, message, count and preview, confirm: each family gets it once and the progress reads done", async () => {
    const admin = await h.member(ADMIN);
    await h.member(8200); // consented, not registered: not a family
    await h.command(admin, "broadcast");
    expect(Harness.buttons(h.last(ADMIN)).map(([, d]) => d)).toEqual(["bc:aud:all", "bc:aud:graduate", "bc:aud:family", "bc:aud:service_member"]);
    await h.press(admin, "bc:aud:family");
    expect(h.lastText(ADMIN)).toContain("4 человека");
    const msg = await h.text(admin, "Завтра семинар в 10:00");
    const preview = h.calls.find((c) => c.method === "copyMessage")!;
    expect(preview.payload).toMatchObject({ chat_id: ADMIN, from_chat_id: ADMIN, message_id: msg.message!.message_id });
    expect(h.lastText(ADMIN)).toContain("— 4 человека. Отправить?");
    const [label, send] = Harness.buttons(h.last(ADMIN))[0]!;
    expect(label).toBe("✅ Отправить 4 получателям");
    expect(copies()).toEqual([]); // nothing goes out before the confirmation
    h.clear();
    await h.press(admin, send);
    await h.press(admin, send); // a double press queues nothing more
    const progress = h.calls.find((c) => c.method === "editMessageText")!;
    expect(progress.payload.text).toBe("📣 Отправлено 0 из 4\nИдёт отправка…");
    expect(Harness.buttons(progress).map(([, d]) => d.split(":")[1])).toEqual(["pause", "cancel"]);
    expect(await db.prisma.outbox.count({ where: { announcementId: { not: null } } })).toBe(4);
    h.clear();
    await h.deliver();
    expect(recipients()).toEqual(FAMILIES);
    expect(copies()[0]!.payload).toMatchObject({ from_chat_id: ADMIN, message_id: msg.message!.message_id });
    const done = h.calls.filter((c) => c.method === "editMessageText").at(-1)!;
    expect(done.payload.text).toBe("📣 Отправлено 4 из 4\n✅ Готово");
    expect(Harness.buttons(done)).toEqual([]);
    expect(await db.prisma.auditEvent.count({ where: { action: "announcement.queued" } })).toBe(1);
  });

  it("a restart in the middle sends nobody the message twice and skips nobody", async () => {
    await h.member(ADMIN);
    await h.press(h.user(ADMIN), await draft());
    const all: Call[] = [];
    await h.deliver(2);
    all.push(...h.calls);
    const after = await h.restart();
    after.clear();
    await after.deliver();
    all.push(...after.calls);
    expect(recipients(all)).toEqual(FAMILIES);
  });

  it("a person who blocked the bot does not stop the rest, is marked, and is skipped next time", async () => {
    await h.member(ADMIN);
    blocked.add(8102);
    await h.press(h.user(ADMIN), await draft());
    h.clear();
    await h.deliver();
    expect(recipients()).toEqual(FAMILIES); // tried everyone; 8102 refused
    const delivered = await db.prisma.outbox.findMany({ where: { announcementId: { not: null }, sentAt: { not: null } }, select: { chatId: true } });
    expect(delivered.map((d) => Number(d.chatId)).sort()).toEqual([8101, 8103, 8104]);
    expect((await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 8102n } })).unreachableAt).not.toBeNull();
    expect(String(h.calls.filter((c) => c.method === "editMessageText").at(-1)!.payload.text)).toContain("Не доставлено: 1");
    await h.command(h.user(ADMIN), "broadcast");
    await h.press(h.user(ADMIN), "bc:aud:family");
    expect(h.lastText(ADMIN)).toContain("3 человека");
    // Writing to the bot again makes them reachable.
    blocked.delete(8102);
    await h.command(h.user(8102), "menu");
    expect((await db.prisma.person.findUniqueOrThrow({ where: { telegramId: 8102n } })).unreachableAt).toBeNull();
  });

  it("people who turned announcements off are skipped; their case notices still come", async () => {
    await h.member(ADMIN);
    const coord = await coordinator(h, db, 7001);
    await h.command(coord, "settings");
    expect(h.lastText(7001)).toContain("включены");
    await h.press(coord, "settings:ann:off");
    await h.press(coord, "settings:ann:off"); // a second press leaves it off
    expect(h.calls.filter((c) => c.method === "editMessageText").at(-1)!.payload.text).toContain("выключены");
    await h.press(h.user(8101), "settings:ann:off");
    await h.press(h.user(ADMIN), await draft(h.user(ADMIN), "bc:aud:all"));
    h.clear();
    await h.deliver();
    expect(recipients()).toEqual([8102, 8103, 8104]); // not the coordinator, not 8101
    await ask(h, h.user(8101));
    h.clear();
    await h.deliver();
    expect(h.texts(7001).some((t) => t.startsWith("🆕"))).toBe(true); // the ping reaches the coordinator
  });

  it("pause holds the rest, resume sends it, cancel stops it; double presses change nothing", async () => {
    await h.member(ADMIN);
    const admin = h.user(ADMIN);
    await h.press(admin, await draft());
    const id = (await db.prisma.announcement.findFirstOrThrow()).id;
    await h.press(admin, `ann:pause:${id}`);
    await h.press(admin, `ann:pause:${id}`);
    expect(h.calls.filter((c) => c.method === "editMessageText").at(-1)!.payload.text).toContain("⏸ Пауза");
    h.clear();
    await h.deliver();
    expect(copies()).toEqual([]);
    await h.press(admin, `ann:resume:${id}`);
    await h.deliver(2);
    expect(copies()).toHaveLength(2);
    await h.press(admin, `ann:cancel:${id}`);
    h.clear();
    await h.deliver();
    expect(copies()).toEqual([]);
    expect((await db.prisma.announcement.findUniqueOrThrow({ where: { id } })).status).toBe("cancelled");
    await h.press(admin, `ann:resume:${id}`);
    await h.deliver();
    expect(copies()).toEqual([]);
  });

  it("a coordinator cannot broadcast, and forged presses change nothing", async () => {
    await h.member(ADMIN);
    await h.press(h.user(ADMIN), "bc:aud:family"); // the admin chose an audience, then stopped
    await h.command(h.user(ADMIN), "cancel");
    const coord = await coordinator(h, db, 7001, { supervisor: true });
    await h.command(coord, "broadcast");
    expect(h.lastText(7001)).toBe("Рассылки доступны только администраторам программы.");
    await h.press(coord, "bc:aud:all");
    await h.text(coord, "Всем привет");
    const id = await createAnnouncement(db.prisma, () => new Date(), { createdBy: null, audience: {}, text: "x" });
    h.clear();
    for (const data of [`ann:send:${id}`, `ann:pause:${id}`, `ann:cancel:${id}`, "ann:send:99999999999"]) await h.press(coord, data);
    expect(h.calls.filter((c) => c.method !== "answerCallbackQuery")).toEqual([]);
    expect((await db.prisma.announcement.findUniqueOrThrow({ where: { id } })).status).toBe("draft");
    expect(await db.prisma.announcement.count()).toBe(1);
    await h.deliver();
    expect(copies()).toEqual([]);
  });

  it("wrong kinds of message and bad audiences get a clear answer", async () => {
    const admin = await h.member(ADMIN, "en");
    await h.command(admin, "broadcast", "role=pirate");
    expect(h.lastText(ADMIN)).toBe('Could not choose the recipients: unknown role &quot;pirate&quot; (one of graduate, family, service_member)');
    await h.command(admin, "broadcast", "region=RU-TAM,role=family");
    expect(h.lastText(ADMIN)).toContain("Recipients: family member of a service member, RU-TAM — 4 people.");
    await h.send(h.message(admin, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }));
    expect(h.lastText(ADMIN)).toContain("text, a photo or a document");
    await h.send(h.message(admin, { photo: [{ file_id: "ph", file_unique_id: "ph", width: 1, height: 1 }], caption: "Лагерь" }));
    expect(h.lastText(ADMIN)).toContain("4 people. Send it?");
  });
});

describe("pacing shared by every sender", () => {
  let db: TestDb;
  afterEach(async () => db.dispose());

  async function queued(h: Harness, people: number) {
    for (let i = 0; i < people; i++) {
      const p = await db.prisma.person.create({ data: { telegramId: BigInt(60_000 + i), locale: "ru", consents: { create: { version: "1", givenAt: new Date() } } } });
      void p;
    }
    const id = await createAnnouncement(db.prisma, () => new Date(), { createdBy: null, audience: {}, text: "Объявление" });
    expect(await queueAnnouncement(db.prisma, () => new Date(), id)).toBe(people);
    return h;
  }

  it("two processes together keep the configured rate", async () => {
    db = await sqliteTestDb();
    const env = { OUTBOX_RATE_PER_SECOND: "20", OUTBOX_CHAT_GAP_MS: "1000" };
    const a = await harness(db, { env });
    const b = await harness(db, { env });
    await queued(a, 40);
    const started = Date.now();
    await Promise.all([a.deliver(100), b.deliver(100)]);
    const took = Date.now() - started;
    const sent = [...a.calls, ...b.calls].filter((c) => c.method === "sendMessage");
    expect(new Set(sent.map((c) => c.payload.chat_id)).size).toBe(40);
    expect(sent).toHaveLength(40);
    expect(took).toBeGreaterThanOrEqual(1900); // 40 at 20/s: two seconds, however many senders
  });

  it("one chat gets one message per gap", async () => {
    db = await sqliteTestDb();
    const h = await harness(db, { env: { OUTBOX_CHAT_GAP_MS: "1000" } });
    const now = new Date();
    for (let i = 0; i < 3; i++) await enqueue(db.prisma, now, `t${i}`, 4242, { kind: "unassigned", caseId: 1 });
    await h.deliver();
    expect(await db.prisma.outbox.count({ where: { sentAt: { not: null } } })).toBe(1);
  });

  it("a 429 pauses every sender for retry_after and nothing is lost", async () => {
    db = await sqliteTestDb();
    let refuse = 1;
    const a = await harness(db, { env: { OUTBOX_RATE_PER_SECOND: "100" }, intercept: (c) => (c.method === "sendMessage" && refuse-- > 0 ? { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } : undefined) });
    const b = await harness(db, { env: { OUTBOX_RATE_PER_SECOND: "100" } });
    await queued(a, 5);
    await a.deliver();
    // One SQLite file is one process: the budget is kept in its memory (PostgreSQL: test/bot/pacing.test.ts).
    expect(await budgetFor(db.prisma, 100).pausedUntil()).toBeGreaterThan(Date.now() + 500);
    const started = Date.now();
    await b.deliver(); // the other process waits out the pause too
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    await a.deliver();
    await b.deliver();
    const sent = [...a.calls, ...b.calls].filter((c) => c.method === "sendMessage");
    expect(new Set(sent.map((c) => c.payload.chat_id)).size).toBe(5);
    expect(sent).toHaveLength(6); // five, and the one refused
  });
});
