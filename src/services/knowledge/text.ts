// How words of articles and questions become search terms: lower case, ё → е, stop words out, each
// word stemmed by its language (Lithuanian diacritics folded after stemming, since many people
// type without them). Articles and questions must go through the same functions, or nothing matches.
import { stemmer as english } from "@orama/stemmers/english";
import { stemmer as lithuanian } from "@orama/stemmers/lithuanian";
import { stemmer as russian } from "@orama/stemmers/russian";
import type { Locale } from "../../i18n.js";

/** Words that say nothing about the topic: question words, pronouns, greetings, fillers. */
const STOP: Record<Locale, Set<string>> = {
  ru: new Set(
    ("а без бы был была были было быть в вам вас ведь во вот вообще все всего всех вы где да даже для до добрый доброе ее ей "
      + "если есть еще ж же за здравствуйте здрасте зачем и из или им их к как какая какие каким каких какое какой когда кто ли либо мне меня "
      + "мной мог могу может можно мой моя мое мои моего моей моих мою мы на нам нас наш наша наше наши нашего нашей нашим ну о об он она они "
      + "нибудь нужен нужна нужно надо оно от очень по под пожалуйста подскажите помогите после при про просто пусть разве с сам свой свою себе себя сейчас скажите со спасибо "
      + "сколько стоит та так также такой там те тем то тогда тоже только том тот ту тут ты у уже хотя чего чей чем через что чтобы чтоб эта эти это этого "
      + "этой этом этот эту я день утро вечер привет не ни куда откуда ему его него нему нее ней ним них будет будут всем всё весь теперь "
      + "везде рядом скоро сих пор пока почему вдруг опять").split(" "),
  ),
  en: new Set(
    ("a about after am an and any are as at be been but by can could did do does for from get got had has have hello hi how i if in into is it "
      + "its me my of on or our please should so some than that the their them then there this to us was we what when where which who why will "
      + "with would you your just also very he she his her him they not no").split(" "),
  ),
  lt: new Set(
    ("a aš ar apie be bet buvo bus dabar dėl gal gali galiu iki ir iš į jei jeigu ji jie jis jo jos jų jūs jums jūsų kad kada kai kaip kas "
      + "kodėl koks kokia kokie kokios kokias kokį kokią kokių kur ką labai laba diena man mane mano mes mums mūsų nuo o per po prašau prie sveiki su ta tai taip tas "
      + "ne nėra jam jai juos jas jau dar "
      + "tu tau už yra ačiū").split(" ").flatMap((w) => [w, fold(w)]),
  ),
};

function fold(word: string): string {
  return word.normalize("NFD").replace(/\p{M}/gu, "");
}

const STEM: Record<Locale, (w: string) => string> = { ru: russian, en: english, lt: lithuanian };
const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Lower case, ё → е; the one normalisation every text gets before anything else. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/ё/g, "е").replace(/\u00ad/g, "");
}

/** Words and numbers, split where letters meet digits ("5летнему" → "5", "летнему"). */
export function words(text: string): string[] {
  return normalise(text).match(/\p{L}+|\p{N}+/gu) ?? [];
}

const cache: Record<Locale, Map<string, string>> = { ru: new Map(), en: new Map(), lt: new Map() };

/** A word's search term in a language, or null for a stop word. Cyrillic is always stemmed as Russian. */
export function term(word: string, lang: Locale): string | null {
  const known = cache[lang].get(word);
  if (known !== undefined) return known || null;
  const w = normalise(word);
  const cyrillic = CYRILLIC.test(w);
  const own: Locale = cyrillic ? "ru" : lang === "ru" ? "en" : lang;
  let out = "";
  if (!STOP[own].has(w) && !(cyrillic && STOP.ru.has(w))) {
    out = /^\p{N}+$/u.test(w) || w.length < 3 ? w : STEM[own](w);
    if (own === "lt") out = fold(out);
  }
  if (cache[lang].size > 50_000) cache[lang].clear(); // bounded: questions bring endless new words
  cache[lang].set(word, out);
  return out || null;
}

/** Which article languages to search for a question: its script decides, the person's language goes first. */
export function searchLanguages(query: string, lang: Locale): Locale[] {
  const letters = words(query).filter((w) => /\p{L}/u.test(w));
  const cyrillic = letters.filter((w) => CYRILLIC.test(w)).length;
  if (cyrillic * 2 >= letters.length && cyrillic > 0) return ["ru"];
  return lang === "lt" ? ["lt", "en"] : ["en", "lt"];
}
