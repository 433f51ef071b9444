/** Pure helpers over a rule tree: immutable edits by path, error placement, URL encoding. */
import { isGroup, type Group, type NodePath, type Rule } from './types.ts';

/** A stable text key of a node path, for React keys, error lookup and test ids. */
export function pathKey(path: NodePath): string {
  return path.length ? path.join('.') : 'root';
}

/** The rule with the node at `path` replaced by `update(node)`; a null result removes the node from its group. */
export function updateAt(rule: Rule, path: NodePath, update: (node: Rule) => Rule | null): Rule | null {
  if (path.length === 0) return update(rule);
  const [head, ...rest] = path;
  if (head === 'child' && rule.type === 'not') {
    const child = updateAt(rule.child, rest, update);
    return child === null ? null : { ...rule, child };
  }
  if (head === 'children' && isGroup(rule)) {
    const index = rest[0] as number;
    const target = rule.children[index];
    if (!target) return rule;
    const next = updateAt(target, rest.slice(1), update);
    const children = next === null ? rule.children.filter((_, i) => i !== index) : rule.children.map((c, i) => (i === index ? next : c));
    return { ...rule, children };
  }
  return rule;
}

/** The root the editor works on: always a group, so conditions can be added next to a single one. */
export function asRootGroup(rule: Rule | null | undefined): Group {
  if (!rule) return { type: 'and', children: [] };
  return isGroup(rule) ? rule : { type: 'and', children: [rule] };
}

export interface NodeProblem {
  /** What inside the node is wrong (`value`, `window.to`), empty for the node itself. */
  field: string;
  reason: string;
  message: string;
}

/** Splits a server field like `rule.children[1].value` (or `rule.children.1.value`) into a path below the rule. */
export function parseField(field: string): NodePath {
  const parts = field
    .split(/[.[\]]/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return parts[0] === 'rule' ? parts.slice(1) : parts;
}

/**
 * Puts each validation detail of a 400 reply on the deepest node its path reaches, keyed by
 * pathKey; details about the name or other fields are left out.
 */
export function placeProblems(rule: Rule, details: readonly { field?: string; reason: string; message?: string }[]): Map<string, NodeProblem[]> {
  const out = new Map<string, NodeProblem[]>();
  for (const d of details) {
    if (d.field !== undefined && d.field !== 'rule' && !d.field.startsWith('rule.') && !d.field.startsWith('rule[')) continue;
    const parts = parseField(d.field ?? 'rule');
    let node: Rule | undefined = rule;
    let i = 0;
    while (node && i < parts.length) {
      if (parts[i] === 'children' && isGroup(node) && typeof parts[i + 1] === 'number' && node.children[parts[i + 1] as number]) {
        node = node.children[parts[i + 1] as number];
        i += 2;
      } else if (parts[i] === 'child' && node.type === 'not') {
        node = node.child;
        i += 1;
      } else break;
    }
    const key = pathKey(parts.slice(0, i));
    const list = out.get(key) ?? [];
    list.push({ field: parts.slice(i).join('.'), reason: d.reason, message: d.message ?? '' });
    out.set(key, list);
  }
  return out;
}

/** How many conditions (leaves) a rule holds. */
export function countConditions(rule: Rule): number {
  if (isGroup(rule)) return rule.children.reduce((n, c) => n + countConditions(c), 0);
  if (rule.type === 'not') return countConditions(rule.child);
  return 1;
}

/** The rule as sent: an empty group has nothing to send. */
export function isSendable(rule: Rule): boolean {
  return countConditions(rule) > 0;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `base64url(JSON)` of a rule, as in `/segments/explore?rule=…`. */
export function encodeRule(rule: Rule): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(rule)));
}

/** The rule of an explore link, or null when the text is not one. */
export function decodeRule(text: string | null): Rule | null {
  if (!text) return null;
  try {
    const padded = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string' ? (parsed as Rule) : null;
  } catch {
    return null;
  }
}

/** The explore page's address for a rule. */
export function exploreHref(rule: Rule): string {
  return `/segments/explore?rule=${encodeRule(rule)}`;
}

/** JSON with object keys sorted, so two rules compare by content (stored rules come back with keys reordered). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two rules say the same thing, key order aside. */
export function sameRule(a: Rule, b: Rule): boolean {
  return canonical(a) === canonical(b);
}
