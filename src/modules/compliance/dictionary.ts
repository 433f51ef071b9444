/**
 * The optional extra warn-tier dictionary: advertising word lists (files named 广告*) from
 * the public sensitive-word collections in ../shared/data/sensitive-words beside the project
 * checkout. They are read from there when present and never copied into the repository;
 * without the folder the checker runs on Siyu's own lists alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/config.ts';
import { normalizeTerm } from './normalize.ts';

export const SENSITIVE_WORDS_DIR = path.resolve(projectRoot, '..', 'shared', 'data', 'sensitive-words');

export interface ExtraDictionary {
  words: string[];
  files: string[];
}

function findAdvertisingFiles(dir: string, acc: string[] = [], depth = 0): string[] {
  if (depth > 3) return acc;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findAdvertisingFiles(p, acc, depth + 1);
    else if (entry.name.startsWith('广告') && entry.name.endsWith('.txt')) acc.push(p);
  }
  return acc;
}

/**
 * Reads the advertising lists under `dir` (one word per line). Words shorter than two
 * characters after normalisation are dropped: single letters would flag every message.
 * Returns null when the folder is absent.
 */
export function loadExtraDictionary(dir = SENSITIVE_WORDS_DIR): ExtraDictionary | null {
  if (!fs.existsSync(dir)) return null;
  const files = findAdvertisingFiles(dir).sort();
  const words = new Set<string>();
  for (const file of files) {
    for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
      const word = line.trim();
      if (normalizeTerm(word).length >= 2) words.add(word);
    }
  }
  return { words: [...words], files: files.map((f) => path.relative(dir, f)) };
}

let cached: ExtraDictionary | null | undefined;

/** The dictionary of the default folder, read once per process. */
export function extraDictionary(): ExtraDictionary | null {
  if (cached === undefined) cached = loadExtraDictionary();
  return cached;
}
