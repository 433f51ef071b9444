/**
 * Message templates: `{nickname}` inserts a variable, `{nickname|朋友}` gives a fallback for
 * when it is missing, `{{` and `}}` are literal braces. A variable that is missing (absent,
 * null or empty) and has no fallback fails the render with its name — a message never goes
 * out as "Hi {name}". Pure.
 */

export type TemplatePart = { text: string } | { variable: string; fallback: string | null };

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** Variable names in order of first use. */
  variables: string[];
}

export class TemplateSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'TemplateSyntaxError';
    this.position = position;
  }
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,40}(\.[A-Za-z0-9_]{1,40})?$/;

export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if ((ch === '{' || ch === '}') && source[i + 1] === ch) {
      text += ch;
      i += 2;
      continue;
    }
    if (ch === '}') throw new TemplateSyntaxError('A closing brace without an opening one (write }} for a literal brace)', i);
    if (ch !== '{') {
      text += ch;
      i++;
      continue;
    }
    const close = source.indexOf('}', i + 1);
    if (close === -1) throw new TemplateSyntaxError('A variable is not closed with }', i);
    const inner = source.slice(i + 1, close);
    const bar = inner.indexOf('|');
    const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    if (!NAME.test(name)) throw new TemplateSyntaxError(`Not a variable name: {${inner}} (write {{ for a literal brace)`, i);
    if (text) parts.push({ text });
    text = '';
    parts.push({ variable: name, fallback: bar === -1 ? null : inner.slice(bar + 1) });
    if (!variables.includes(name)) variables.push(name);
    i = close + 1;
  }
  if (text) parts.push({ text });
  return { parts, variables };
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

export type Variables = Readonly<Record<string, string | number | boolean | null | undefined>>;

export function renderTemplate(template: ParsedTemplate, variables: Variables): RenderResult {
  let text = '';
  const missing: string[] = [];
  for (const part of template.parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    const value = variables[part.variable];
    const present = value !== undefined && value !== null && String(value).trim() !== '';
    if (present) text += String(value);
    else if (part.fallback !== null) text += part.fallback;
    else if (!missing.includes(part.variable)) missing.push(part.variable);
  }
  return missing.length ? { ok: false, missing } : { ok: true, text };
}

/** The variables a customer brings to every message (custom attributes as attr.<key>). */
export interface RecipientFields {
  name: string | null;
  nickname: string | null;
  city: string | null;
  province: string | null;
  attributes: Record<string, unknown> | null;
}

export const CUSTOMER_VARIABLES = ['nickname', 'name', 'city', 'province'] as const;

export function customerVariables(r: RecipientFields): Record<string, string | number | boolean | null> {
  const vars: Record<string, string | number | boolean | null> = { nickname: r.nickname, name: r.name, city: r.city, province: r.province };
  for (const [key, value] of Object.entries(r.attributes ?? {})) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) vars[`attr.${key}`] = value as string | number | boolean | null;
  }
  return vars;
}

const cache = new Map<string, ParsedTemplate>();

/** Parses with a small cache: a batch renders the same template for every customer. */
export function parseCached(source: string): ParsedTemplate {
  let parsed = cache.get(source);
  if (!parsed) {
    parsed = parseTemplate(source);
    if (cache.size > 500) cache.clear();
    cache.set(source, parsed);
  }
  return parsed;
}

/** For previews: renders what it can and leaves missing variables as {name} in the text. */
export function renderPreview(template: ParsedTemplate, variables: Variables): { text: string; missing: string[] } {
  let text = '';
  const missing: string[] = [];
  for (const part of template.parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    const value = variables[part.variable];
    if (value !== undefined && value !== null && String(value).trim() !== '') text += String(value);
    else if (part.fallback !== null) text += part.fallback;
    else {
      text += `{${part.variable}}`;
      if (!missing.includes(part.variable)) missing.push(part.variable);
    }
  }
  return { text, missing };
}
