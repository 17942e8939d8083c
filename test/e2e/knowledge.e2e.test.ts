// The real bot process against the Bot API emulator: a family member asks a question in free text,
// finds no article that fits, and reaches a coordinator from "Pass my question to a coordinator",
// with her question as the request's description.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { e2eWorld } from "../helpers/emulator.js";
import { client, onboard, registerFamily } from "../helpers/emulator-people.js";

let world: Awaited<ReturnType<typeof e2eWorld>>;
beforeAll(async () => {
  world = await e2eWorld({ OUTBOX_INTERVAL_MS: "100" });
});
afterAll(() => world.stop());

it("a question in free text: an article when one fits; else honest, and on to a coordinator with the question", async () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", "coordinator", "add", "--telegram-id", "6001", "--regions", "RU-TAM", "--categories", "payments,documents,other"], { env: { ...process.env, ...world.env }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  await world.start();
  const anna = client(world, 6001, "Анна");
  const maria = client(world, 6101, "Мария");
  for (const p of [anna, maria]) await onboard(p);
  await registerFamily(maria, "Иванова Мария");

  await maria.say("где оформить удостоверение ветерана боевых действий");
  const offer = await maria.expect(/Вот что нашлось/);
  expect(offer.buttons[0]).toEqual(["📄 Удостоверение ветерана боевых действий", "kb:art:veteran-certificate"]);
  await maria.press("kb:art:veteran-certificate");
  await maria.expect(/^<b>Удостоверение ветерана боевых действий<\/b>|Удостоверение ветерана боевых действий/);

  const question = "где починить стиральную машину недорого";
  await maria.say(question);
  const none = await maria.expect(/готового ответа на этот вопрос у меня нет/);
  await maria.press(none.buttons.find((b) => b[1].startsWith("kb:hq:"))![1]);
  await maria.expect(/С чем нужна помощь/);
  await maria.press("form:cat:other");
  await maria.expect(new RegExp(`«${question}»`));
  await maria.press("form:done");
  await maria.expect(/Насколько срочно/);
  await maria.press("form:urgency:normal");
  await maria.expect(/Проверьте обращение/);
  await maria.press("form:confirm");
  const created = await maria.expect(/принято/);
  const number = /#(A-\d+)/.exec(created.text)![1]!;
  const ping = await anna.expect(new RegExp(`Обращение #${number}</b>`));
  expect(ping.text).toContain(question);
  const logs = world.running.map((p) => p.output()).join("");
  expect(logs).not.toMatch(/стиральную|Иванова/);
}, 120_000);
