import { describe, expect, it } from "vitest";
import { checkBirthDate, checkFullName, checkInstitution, checkPhone, checkYear } from "../../src/services/validation.js";

const today = new Date("2026-11-22T12:00:00Z");
const reason = (r: { ok: boolean; reason?: string }) => (r.ok ? "ok" : r.reason);

describe("full name", () => {
  it("accepts names in any alphabet, with hyphens and apostrophes, and tidies spaces", () => {
    expect(checkFullName("  Иванова   Мария  Петровна ")).toEqual({ ok: true, value: "Иванова Мария Петровна" });
    expect(checkFullName("Jonas Petraitis-Šimkus").ok).toBe(true);
    expect(checkFullName("D'Artagnan O’Neil").ok).toBe(true);
  });
  it("refuses empty, one-word, digits, symbols and 300 characters, each with its reason", () => {
    expect(reason(checkFullName("   "))).toBe("name_empty");
    expect(reason(checkFullName("Мария"))).toBe("name_two_words");
    expect(reason(checkFullName("Мария 2000"))).toBe("name_digits");
    expect(reason(checkFullName("R2D2 Droid"))).toBe("name_digits");
    expect(reason(checkFullName("Мария <b>Иванова</b>"))).toBe("name_chars");
    expect(checkFullName("Я".repeat(300))).toEqual({ ok: false, reason: "name_too_long", params: { max: 100 } });
  });
});

describe("date of birth", () => {
  it.each([
    ["05.03.2006", "2006-03-05"], ["5.3.2006", "2006-03-05"], ["05/03/2006", "2006-03-05"], ["2006-03-05", "2006-03-05"],
    ["5 марта 2006", "2006-03-05"], ["5 марта 2006 г.", "2006-03-05"], ["5 Mar 2006", "2006-03-05"], ["March 5, 2006", "2006-03-05"],
    ["2006 m. kovo 5 d.", "2006-03-05"], ["29.02.2008", "2008-02-29"], ["1 мая 2000", "2000-05-01"],
  ])("reads %s", (input, iso) => {
    expect(checkBirthDate(input, today)).toEqual({ ok: true, value: iso });
  });
  it("refuses impossible dates, the future, and ages outside 14–35 with the age", () => {
    expect(reason(checkBirthDate("31.02.2005", today))).toBe("date_impossible");
    expect(reason(checkBirthDate("29.02.2007", today))).toBe("date_impossible");
    expect(reason(checkBirthDate("12.13.2005", today))).toBe("date_impossible");
    expect(reason(checkBirthDate("01.01.2030", today))).toBe("date_future");
    expect(checkBirthDate("01.01.2015", today)).toEqual({ ok: false, reason: "age_under", params: { min: 14, max: 35, age: 11 } });
    expect(checkBirthDate("22.11.1990", today)).toEqual({ ok: false, reason: "age_over", params: { min: 14, max: 35, age: 36 } });
    expect(checkBirthDate("23.11.1990", today).ok).toBe(true); // 35 until tomorrow
    expect(reason(checkBirthDate("вчера", today))).toBe("date_format");
    expect(reason(checkBirthDate("5 чегототам 2006", today))).toBe("date_format");
  });
});

describe("phone", () => {
  it.each([
    ["8 900 123-45-67", "RU", "+79001234567"], ["+7 (900) 123-45-67", "RU", "+79001234567"], ["89001234567", "RU", "+79001234567"],
    ["9001234567", "RU", "+79001234567"], ["+7 4752 72-34-56", "RU", "+74752723456"], ["+370 612 34567", "RU", "+37061234567"],
    ["+370 612 34567", "LT", "+37061234567"], ["8 612 34567", "LT", "+37061234567"], ["861234567", "LT", "+37061234567"], ["+79001234567", "LT", "+79001234567"],
    // A number that fits only the other country: a Russian mobile typed in Lithuania and back.
    ["8 900 765-43-21", "LT", "+79007654321"], ["8 612 34567", "RU", "+37061234567"],
  ] as const)("normalises %s (%s) to E.164", (input, country, e164) => {
    expect(checkPhone(input, country)).toEqual({ ok: true, value: e164 });
  });
  it("refuses what is not a phone number", () => {
    for (const bad of ["12345", "телефон", "+7 900", "8 900 123 45 67 89 00", "+999 123 456 789"]) expect(reason(checkPhone(bad, "RU"))).toBe("phone_format");
  });
});

describe("institution and year", () => {
  it("checks lengths and ranges", () => {
    expect(checkInstitution(" Детский дом №3  г. Тамбова ")).toEqual({ ok: true, value: "Детский дом №3 г. Тамбова" });
    expect(reason(checkInstitution("x"))).toBe("text_short");
    expect(reason(checkInstitution("x".repeat(201)))).toBe("text_long");
    expect(checkYear("2024", today)).toEqual({ ok: true, value: 2024 });
    expect(checkYear("2024 г.", today)).toEqual({ ok: true, value: 2024 });
    expect(reason(checkYear("2030", today))).toBe("year_range");
    expect(checkYear("2012", today, "2006-03-05")).toEqual({ ok: false, reason: "year_range", params: { min: 2016, max: 2026 } });
    expect(reason(checkYear("две тысячи", today))).toBe("year_format");
  });
});
