// The real bot process against our Bot API server: an organiser (appointed with the CLI) creates an
// event in the bot, one field at a time, adds an extra question from the preview and publishes it; a
// graduate finds it in /events, answers the question and is signed up.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import Database from "better-sqlite3";
import { e2eWorld } from "../helpers/emulator.js";
import { client, onboard, type Client } from "../helpers/emulator-people.js";

let world: Awaited<ReturnType<typeof e2eWorld>>;
beforeAll(async () => {
  world = await e2eWorld({ OUTBOX_INTERVAL_MS: "100" });
});
afterAll(() => world.stop());

const admin = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], { env: { ...process.env, ...world.env }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

async function registerGraduate(p: Client, name: string) {
  await p.press("menu:profile");
  await p.expect(/кто вы/);
  await p.press("reg:role:graduate");
  await p.expect(/Как вас зовут/);
  await p.say(name);
  await p.expect(/рождения/);
  await p.say("12.05.2004");
  await p.expect(/В каком регионе/);
  await p.say("тамб");
  await p.expect(/Выберите регион/);
  await p.press("form:region:RU-TAM");
  await p.expect(/Какое учреждение/);
  await p.say("Детский дом № 1 г. Тамбова");
  await p.expect(/В каком году/);
  await p.press("form:skip");
  await p.expect(/номер телефона/);
  await p.say("+79001112233");
  await p.expect(/Что вам интересно/);
  await p.press("form:interest:trainings");
  await p.press("form:done");
  await p.expect(/Проверьте/);
  await p.press("form:confirm");
  await p.expect(/вы зарегистрированы/);
}

it("an organiser creates and publishes an event in the bot; a graduate finds it in /events and signs up", async () => {
  admin("coordinator", "add", "--telegram-id", "6201", "--regions", "RU-TAM", "--categories", "other");
  admin("coordinator", "update", "--telegram-id", "6201", "--organiser");
  await world.start();
  const year = new Date().getUTCFullYear() + 1;
  const olga = client(world, 6201, "Ольга");
  const anna = client(world, 6301, "Анна");
  await onboard(olga);

  await olga.command("/organise");
  await olga.expect(/У вас пока нет мероприятий/);
  await olga.press("org:new");
  await olga.expect(/Как называется мероприятие/);
  await olga.say("Школа самостоятельной жизни");
  await olga.expect(/по-английски/);
  await olga.press("form:ed:none");
  await olga.expect(/по-литовски/);
  await olga.press("form:ed:none");
  await olga.expect(/Опишите мероприятие/);
  await olga.say("Как снять жильё, вести бюджет и готовить.");
  await olga.expect(/Что это за мероприятие/);
  await olga.press("form:ed:kind:training");
  await olga.expect(/часовом поясе/);
  await olga.press("form:ed:tz");
  await olga.expect(/Когда начало/);
  await olga.say(`12.07.${year} 10:00`);
  await olga.expect(/Когда окончание/);
  await olga.say(`12.07.${year} 17:00`);
  await olga.expect(/Где проходит/);
  await olga.say("Тамбов, ул. Советская, 1");
  await olga.expect(/Ссылка для онлайн/);
  await olga.press("form:ed:none");
  await olga.expect(/Для каких регионов/);
  await olga.press("form:ed:all");
  await olga.expect(/Для кого/);
  await olga.press("form:ed:aud:graduate");
  await olga.press("form:ed:aud:done");
  await olga.expect(/Ограничения по возрасту/);
  await olga.press("form:ed:none");
  await olga.expect(/Сколько мест/);
  await olga.say("25");
  await olga.expect(/До какого времени/);
  await olga.press("form:ed:none");
  await olga.expect(/подтверждать каждую заявку/);
  await olga.press("form:ed:no");
  const preview = await olga.expect(/Так мероприятие увидят участники/);
  expect(preview.text).toContain("Осталось 25 мест из 25");
  await olga.press("form:ed:f:questions");
  await olga.expect(/Дополнительные вопросы/);
  await olga.press("form:ed:q:add");
  await olga.expect(/Какой это вопрос/);
  await olga.press("form:ed:qt:yes_no");
  await olga.expect(/Напишите вопрос по-русски/);
  await olga.say("Нужен трансфер от вокзала?\nen: Do you need a transfer?");
  await olga.expect(/1\. Нужен трансфер от вокзала\? — да или нет/);
  await olga.press("form:ed:q:done");
  await olga.expect(/Вопросы \(1\): Нужен трансфер от вокзала\?/);
  await olga.press("form:ed:pub");
  await olga.expect(/создано и опубликовано/);

  await onboard(anna);
  await registerGraduate(anna, "Смирнова Анна");
  await anna.command("/events");
  const list = await anna.expect(/Ближайшие мероприятия/);
  const open = list.buttons.find((b) => b[0].startsWith("Школа самостоятельной жизни"))!;
  expect(open[1]).toMatch(/^ev:open:\d+$/);
  await anna.press(open[1]);
  const card = await anna.expect(/<b>Школа самостоятельной жизни<\/b>/);
  await anna.press(card.buttons.find((b) => b[1].startsWith("ev:join:"))![1]);
  await anna.expect(/Нужен трансфер от вокзала\?/);
  await anna.press("form:q:0:y");
  await anna.expect(/Записать вас на мероприятие/);
  await anna.press("form:confirm");
  await anna.expect(/Вы записаны!/);

  const db = new Database(world.dbFile, { readonly: true });
  const row = db.prepare(`SELECT e.status, e.capacity, n.answers FROM Enrolment n JOIN Event e ON e.id = n.eventId`).get();
  db.close();
  expect(row).toEqual({ status: "published", capacity: 25, answers: JSON.stringify({ q1: true }) });
}, 240_000);
