// Who may act on a case, as coordinators and supervisors would notice it: forged buttons of
// another region do nothing, lists offer only what may be chosen, notices reach only those in
// scope, and ids no row can have are answered as old buttons.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENGINES, sqliteTestDb, type TestDb } from "../helpers/db.js";
import { Harness, harness } from "../helpers/harness.js";
import { ask, coordinator, family, takenCase } from "../helpers/people.js";

const deliver = (h: Harness) => h.deliver();
import { createCase } from "../../src/services/cases/intake.js";
import { takeCase } from "../../src/services/cases/lifecycle.js";
import { updateCoordinator } from "../../src/services/cases/coordinators.js";
import { caseSettings } from "../../src/bot/features/cases/settings.js";

const NOT_ALLOWED = "Это действие вам недоступно.";
const NOT_FOR_YOU = "Это обращение предназначено не вам.";
const STALE = "Эта кнопка больше не действует. Отправьте /menu, чтобы открыть меню.";
const APOLOGY = "Извините, что-то пошло не так";

const idOf = async (db: TestDb, telegramId: number) => (await db.prisma.coordinator.findUniqueOrThrow({ where: { telegramId: BigInt(telegramId) } })).id;

describe("cases: a supervisor acts only within their regions", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    h = await harness(db, { env: { ADMIN_TELEGRAM_IDS: "7900" } });
  });
  afterEach(async () => db.dispose());

  it("a supervisor of another region cannot take, answer, resolve or reassign a case with forged buttons", async () => {
    const coord = await coordinator(h, db, 7001);
    const there = await coordinator(h, db, 7008, { supervisor: true, categories: [], regions: ["RU-LIP"] });
    const maria = await family(h, 7101);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    await db.prisma.caseMessage.create({ data: { caseId: c.id, author: "requester", kind: "photo", fileId: "PHOTO-1", createdAt: new Date() } });
    h.clear();

    await h.press(there, `case:take:${c.id}`);
    expect(h.answers().at(-1)!.payload.text).toBe(NOT_FOR_YOU);
    await deliver(h);
    expect(h.sentTo(there.id, "sendPhoto")).toHaveLength(0);
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "assigned", coordinatorId: await idOf(db, 7001) });

    // Taken by its coordinator; the other region's supervisor holds two cases of their own in Lipetsk,
    // so a message of theirs waits for a choice of case, and they "choose" Maria's with a forged button.
    await h.press(coord, `case:take:${c.id}`);
    const olga = (await db.prisma.person.findUniqueOrThrow({ where: { telegramId: BigInt((await h.member(7102)).id) } })).id;
    for (const n of [1, 2]) {
      const { case: own } = await createCase(db.prisma, h.deps.clock, { requesterId: olga, category: "payments", urgency: "normal", regionCode: "RU-LIP", description: "x", attachments: [], sourceKey: `c:olga:${n}` }, caseSettings(h.deps.config));
      expect(await takeCase(db.prisma, h.deps.clock, own.id, await idOf(db, 7008))).toBe("taken");
    }
    await h.text(there, "пишу в чужое обращение");
    expect(h.lastText(there.id)).toContain("В какое обращение");
    h.clear();
    for (const data of [`case:reply:${c.id}`, `case:resolve:${c.id}`, `case:wait:${c.id}`, `case:reassign:${c.id}`, `case:to:${c.id}:${await idOf(db, 7008)}`]) await h.press(there, data);
    expect(h.answers().map((a) => a.payload.text)).toEqual(Array(5).fill(NOT_ALLOWED));
    await deliver(h);
    expect(h.texts(maria.id).join()).not.toContain("чужое");
    expect(await db.prisma.caseMessage.count({ where: { caseId: c.id, author: "coordinator" } })).toBe(0);
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "in_progress", coordinatorId: await idOf(db, 7001) });
    await h.command(there, "case", c.number);
    expect(h.lastText(there.id)).toContain("не найдено");
    await h.command(there, "note", `${c.number} чужая заметка`);
    expect(await db.prisma.caseMessage.count({ where: { caseId: c.id, author: "note" } })).toBe(0);
  });

  it("the case card shows a supervisor of the region and an administrator what they may do", async () => {
    await coordinator(h, db, 7001);
    const here = await coordinator(h, db, 7009, { supervisor: true, categories: [] });
    const admin = await h.member(7900);
    const maria = await family(h, 7101);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    await h.command(here, "case", c.number);
    expect(Harness.buttons(h.last(here.id)).map((b) => b[1])).toEqual([`case:take:${c.id}`, `case:reassign:${c.id}`]);
    await h.press(here, `case:take:${c.id}`);
    expect(h.answers().at(-1)!.payload.text).toContain("Обращение ваше");
    // An administrator who is not a coordinator sees the case and its timeline, with nothing to press.
    await h.command(admin, "case", c.number);
    expect(h.lastText(admin.id)).toContain("История");
    expect(Harness.buttons(h.last(admin.id))).toEqual([]);
  });

  it("Reassign offers only coordinators serving the case's region with room; forged targets are refused", async () => {
    await coordinator(h, db, 7001);
    await coordinator(h, db, 7002);
    await coordinator(h, db, 7003, { regions: ["RU-LIP"] });
    await coordinator(h, db, 7004, { regions: [] });
    await coordinator(h, db, 7005, { maxOpen: 1 });
    await db.prisma.coordinator.update({ where: { telegramId: 7005n }, data: { openCases: 1 } });
    const sup = await coordinator(h, db, 7009, { supervisor: true, categories: [] });
    const maria = await family(h, 7101);
    await ask(h, maria);
    const c = await db.prisma.case.findFirstOrThrow();
    expect(c.coordinatorId).toBe(await idOf(db, 7001));
    await h.press(sup, `case:reassign:${c.id}`);
    expect(Harness.buttons(h.last(sup.id)).map((b) => b[1])).toEqual([`case:to:${c.id}:${await idOf(db, 7002)}`, `case:to:${c.id}:${await idOf(db, 7004)}`]);
    await h.press(sup, `case:to:${c.id}:${await idOf(db, 7003)}`);
    expect(h.answers().at(-1)!.payload.text).toBe(NOT_ALLOWED);
    await h.press(sup, `case:to:${c.id}:${await idOf(db, 7005)}`);
    expect(h.answers().at(-1)!.payload.text).toContain("максимум");
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).coordinatorId).toBe(await idOf(db, 7001));
    await h.press(sup, `case:to:${c.id}:${await idOf(db, 7004)}`);
    expect(h.answers().at(-1)!.payload.text).toBe("Обращение передано.");
    const counts = await db.prisma.coordinator.findMany({ where: { telegramId: { in: [7001n, 7004n, 7005n] } }, orderBy: { telegramId: "asc" }, select: { openCases: true } });
    expect(counts.map((x) => x.openCases)).toEqual([0, 1, 1]);
  });

  it("nobody free: administrators and the supervisors of the case's region are told, not those of other regions", async () => {
    const here = await coordinator(h, db, 7009, { supervisor: true, categories: [] });
    const there = await coordinator(h, db, 7008, { supervisor: true, categories: [], regions: ["RU-LIP"] });
    const admin = await h.member(7900);
    for (const id of [7008, 7009]) await updateCoordinator(db.prisma, id, { onDuty: false });
    const maria = await family(h, 7101);
    await ask(h, maria);
    h.clear();
    await deliver(h);
    expect(h.lastText(here.id)).toContain("некому передать");
    expect(h.lastText(admin.id)).toContain("некому передать");
    expect(h.texts(there.id)).toEqual([]);
  });
});

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`cases: ids no row can have (${engine.name})`, () => {
    let db: TestDb;
    let h: Harness;
    beforeEach(async () => {
      db = await engine.create();
      h = await harness(db, { env: { ADMIN_TELEGRAM_IDS: "7900" } });
    });
    afterEach(async () => db.dispose());

    it("forged ids beyond the id column's range are answered as old buttons, not with an apology", async () => {
      const coord = await coordinator(h, db, 7001);
      const sup = await coordinator(h, db, 7009, { supervisor: true, categories: [] });
      const maria = await family(h, 7101);
      await ask(h, maria);
      const c = await db.prisma.case.findFirstOrThrow();
      h.clear();
      const big = "99999999999";
      for (const data of [`case:take:${big}`, "case:take:0", `case:decline:${big}`, `case:why:${big}:busy`, `case:colleague:${big}`, `case:wait:${big}`, `case:reply:${big}`]) await h.press(coord, data);
      for (const data of [`case:reassign:${big}`, `case:to:${big}:1`, `case:to:${c.id}:${big}`]) await h.press(sup, data);
      for (const data of [`mycase:cancel:${big}`, `mycase:cancelyes:${big}`, `rate:${big}:5`, `mycase:to:${big}`]) await h.press(maria, data);
      expect(h.answers().map((a) => a.payload.text)).toEqual(Array(14).fill(STALE));
      expect(h.calls.filter((x) => String(x.payload.text ?? "").startsWith(APOLOGY))).toEqual([]);
      expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "assigned" });
      // The same for a number an administrator types: a maximum no column holds gets the usage.
      const admin = await h.member(7900);
      await h.command(admin, "invite", `RU-TAM payments ${big}`);
      expect(h.lastText(admin.id)).toMatch(/^Формат: \/invite/);
      expect(await db.prisma.invite.count()).toBe(0);
    });
  });
}

describe("a supervisor answering in a case of their region they do not hold", () => {
  let db: TestDb;
  let h: Harness;
  beforeEach(async () => {
    db = await sqliteTestDb();
    h = await harness(db);
  });
  afterEach(async () => db.dispose());

  it("after 'Reply here' their messages reach the requester", async () => {
    const { maria, c } = await takenCase(h, db);
    const sup = await coordinator(h, db, 7009, { regions: ["RU-TAM"], categories: [], supervisor: true });
    await h.press(sup, `case:reply:${c.id}`);
    await h.text(sup, "Здравствуйте, я руководитель координатора");
    expect(h.lastText(sup.id)).toBe(`✓ Отправлено заявителю (#${c.number}).`);
    await h.deliver();
    expect(h.texts(maria.id)).toContain(`💬 <b>#${c.number}</b> · Координатор\nЗдравствуйте, я руководитель координатора`);
  });
});
