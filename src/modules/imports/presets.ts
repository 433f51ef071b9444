/**
 * Mappings by name (the shipped presets) or from a JSON file, with ${param} values filled in
 * and every problem reported with the key at fault.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalid, type ErrorDetail } from '../../platform/errors.ts';
import { issuesToDetails } from '../../platform/validation.ts';
import { MappingSchema, type Mapping } from './mapping.ts';

export const PRESETS_DIR = path.join(import.meta.dirname, 'presets');

export const PRESET_NAMES = fs
  .readdirSync(PRESETS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

export function isPresetName(name: string): boolean {
  return PRESET_NAMES.includes(name);
}

/** A preset's JSON as shipped (before params are filled in). */
export function readPreset(name: string): Record<string, unknown> {
  if (!isPresetName(name)) {
    throw invalid('import.unknown_preset', `No preset "${name}"; presets: ${PRESET_NAMES.join(', ')}`, [
      { field: 'mapping', reason: 'unknown_preset', message: `Known presets: ${PRESET_NAMES.join(', ')}` },
    ]);
  }
  return JSON.parse(fs.readFileSync(path.join(PRESETS_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Reads a mapping given as a preset name or a path to a JSON file. */
export function readMappingSource(nameOrFile: string): Record<string, unknown> {
  if (isPresetName(nameOrFile)) return readPreset(nameOrFile);
  if (!nameOrFile.endsWith('.json') && !fs.existsSync(nameOrFile)) return readPreset(nameOrFile);
  let text: string;
  try {
    text = fs.readFileSync(nameOrFile, 'utf8');
  } catch (err) {
    throw invalid('import.mapping_unreadable', `Cannot read mapping file ${nameOrFile}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw invalid('import.invalid_mapping', `The mapping file ${nameOrFile} is not valid JSON: ${(err as Error).message}`, [
      { field: 'mapping', reason: 'invalid_json', message: (err as Error).message },
    ]);
  }
}

const PARAM_RE = /\$\{([A-Za-z][A-Za-z0-9_]{0,40})\}/g;

/** Replaces ${name} in every string of the mapping; unknown or unset params are errors. */
export function fillParams(raw: unknown, params: Record<string, string>): unknown {
  const missing = new Set<string>();
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(PARAM_RE, (_, name: string) => {
        const value = params[name];
        if (value === undefined) missing.add(name);
        return value ?? '';
      });
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'params' ? x : fill(x)]));
    }
    return v;
  };
  const out = fill(raw);
  if (missing.size) {
    const declared = (raw as { params?: Record<string, string> }).params ?? {};
    const details: ErrorDetail[] = [...missing].map((name) => ({
      field: `params.${name}`,
      reason: 'missing_param',
      message: declared[name] ? `${declared[name]} (pass --param ${name}=...)` : `pass --param ${name}=...`,
    }));
    throw invalid('import.missing_param', `The mapping needs ${[...missing].join(', ')}`, details);
  }
  return out;
}

/** Validates a mapping; errors name the bad key, e.g. `mapping.status.map.交易成功`. */
export function parseMapping(raw: unknown, params: Record<string, string> = {}): Mapping {
  const filled = fillParams(raw, params);
  const result = MappingSchema.safeParse(filled);
  if (result.success) return result.data;
  throw invalid('import.invalid_mapping', 'The mapping is not valid', issuesToDetails(result.error.issues, 'mapping.'));
}

/** A mapping by preset name or JSON file path, validated. */
export function loadMapping(nameOrFile: string, params: Record<string, string> = {}): { mapping: Mapping; raw: Record<string, unknown>; presetName: string | null } {
  const raw = readMappingSource(nameOrFile);
  return { mapping: parseMapping(raw, params), raw, presetName: isPresetName(nameOrFile) ? nameOrFile : null };
}

/** Every preset with its description and the parameters it needs, for the console. */
export function listPresets() {
  return PRESET_NAMES.map((name) => {
    const raw = readPreset(name) as { kind: string; description?: string; params?: Record<string, string> };
    return { name, kind: raw.kind, description: raw.description ?? '', params: raw.params ?? {}, mapping: raw as Record<string, unknown> };
  });
}
