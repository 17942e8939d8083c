// Abbreviations, colloquial names and word families that mean one thing, written once for the whole
// knowledge base (an article's own synonyms live in its file). A phrase found in an article or a
// question adds a shared concept term ("§sfr"), so "соцфонд" finds a text that says "СФР".
import { LOCALES, type Locale } from "../../i18n.js";
import { term, words } from "./text.js";

type Table = Record<string, Partial<Record<Locale, string[]>>>;

const TABLE: Table = {
  svo: {
    ru: ["сво", "спецоперация", "специальная военная операция", "зона сво", "фронт", "война", "передовая", "передок", "за ленточкой", "зона боевых действий", "боевые действия"],
    en: ["svo", "smo", "special military operation", "front", "front line", "war"],
    lt: ["svo", "specialioji karinė operacija", "frontas", "fronte", "karas", "kare"],
  },
  vbd: {
    ru: ["вбд", "убд", "ветеран боевых действий", "участник боевых действий"],
    en: ["vbd", "combat veteran", "veteran of combat operations"],
    lt: ["vbd", "kovos veiksmų veteranas", "kovos veiksmų veteranui"],
  },
  zhku: {
    ru: ["жку", "жкх", "коммуналка", "коммунальные услуги", "коммунальные платежи", "квартплата"],
    en: ["zhku", "utilities", "utility bills", "communal services"],
    lt: ["žku", "komunalinės paslaugos", "komunaliniai mokesčiai"],
  },
  sfr: {
    ru: ["сфр", "пфр", "соцфонд", "социальный фонд", "пенсионный фонд", "фонд пенсионного и социального страхования"],
    en: ["sfr", "pfr", "social fund", "pension fund"],
    lt: ["sfr", "socialinis fondas", "pensijų fondas"],
  },
  mfc: {
    ru: ["мфц", "многофункциональный центр", "мои документы"],
    en: ["mfc", "multifunctional centre", "multifunctional center"],
    lt: ["mfc", "daugiafunkcinis centras"],
  },
  oms: {
    ru: ["омс", "медполис", "медицинский полис", "обязательное медицинское страхование"],
    en: ["oms", "compulsory medical insurance", "health insurance policy"],
    lt: ["oms", "privalomasis sveikatos draudimas"],
  },
  edv: {
    ru: ["едв", "ежемесячная денежная выплата"],
    en: ["edv", "monthly cash payment"],
    lt: ["edv", "mėnesinė piniginė išmoka"],
  },
  pmzh: {
    ru: ["пмж", "постоянное место жительства", "прописка", "регистрация по месту жительства"],
    en: ["permanent residence", "propiska", "registration address"],
    lt: ["nuolatinė gyvenamoji vieta", "deklaruota gyvenamoji vieta"],
  },
  gosuslugi: { ru: ["госуслуги", "портал госуслуг"], en: ["gosuslugi", "public services portal"], lt: ["gosuslugi"] },
  voenkomat: {
    ru: ["военкомат", "военный комиссариат"],
    en: ["voenkomat", "military commissariat", "enlistment office", "draft office"],
    lt: ["karinis komisariatas"],
  },
  szn: { ru: ["соцзащита", "собес", "усзн", "социальная защита"], en: ["social protection", "social security office"], lt: ["socialinė apsauga"] },
  detdom: { ru: ["детдом", "детский дом", "интернат"], en: ["children's home", "orphanage"], lt: ["vaikų globos namai"] },
  mse: { ru: ["мсэ", "медико социальная экспертиза", "инвалидность", "инвалид", "группа инвалидности"], en: ["disability", "medical and social assessment"], lt: ["neįgalumas"] },
  ipra: { ru: ["ипра", "ипр", "индивидуальная программа реабилитации"], en: ["ipra", "individual rehabilitation programme"] },
  tsr: { ru: ["тср", "технические средства реабилитации"], en: ["rehabilitation aids", "assistive devices"] },
  vvk: { ru: ["ввк", "военно врачебная комиссия"], en: ["military medical board", "military medical commission"] },
  bvp: { ru: ["бвп", "пропал без вести", "без вести пропавший"], en: ["missing in action"], lt: ["dingęs be žinios"] },
  ptsr: { ru: ["птср", "посттравматическое расстройство", "посттравматическое стрессовое расстройство"], en: ["ptsd", "post traumatic stress"], lt: ["ptsd", "potrauminio streso sutrikimas"] },
  fns: { ru: ["фнс", "налоговая", "налоговая инспекция"], en: ["tax office", "tax service"] },
  matkap: { ru: ["маткапитал", "материнский капитал"], en: ["maternity capital"] },
  kindergarten: { ru: ["детский сад", "детсад", "садик"], en: ["kindergarten", "nursery school"], lt: ["darželis", "vaikų darželis"] },
  // Word families the stemmer does not join, and everyday words for the same thing.
  money: {
    ru: ["деньги", "выплата", "денежная выплата", "выплачивают", "заплатят", "=платят", "=платит", "перечислят", "перечислили", "начислят"],
    en: ["money", "payment", "payments", "paid"],
    lt: ["pinigai", "išmoka", "išmokos"],
  },
  soldier: {
    ru: ["военнослужащий", "военный", "боец", "солдат", "=служит", "=служил", "воюет", "воевал", "участник сво"],
    en: ["soldier", "service member", "serviceman", "serving"],
    lt: ["karys", "kariui", "kario", "tarnauja"],
  },
  child: { ru: ["ребенок", "дети", "малыш", "детки", "дочка"], en: ["child", "children", "kid", "kids"], lt: ["vaikas", "vaikai", "vaikui"] },
  wound: { ru: ["ранение", "ранен", "раненый", "=ранили", "=ранило"], en: ["wound", "wounded", "injured"], lt: ["sužeidimas", "sužeistas"] },
  study: { ru: ["учеба", "=учусь", "=учиться", "=учится", "обучение", "образование"], en: ["study", "studies", "education"], lt: ["mokslai", "mokytis", "studijos"] },
  sleep: { ru: ["спать", "=сплю", "=спит", "бессонница"], en: ["sleep", "insomnia"], lt: ["miegoti", "nemiga"] },
  drinking: { ru: ["=пьет", "=пьют", "=пить", "выпивает", "запой", "алкоголь", "пьянство", "бухает"], en: ["drinks", "drinking", "alcohol"], lt: ["geria", "alkoholis"] },
  mother: { ru: ["мать", "мама", "матери"], en: ["mother", "mom", "mum"], lt: ["motina", "mama"] },
  father: { ru: ["отец", "папа", "отца"], en: ["father", "dad"], lt: ["tėvas", "tėtis"] },
  death: { ru: ["погиб", "погибший", "гибель", "убит", "убили", "смерть", "умер", "умерла", "не стало", "больше нет"], en: ["killed", "killed in action"], lt: ["žuvo", "žuvęs", "žūtis"] },
  mobilised: { ru: ["мобилизация", "мобилизованный", "мобилизовали", "мобилизован"], en: ["mobilised", "mobilized", "mobilisation", "mobilization"], lt: ["mobilizuotas", "mobilizacija"] },
};

