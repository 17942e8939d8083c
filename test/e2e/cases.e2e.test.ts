// A family member and a coordinator, as two emulator clients, with the real bot process:
// ask → ping → take → three messages each way → resolve → rating; and escalation when nobody takes.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import Database from "better-sqlite3";
import { e2eWorld } from "../helpers/emulator.js";
import { askForHelp, client as emulatorClient, onboard, registerFamily } from "../helpers/emulator-people.js";

let world: Awaited<ReturnType<typeof e2eWorld>>;
beforeAll(async () => {
  world = await e2eWorld({ OUTBOX_INTERVAL_MS: "100", ESCALATION_INTERVAL_MS: "300", CASE_ACK_SECONDS: "60", CASE_ACK_URGENT_SECONDS: "2" });
});
afterAll(() => world.stop());

const client = (chatId: number, name: string) => emulatorClient(world, chatId, name);

const admin = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], { env: { ...process.env, ...world.env }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

it("ask → ping → take → three messages each way → resolve → rating, then escalation", async () => {
  admin("coordinator", "add", "--telegram-id", "6001", "--regions", "RU-TAM", "--categories", "payments,legal");
  admin("coordinator", "add", "--telegram-id", "6002", "--regions", "RU-TAM", "--categories", "payments");
  admin("coordinator", "add", "--telegram-id", "6009", "--regions", "RU-TAM", "--supervisor");
  await world.start();

  const anna = client(6001, "Анна");
  const boris = client(6002, "Борис");
  const sveta = client(6009, "Света");
  const maria = client(6101, "Мария");
  for (const p of [anna, boris, sveta, maria]) await onboard(p);
  await registerFamily(maria, "Иванова Мария");

  const number = await askForHelp(maria, "Не пришла выплата за сентябрь", "normal");
  const ping = await anna.expect(new RegExp(`Обращение #${number}</b>`));
  expect(ping.text).toContain("Иванова Мария");
  expect(ping.buttons.map((b) => b[0])).toEqual(["✅ Взять", "↩️ Отказаться", "🤝 Спросить коллегу"]);
  await anna.press(ping.buttons[0]![1]);
  await maria.expect(new RegExp(`#${number}</b> занимается координатор Анна`));

  for (let i = 1; i <= 3; i++) {
    await maria.say(`Вопрос ${i}`);
    await anna.expect(new RegExp(`#${number}</b> · Заявитель\\nВопрос ${i}`));
    await anna.say(`Ответ ${i}`);
    await maria.expect(new RegExp(`#${number}</b> · Координатор\\nОтвет ${i}`));
  }

  await anna.command(`/case ${number}`);
  const card = await anna.expect(/История/);
  const resolve = card.buttons.find((b) => b[1].startsWith("case:resolve:"))!;
  await anna.press(resolve[1]);
  const rate = await maria.expect(/Оцените, пожалуйста/);
  expect(rate.buttons).toHaveLength(5);
  await maria.press(rate.buttons[4]![1]);
  await maria.expect(/пару слов/);
  await maria.say("Спасибо большое");
  await maria.expect(/Спасибо!/);

  // Nobody takes an urgent case: after the acknowledgement time it goes on, and the supervisor is told.
  const urgent = await askForHelp(maria, "Срочно нужна справка", "urgent");
  await boris.expect(new RegExp(`Обращение #${urgent}</b> · 🔴 <b>СРОЧНО`));
  await anna.expect(new RegExp(`Обращение #${urgent}</b>`), 15_000);
  await sveta.expect(new RegExp(`#${urgent} не взяли`), 15_000);

  const db = new Database(world.dbFile, { readonly: true });
  const rows = db.prepare(`SELECT number, status, rating, ratingComment, firstResponseAt IS NOT NULL AS responded FROM "Case" ORDER BY id`).all();
  const events = db.prepare(`SELECT type FROM CaseEvent WHERE caseId = (SELECT id FROM "Case" WHERE number = ?) ORDER BY id`).all(urgent).map((e: any) => e.type);
  db.close();
  expect(rows).toEqual([
    { number, status: "closed", rating: 5, ratingComment: "Спасибо большое", responded: 1 },
    { number: urgent, status: "assigned", rating: null, ratingComment: null, responded: 0 },
  ]);
  expect(events).toEqual(["created", "assigned", "lapsed", "assigned"]);
  const logs = world.running.map((p) => p.output()).join("");
  expect(logs).not.toMatch(/Иванова|Вопрос|Ответ|79001112233/);
}, 150_000);
