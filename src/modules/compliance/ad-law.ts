/**
 * The advertising-law check: finds list terms in a text after normalisation (so spacing,
 * punctuation, full-width and traditional variants do not evade it) with one Aho–Corasick
 * pass, and returns the verdict (block > warn > ok) with every finding located in the
 * original text for highlighting.
 */
import { AhoCorasick } from './aho-corasick.ts';
import { ALLOWED_PHRASES, BLOCK_TERMS, WARN_TERMS } from './ad-law-terms.ts';
import { extraDictionary } from './dictionary.ts';
import { normalizeForMatching, normalizeTerm } from './normalize.ts';

export type AdLawTier = 'block' | 'warn';
export type AdLawSource = 'statute' | 'practice' | 'workspace' | 'dictionary';
export type AdLawVerdict = 'ok' | 'warn' | 'block';

export interface AdLawFinding {
  /** The list term that matched (as listed). */
  term: string;
  tier: AdLawTier;
  source: AdLawSource;
  /** [start, end) in the checked text, and the text there (which may be a variant). */
  start: number;
  end: number;
  matched: string;
}

export interface AdLawResult {
  verdict: AdLawVerdict;
  findings: AdLawFinding[];
}

export interface AdLawOptions {
  /** Extra statutory-tier terms of a workspace. */
  blockTerms?: readonly string[];
  /** Extra practice-tier terms of a workspace. */
  warnTerms?: readonly string[];
  /** Use the extra advertising dictionary from ../shared/data when present (default true). */
  useDictionary?: boolean;
}

interface Entry {
  term: string;
  tier: AdLawTier | 'allow';
  source: AdLawSource;
}

export interface AdLawChecker {
  check(text: string): AdLawResult;
  /** How many terms the automaton holds (for diagnostics and benchmarks). */
  size: number;
}

export function createAdLawChecker(options: AdLawOptions = {}): AdLawChecker {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const add = (terms: readonly string[], tier: Entry['tier'], source: AdLawSource) => {
    for (const term of terms) {
      const key = `${tier}:${normalizeTerm(term)}`;
      if (!normalizeTerm(term) || seen.has(key)) continue;
      seen.add(key);
      entries.push({ term, tier, source });
    }
  };
  add(BLOCK_TERMS, 'block', 'statute');
  add(options.blockTerms ?? [], 'block', 'workspace');
  add(WARN_TERMS, 'warn', 'practice');
  add(options.warnTerms ?? [], 'warn', 'workspace');
  if (options.useDictionary !== false) add(extraDictionary()?.words ?? [], 'warn', 'dictionary');
  add(ALLOWED_PHRASES, 'allow', 'practice');
  const matcher = new AhoCorasick(entries.map((e) => normalizeTerm(e.term)));

  function check(text: string): AdLawResult {
    const norm = normalizeForMatching(text);
    const matches = matcher.search(norm.text);
    const allowed = matches.filter((m) => entries[m.pattern]!.tier === 'allow');
    const findings: AdLawFinding[] = [];
    const reported = new Set<string>();
    for (const m of matches) {
      const entry = entries[m.pattern]!;
      if (entry.tier === 'allow') continue;
      // A warn term inside an ordinary phrase ("第一" in "第一次") is not a claim.
      if (entry.tier === 'warn' && allowed.some((a) => a.start <= m.start && a.end >= m.end)) continue;
      if (!atWordBoundary(norm.text, m.start, m.end)) continue;
      const start = norm.origin[m.start]!;
      const end = norm.originEnd[m.end - 1]!;
      const key = `${entry.tier}:${entry.term}:${start}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.push({ term: entry.term, tier: entry.tier, source: entry.source, start, end, matched: text.slice(start, end) });
    }
    findings.sort((a, b) => a.start - b.start || b.end - a.end);
    const verdict: AdLawVerdict = findings.some((f) => f.tier === 'block') ? 'block' : findings.length ? 'warn' : 'ok';
    return { verdict, findings };
  }

  return { check, size: entries.length };
}

const ALNUM = /[a-z0-9]/;

/** Latin and digit terms match whole tokens only: "no1" is not found in "no12345". */
function atWordBoundary(text: string, start: number, end: number): boolean {
  if (ALNUM.test(text[start]!) && start > 0 && ALNUM.test(text[start - 1]!)) return false;
  if (ALNUM.test(text[end - 1]!) && end < text.length && ALNUM.test(text[end]!)) return false;
  return true;
}

let defaultChecker: AdLawChecker | undefined;

/** The checker with Siyu's lists and the extra dictionary, built once. */
export function checkAdLaw(text: string): AdLawResult {
  defaultChecker ??= createAdLawChecker();
  return defaultChecker.check(text);
}
