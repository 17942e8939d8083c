// The crisis detector on the way people really write: no capitals, typos, missing ё, mixed
// languages; and what must not raise the alarm. The opening hours and crisis-line settings.
import { describe, expect, it } from "vitest";
import { soundsLikeCrisis } from "../../src/services/crisis/detect.js";
import { loadConfig } from "../../src/config.js";
import { TOKEN } from "../helpers/harness.js";

describe("crisis detector", () => {
  it.each([
    "не хочу больше жить",
    "я не хачу жить",
    "Жить не хочется совсем",
    "думаю покончить с собой",
    "пакончу с сабой",
    "мысли о суициде",
    "ПОМОГИТЕ СРОЧНО!!!",
    "памагите срочна",
    "помогитееее срочно",
    "муж бьёт меня и детей",
    "муж бьет меня",
    "он угрожает убить",
    "sos",
    "i want to die",
    "I don't want to live anymore",
    "thinking about suicide",
    "he beats me every night",
    "nebenoriu gyventi",
    "nenoriu gyventi",
    "Vyras muša mane",
    "patiriu smurtą namuose",
    "padekite skubiai",
  ])("hears a crisis in «%s»", (text) => {
    expect(soundsLikeCrisis(text)).toBe(true);
  });

  it.each([
    "не пришла выплата за сентябрь",
    "как получить удостоверение ветерана",
    "нужна справка для школы",
    "when is the next training",
    "kaip gauti išmoką",
    "спасибо, всё хорошо",
    "мой сын проходит службу",
  ])("stays quiet on «%s»", (text) => {
    expect(soundsLikeCrisis(text)).toBe(false);
  });
});

describe("programme contacts and crisis lines as settings", () => {
  it("reads the programme's contacts, hours, working days and its own crisis lines", () => {
    const c = loadConfig({
      BOT_TOKEN: TOKEN, PROGRAMME_PHONE: "+7 800 555-35-35", PROGRAMME_EMAIL: "help@example.org", PROGRAMME_HOURS: "10:00-19:00",
      PROGRAMME_WORKDAYS: "1-5,7", CRISIS_LINES_RU: "8-800-2000-122 Телефон доверия; +7 495 989-50-50 — МЧС",
    });
    expect(c).toMatchObject({ PROGRAMME_PHONE: "+7 800 555-35-35", PROGRAMME_HOURS: "10:00-19:00", PROGRAMME_WORKDAYS: [1, 2, 3, 4, 5, 7], PROGRAMME_TIME_ZONE: "Europe/Moscow" });
    expect(c.CRISIS_LINES_RU).toEqual([{ phone: "8-800-2000-122", name: "Телефон доверия" }, { phone: "+7 495 989-50-50", name: "МЧС" }]);
    expect(loadConfig({ BOT_TOKEN: TOKEN, DEFAULT_LOCALE: "lt" }).PROGRAMME_TIME_ZONE).toBe("Europe/Vilnius");
  });

  it("stops the start with one readable line on a bad setting", () => {
    expect(() => loadConfig({ BOT_TOKEN: TOKEN, PROGRAMME_HOURS: "9 to 6" })).toThrow(/PROGRAMME_HOURS must be opening hours such as 09:00-18:00/);
    expect(() => loadConfig({ BOT_TOKEN: TOKEN, PROGRAMME_WORKDAYS: "mon-fri" })).toThrow(/PROGRAMME_WORKDAYS/);
    expect(() => loadConfig({ BOT_TOKEN: TOKEN, PROGRAMME_TIME_ZONE: "Moscow" })).toThrow(/PROGRAMME_TIME_ZONE must be an IANA time zone/);
    expect(() => loadConfig({ BOT_TOKEN: TOKEN, PROGRAMME_EMAIL: "nope" })).toThrow(/PROGRAMME_EMAIL/);
  });
});
