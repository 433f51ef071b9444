/**
 * Compliance rules shared by every module that publishes words to customers: the
 * advertising-law check (messages now, content and group posts later). Pure functions;
 * the optional extra dictionary is read from ../shared/data when present.
 */
export { createAdLawChecker, checkAdLaw, type AdLawChecker, type AdLawFinding, type AdLawOptions, type AdLawResult, type AdLawTier, type AdLawVerdict, type AdLawSource } from './ad-law.ts';
export { BLOCK_TERMS, WARN_TERMS, ALLOWED_PHRASES } from './ad-law-terms.ts';
export { extraDictionary, loadExtraDictionary, SENSITIVE_WORDS_DIR, type ExtraDictionary } from './dictionary.ts';
export { normalizeForMatching, normalizeTerm } from './normalize.ts';
export { AhoCorasick, type Match } from './aho-corasick.ts';
