// /stats as staff see it: a chart picture and a summary with buttons; buttons switch the period and
// the breakdown (both messages edited in place); a supervisor sees only their regions and cannot
// export; a coordinator and a member get a refusal; forged presses change nothing; the summary
// fits one message even with every region and category.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harness, Harness } from "../helpers/harness.js";
import { sqliteTestDb, type TestDb } from "../helpers/db.js";
import { coordinator } from "../helpers/people.js";
import { participant } from "../helpers/events.js";
import { seedRegions } from "../../src/services/regions.js";
import { CATEGORIES } from "../../src/services/vocabulary.js";
import { CAPTION_LIMIT, TEXT_LIMIT, visibleLength } from "../../src/services/text.js";

const ADMIN = 9000;
const NOW = new Date("2026-11-15T09:00:00Z");

let n = 1;
async function kase(db: TestDb, region: string, category = "payments", created = new Date("2026-10-12T09:00:00Z")) {
  const requesterId = await participant(db.prisma, { regionCode: region });
  await db.prisma.case.create({ data: { number: `S-${n++}`, requesterId, category, regionCode: region, urgency: "normal", status: "in_progress", createdAt: created, lastActivityAt: created, firstResponseAt: new Date(created.getTime() + 600_000) } });
}

describe("/stats", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    await seedRegions(db.prisma);
    h = await harness(db, { env: { ADMIN_TELEGRAM_IDS: String(ADMIN) }, clock: () => NOW });
    await kase(db, "RU-TAM");
    await kase(db, "RU-TAM", "legal");
    await kase(db, "RU-LIP");
  });
  afterEach(async () => db.dispose());

  const photo = (chat: number) => h.calls.filter((c) => c.method === "sendPhoto" && Number(c.payload.chat_id) === chat);

  it("an administrator gets the chart and the summary of last month, in their language", async () => {
    const admin = await h.member(ADMIN, "en");
    await h.command(admin, "stats");
    const pics = photo(ADMIN);
    expect(pics).toHaveLength(1);
    expect(String(pics[0]!.payload.multipart)).toContain("PNG");
    expect(visibleLength(String(pics[0]!.payload.caption))).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(String(pics[0]!.payload.caption)).toContain("2026-10-01 — 2026-10-31");
    const summary = h.lastText(ADMIN);
    expect(summary).toContain("Figures for 2026-10-01 — 2026-10-31");
    expect(summary).toContain("Requests: opened 3");
    expect(summary).toContain("• Tambov Oblast: 2");
    expect(summary).toContain("• Lipetsk Oblast: 1");
    const buttons = Harness.buttons(h.last(ADMIN));
    expect(buttons.map(([t]) => t)).toEqual(["• Last month", "This month", "3 months", "Year to date", "• By region", "By kind of help", "⬇️ Requests", "⬇️ Participants", "⬇️ Coordinators"]);
  });

  it("buttons switch the breakdown and the period, editing both messages in place", async () => {
    const admin = await h.member(ADMIN);
    await h.command(admin, "stats");
    const photoId = h.lastMessageIdOf(photo(ADMIN)[0]!);
    const byCategory = Harness.buttons(h.last(ADMIN)).find(([t]) => t === "По видам помощи")![1];
    expect(byCategory).toBe(`stats:last_month:category:${photoId}`);
    h.clear();
    await h.press(admin, byCategory);
    const edit = h.calls.find((c) => c.method === "editMessageText")!;
    expect(String(edit.payload.text)).toContain("По видам помощи");
    expect(String(edit.payload.text)).toContain("• Юридическая помощь: 1");
    const media = h.calls.find((c) => c.method === "editMessageMedia")!;
    expect(Number(media.payload.message_id)).toBe(photoId);
    expect(h.calls.filter((c) => c.method === "sendMessage" || c.method === "sendPhoto")).toEqual([]);
    h.clear();
    await h.press(admin, `stats:this_month:category:${photoId}`);
    expect(String(h.calls.find((c) => c.method === "editMessageText")!.payload.text)).toContain("Обращения: открыто 0");
  });

  it("an administrator exports a file; a supervisor's forged export press gets nothing", async () => {
    const admin = await h.member(ADMIN);
    await h.command(admin, "stats");
    await h.press(admin, "stats:x:cases:last_month");
    const doc = h.calls.find((c) => c.method === "sendDocument")!;
    expect(String(doc.payload.caption)).toContain("3 строки");
    expect(await db.prisma.auditEvent.count({ where: { action: "report.exported" } })).toBe(1);
    const sup = await coordinator(h, db, 7001, { supervisor: true, regions: ["RU-TAM"] });
    h.clear();
    await h.press(sup, "stats:x:cases:last_month");
    expect(h.calls.filter((c) => c.method === "sendDocument")).toEqual([]);
    expect(String(h.answers()[0]!.payload.text)).toContain("супервизорам");
    expect(await db.prisma.auditEvent.count({ where: { action: { startsWith: "report." } } })).toBe(1);
  });

  it("a supervisor sees only their regions and no export buttons", async () => {
    const sup = await coordinator(h, db, 7001, { supervisor: true, regions: ["RU-TAM"] });
    await h.command(sup, "stats");
    const text = h.lastText(7001);
    expect(text).toContain("Регионы: RU-TAM");
    expect(text).toContain("открыто 2");
    expect(text).toContain("• Тамбовская область: 2");
    expect(text).not.toContain("Липецк");
    expect(Harness.buttons(h.last(7001)).some(([, d]) => d.startsWith("stats:x:"))).toBe(false);
  });

  it("a coordinator, a member and forged presses get a refusal and no figures", async () => {
    const coord = await coordinator(h, db, 7002, { regions: ["RU-LIP"] });
    await h.command(coord, "stats");
    expect(h.lastText(7002)).toContain("супервизорам");
    const member = await h.member(8001);
    await h.command(member, "stats");
    h.clear();
    await h.press(member, "stats:year:region:5");
    await h.press(member, "stats:year:region:99999999999999999999");
    expect(h.calls.filter((c) => c.method !== "answerCallbackQuery")).toEqual([]);
    expect(photo(8001)).toEqual([]);
  });

  it("the summary fits one message with every region and kind of help", async () => {
    const regions = (await db.prisma.region.findMany({ select: { code: true } })).map((r) => r.code);
    for (const [i, r] of regions.entries()) await kase(db, r, CATEGORIES[i % CATEGORIES.length]);
    const admin = await h.member(ADMIN, "lt");
    await h.command(admin, "stats");
    const text = h.lastText(ADMIN);
    expect(visibleLength(text)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(h.calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === ADMIN)).toHaveLength(1);
    await h.press(admin, Harness.buttons(h.last(ADMIN)).find(([, d]) => d.includes(":category:"))![1]);
  });
});