/** A concept's term in the index; no word can produce it, since words are letters and digits only. */
export const conceptTerm = (key: string) => `§${key}`;

/** One word of a phrase: matched by its stem, or as written when the stem would say too much ("=платят"). */
type Element = { stem: string } | { word: string };
type Phrases = Map<string, { seq: Element[]; concept: string }[]>;
const keyOf = (e: Element) => ("word" in e ? `=${e.word}` : e.stem);

function compile(lang: Locale): Phrases {
  const byFirst: Phrases = new Map();
  const add = (phrase: string, key: string, as: Locale) => {
    const seq: Element[] = phrase.startsWith("=")
      ? [{ word: words(phrase)[0]! }]
      : words(phrase).flatMap((w) => (term(w, as) ? [{ stem: term(w, as)! }] : []));
    if (!seq.length) return;
    const list = byFirst.get(keyOf(seq[0]!)) ?? [];
    list.push({ seq, concept: conceptTerm(key) });
    list.sort((a, b) => b.seq.length - a.seq.length); // longest phrase wins
    byFirst.set(keyOf(seq[0]!), list);
  };
  for (const [key, names] of Object.entries(TABLE)) {
    for (const p of names[lang] ?? []) add(p, key, lang);
    if (lang !== "ru") for (const p of names.ru ?? []) add(p, key, "ru"); // Cyrillic turns up in any text
  }
  return byFirst;
}

const PHRASES = Object.fromEntries(LOCALES.map((l) => [l, compile(l)])) as Record<Locale, Phrases>;

/** A word as written (normalised) and its search term; stop words are left out before this. */
export interface Token {
  word: string;
  term: string;
}

/** The words of a text (or its words already split) that carry meaning, with their terms. */
export function tokens(text: string | string[], lang: Locale): Token[] {
  const out: Token[] = [];
  for (const word of typeof text === "string" ? words(text) : text) {
    const t = term(word, lang);
    if (t) out.push({ word, term: t });
  }
  return out;
}

const matches = (e: Element, t: Token | undefined) => !!t && ("word" in e ? t.word === e.word : t.term === e.stem);

/** Concepts named in a sequence of tokens, each with the span of tokens that named it. */
export function findConcepts(seq: Token[], lang: Locale): { concept: string; from: number; to: number }[] {
  const found: { concept: string; from: number; to: number }[] = [];
  const table = PHRASES[lang];
  for (let i = 0; i < seq.length; i++) {
    const t = seq[i]!;
    const candidates = [...(table.get(`=${t.word}`) ?? []), ...(table.get(t.term) ?? [])];
    const match = candidates.find((p) => p.seq.every((e, k) => matches(e, seq[i + k])));
    if (!match) continue;
    found.push({ concept: match.concept, from: i, to: i + match.seq.length });
    i += match.seq.length - 1;
  }
  return found;
}
