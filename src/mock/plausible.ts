/**
 * Values that look like real data, chosen by a string's `format` and by a property's name (email,
 * names, city, country, phone, prices, ids …), from small fixed tables and a seeded generator
 * (src/mock/random.ts): no faker dependency, and the same seed always gives the same value.
 */
import type { Random } from './random.js';

const FIRST = ['Ada', 'Grace', 'Alan', 'Margaret', 'Linus', 'Barbara', 'Dennis', 'Frances', 'Ken', 'Radia', 'Tim', 'Hedy'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Hamilton', 'Torvalds', 'Liskov', 'Ritchie', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee', 'Lamarr'];
const CITIES = ['Amsterdam', 'Lisbon', 'Montreal', 'Nairobi', 'Osaka', 'Santiago', 'Tallinn', 'Wellington', 'Porto', 'Kraków'];
const COUNTRIES = ['Netherlands', 'Portugal', 'Canada', 'Kenya', 'Japan', 'Chile', 'Estonia', 'New Zealand', 'Poland', 'Ireland'];
const COUNTRY_CODES = ['NL', 'PT', 'CA', 'KE', 'JP', 'CL', 'EE', 'NZ', 'PL', 'IE'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'CAD'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Labs', 'Hooli', 'Stark Industries'];
const STREETS = ['Main Street', 'Harbour Road', 'Station Square', 'Mill Lane', 'Park Avenue'];
const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'harbor', 'meadow', 'orbit', 'pixel', 'quartz', 'river', 'summit', 'tango'];
const SENTENCES = [
  'A short description of this item.',
  'Ships within two business days.',
  'Updated after the last review.',
  'Works well for small teams.',
  'Created from the mock server.',
];
const TITLES = ['Quarterly report', 'Welcome aboard', 'Release notes', 'Weekly sync', 'Launch plan'];
const HEX = '0123456789abcdef';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const chars = (random: Random, alphabet: string, length: number) => Array.from({ length }, () => alphabet[random.int(0, alphabet.length - 1)]).join('');
const pad = (n: number) => String(n).padStart(2, '0');
const date = (random: Random) => `20${pad(random.int(20, 26))}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
const time = (random: Random) => `${pad(random.int(0, 23))}:${pad(random.int(0, 59))}:${pad(random.int(0, 59))}Z`;
const email = (random: Random) => `${random.pick(FIRST)}.${random.pick(LAST)}@example.com`.toLowerCase().replace(/[^a-z.@-]/g, '');
const url = (random: Random) => `https://example.com/${random.pick(WORDS)}/${random.int(1, 999)}`;
const uuid = (random: Random) => {
  const hex = chars(random, HEX, 32).split('');
  hex[12] = '4';
  hex[16] = HEX[8 + random.int(0, 3)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A value for a string `format`, or undefined for a format without a generator here. */
export function formatValue(format: string, random: Random): string | undefined {
  switch (format) {
    case 'email': case 'idn-email': return email(random);
    case 'uri': case 'url': case 'iri': return url(random);
    case 'uri-reference': case 'iri-reference': return `/${random.pick(WORDS)}/${random.int(1, 999)}`;
    case 'uri-template': return `/${random.pick(WORDS)}/{id}`;
    case 'uuid': return uuid(random);
    case 'date': return date(random);
    case 'date-time': return `${date(random)}T${time(random)}`;
    case 'time': return time(random);
    case 'hostname': case 'idn-hostname': return `${random.pick(WORDS)}.example.com`;
    case 'ipv4': return `192.0.2.${random.int(1, 254)}`;
    case 'ipv6': return `2001:db8::${chars(random, HEX, 4)}`;
    case 'byte': return Buffer.from(`${random.pick(WORDS)} ${random.int(1, 999)}`).toString('base64');
    case 'json-pointer': return `/${random.pick(WORDS)}/${random.int(0, 9)}`;
    case 'relative-json-pointer': return '0/name';
    case 'regex': return '^[a-z]+$';
    case 'duration': return `P${random.int(1, 30)}D`;
    case 'password': return chars(random, ALNUM, 12);
    case 'binary': return chars(random, ALNUM, 16);
    default: return undefined;
  }
}

/** String values by property name: the first rule whose pattern matches the name wins. */
const STRING_RULES: readonly [RegExp, (random: Random) => string][] = [
  [/e-?mail/i, email],
  [/^(first|given)_?name$/i, (r) => r.pick(FIRST)],
  [/^(last|family|sur)_?name$/i, (r) => r.pick(LAST)],
  [/^(user_?name|login|handle|nickname)$/i, (r) => `${r.pick(FIRST).toLowerCase()}${r.int(1, 99)}`],
  [/^(name|full_?name|display_?name|author|contact|owner_?name|customer_?name)$/i, (r) => `${r.pick(FIRST)} ${r.pick(LAST)}`],
  [/(phone|mobile|fax|^tel)/i, (r) => `+3120${r.int(1_000_000, 9_999_999)}`],
  [/(city|town)$/i, (r) => r.pick(CITIES)],
  [/country_?code$/i, (r) => r.pick(COUNTRY_CODES)],
  [/country$/i, (r) => r.pick(COUNTRIES)],
  [/currency/i, (r) => r.pick(CURRENCIES)],
  [/(company|organi[sz]ation)(_?name)?$/i, (r) => r.pick(COMPANIES)],
  [/(street|address(_?line)?\d?)$/i, (r) => `${r.int(1, 200)} ${r.pick(STREETS)}`],
  [/(zip|postal_?code|postcode)$/i, (r) => String(r.int(10000, 99999))],
  [/(url|uri|href|link|website|homepage)$/i, url],
  [/(description|summary|bio|comment|message|notes?|body|text|content)$/i, (r) => r.pick(SENTENCES)],
  [/(title|subject|headline|label)$/i, (r) => r.pick(TITLES)],
  [/(uuid|guid)$/i, uuid],
  [/((^|_)id|Id|ID)$/, (r) => chars(r, ALNUM, 12)],
  [/(_at|At|[dD]ate|[tT]imestamp)$/, (r) => `${date(r)}T${time(r)}`],
  [/(slug)$/i, (r) => `${r.pick(WORDS)}-${r.pick(WORDS)}`],
  [/(token|secret|api_?key|hash|sha|digest)$/i, (r) => chars(r, HEX, 32)],
  [/(colou?r)$/i, (r) => `#${chars(r, HEX, 6)}`],
  [/(lang|language|locale)$/i, (r) => r.pick(['en-GB', 'nl-NL', 'pt-PT', 'ja-JP'])],
  [/status$/i, (r) => r.pick(['active', 'pending', 'done'])],
];

/** A plausible string for a property called `name`, or undefined when no rule knows the name. */
export function stringForName(name: string | undefined, random: Random): string | undefined {
  if (name === undefined) return undefined;
  return STRING_RULES.find(([pattern]) => pattern.test(name))?.[1](random);
}

/** A plausible word-like string when nothing better is known. */
export const word = (random: Random) => random.pick(WORDS);

/** Ranges for numbers by property name: [min, max, decimals]. */
const NUMBER_RULES: readonly [RegExp, number, number, number][] = [
  [/(price|amount|cost|total|fee|balance|salary|subtotal)$/i, 1, 500, 2],
  [/(^age)$/i, 18, 90, 0],
  [/(year)$/i, 1990, 2026, 0],
  [/(^lat|latitude)$/i, -90, 90, 5],
  [/(lng|lon|longitude)$/i, -180, 180, 5],
  [/(percent|percentage|ratio|rate)$/i, 0, 100, 1],
  [/(count|quantity|qty|size|number|total_\w+)$/i, 1, 100, 0],
  [/((^|_)id|Id|ID)$/, 1, 99_999, 0],
];

/** A plausible [min, max, decimals] for a number called `name` when the schema gives no bounds of its own. */
export function numberRangeForName(name: string | undefined): [number, number, number] {
  const rule = name === undefined ? undefined : NUMBER_RULES.find(([pattern]) => pattern.test(name));
  return rule ? [rule[1], rule[2], rule[3]] : [1, 100, 0];
}
