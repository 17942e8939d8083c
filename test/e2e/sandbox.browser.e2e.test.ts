// The sandbox in a real browser: `npm start` without a token, the page opened in headless Chromium
// (Debian's, driven by playwright-core), and a whole case played by clicking and typing — first
// contact, a mother registers (sharing her phone from the reply keyboard) and asks for help, the
// coordinator gets the ping in her own chat, takes it, answers and resolves it, the mother rates.
// Skips with a message where no Chromium is installed. UPDATE_SCREENSHOTS=1 refreshes the README's.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import QRCode from "qrcode";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`sandbox browser test skipped: no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium, or set CHROMIUM_PATH)`);
const SHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? path.resolve(".github/readme") : undefined;

describe.skipIf(!hasChromium)("the sandbox in a browser", () => {
  let child: ChildProcess;
  let out = "";
  let url = "";
  let dir = "";
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "sandbox-"));
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SANDBOX_PORT: "0", SANDBOX_DATABASE_URL: `file:${dir}/sandbox.db`, OUTBOX_INTERVAL_MS: "100", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const deadline = Date.now() + 30_000;
    while (!out.includes("sandbox: ready")) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sandbox did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    url = /Open (http:\/\/127\.0\.0\.1:\d+) in a browser/.exec(out)![1]!;
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 }, locale: "ru-RU" });
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    child?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits for a bot message with this text in the open chat. */
  const see = (text: string | RegExp) => page.locator(".msg.bot", { hasText: text }).last().waitFor({ timeout: 15_000 }).catch(async (err: Error) => {
    const tail = async (id: number) => JSON.stringify((await (await page.request.get(`${url}/api/chat?user=${id}`)).json()).messages.slice(-3).map((m: { html: string }) => m.html));
    throw new Error(`${err.message}\n1001: ${await tail(1001)}\n2001: ${await tail(2001)}`);
  });
  /** Presses a button of the newest inline keyboard, as a person would. */
  const press = (label: string | RegExp) =>
    page.locator(".inline").last().locator("button", { hasText: label }).click().catch(async (err: Error) => {
      throw new Error(`${err.message}\nthe chat ends with:\n${(await page.locator("#messages").innerText()).slice(-600)}\n${JSON.stringify((await (await page.request.get(`${url}/api/chat?user=1001`)).json()).messages.slice(-2))}`);
    });
  const type = async (text: string) => {
    await page.fill("#input", text);
    await page.press("#input", "Enter");
    await page.locator(".msg.me", { hasText: text }).last().waitFor(); // sent: it shows as the person's own message
  };
  const as = (id: number) => page.click(`[data-persona="${id}"]`);
  const shot = async (name: string) => SHOTS && (await page.screenshot({ path: path.join(SHOTS, `${name}.png`) }));
  const firstContact = async () => {
    await page.click("#start");
    await see("Выберите язык");
    await press("Русский");
    await see("Вы даёте согласие");
    await press("✅ Даю согласие");
    await see("Главное меню");
  };

  it("prints that it is the sandbox, where to open it and how to connect to Telegram instead", () => {
    const head = out.split("\n").slice(0, 6).join("\n");
    expect(head).toMatch(/SANDBOX: no BOT_TOKEN is set/);
    expect(head).toContain(`Open ${url} in a browser`);
    expect(head).toMatch(/To connect to Telegram instead: put the token from @BotFather in BOT_TOKEN/);
  });

  it("plays a case across two personas: ask → ping → take → answer → resolve → rate", async () => {
    await page.goto(url);
    await page.locator("#personas button").nth(4).waitFor();
    expect(await page.locator("#personas button").allInnerTexts()).toHaveLength(5);

    // The coordinator says hello first, so her chat is open when the ping comes.
    await as(2001);
    await firstContact();

    // The mother: first contact, registration (phone shared from the reply keyboard), request.
    await as(1001);
    await firstContact();
    await shot("sandbox-first-contact");
    await press(/Мой профиль|Регистрация/);
    await see("кто вы");
    await press("член семьи");
    await see("Как вас зовут");
    await type("Иванова Мария");
    await see("Кем вы приходитесь");
    await press("Жена");
    await see("Что с вашим близким");
    await press("Не хочу отвечать");
    await see("В каком регионе");
    await type("тамб");
    await see("Выберите регион");
    await press("Тамбовская");
    await see("номер телефона");
    await page.locator("#keyboard button", { hasText: "Отправить мой номер" }).click();
    await page.locator(".msg.me", { hasText: "+79001112233" }).waitFor();
    await see("Когда вам удобнее");
    await press("Пропустить");
    await see("Проверьте, всё ли верно");
    // The bot's HTML is rendered: bold labels, not tags as text.
    await page.locator(".msg.bot b", { hasText: "Регион:" }).last().waitFor();
    await press("Всё верно");
    await see("вы зарегистрированы");
    await press("Попросить помощи");
    await see("С чем нужна помощь");
    await press("Выплаты");
    await see("Опишите ситуацию");
    await type("Не пришла выплата за сентябрь");
    await see("Получил");
    await press("Готово");
    await see("Насколько срочно");
    await press("Не срочно");
    await see("Проверьте обращение");
    await press("Отправить");
    await see("принято");
    const number = /#(A-\d+)/.exec(await page.locator(".msg.bot", { hasText: "принято" }).last().innerText())![1]!;

    // The coordinator's chat shows the ping (an unread badge first).
    await page.locator('[data-persona="2001"] .badge').waitFor({ timeout: 15_000 });
    await as(2001);
    await see(`Обращение #${number}`);
    await shot("sandbox-coordinator-ping");
    await press("Взять");
    await page.locator("#toast", { hasText: "Обращение ваше" }).waitFor(); // the button's answer, as a toast
    await type("Здравствуйте! Проверю и напишу сегодня.");

    await as(1001);
    await see("Проверю и напишу сегодня");
    await type("Спасибо, жду");
    // A photo from her computer (a document photographed), through the attach button.
    await page.setInputFiles("#file", { name: "spravka.png", mimeType: "image/png", buffer: await QRCode.toBuffer("справка") });
    await page.locator(".msg.me img").waitFor();

    await as(2001);
    await see("Спасибо, жду");
    const photo = page.locator(".msg.bot img").last();
    await photo.waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>(".msg.bot img")].some((i) => i.complete && i.naturalWidth > 0));
    await type(`/case ${number}`);
    await see("История");
    await press("Решено");

    await as(1001);
    await see("Оцените, пожалуйста");
    await press(/^5$/);
    await see("пару слов");
    await type("Всё быстро, спасибо");
    await see(/^\s*Спасибо!\s*$/);
    await shot("sandbox-rating");

    // The command menu lists the bot's commands; /mydata comes as a file to download.
    await page.click("#menu-btn");
    await page.locator("#commands button", { hasText: "/mydata" }).click();
    const file = page.locator(".msg.bot .file a", { hasText: "my-data.json" }).last();
    await file.waitFor({ timeout: 15_000 });
    const body = await (await page.request.get(new URL(String(await file.getAttribute("href")), url).toString())).json();
    expect(body["Профиль"]).toMatchObject({ "ФИО": "Иванова Мария" });

    const db = new Database(path.join(dir, "sandbox.db"), { readonly: true });
    const row = db.prepare(`SELECT status, rating, ratingComment FROM "Case" WHERE number = ?`).get(number);
    db.close();
    expect(row).toEqual({ status: "closed", rating: 5, ratingComment: "Всё быстро, спасибо" });
    expect(out).not.toMatch(/Иванова|79001112233|Не пришла выплата/);
  }, 120_000);

  it("“Start over” empties every chat and makes fresh demo data", async () => {
    page.once("dialog", (d) => void d.accept());
    await page.click("#reset");
    await page.locator("#start").waitFor(); // her chat is empty again
    const deadline = Date.now() + 15_000;
    while (!out.includes("sandbox: reset") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const db = new Database(path.join(dir, "sandbox.db"), { readonly: true });
    const counts = db.prepare(`SELECT (SELECT COUNT(*) FROM "Case") AS cases, (SELECT COUNT(*) FROM Person) AS people, (SELECT COUNT(*) FROM Coordinator) AS coordinators, (SELECT COUNT(*) FROM Event) AS events`).get();
    db.close();
    expect(counts).toEqual({ cases: 0, people: 0, coordinators: 2, events: 2 });
    await as(2001);
    await page.locator("#start").waitFor();
    await firstContact(); // the bot answers after the reset
  }, 60_000);
});
