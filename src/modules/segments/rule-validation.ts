/**
 * Checks a structurally valid rule against what the workspace defines: custom attributes and
 * their types, identity types, tags, members. Pure: the service loads the catalog.
 */
import type { ErrorDetail } from '../../platform/errors.ts';
import { formatPath } from '../../platform/validation.ts';
import type { AttributeType } from './rule-compiler.ts';
import { ENUM_OPS, NUMBER_OPS, TEXT_OPS, TIME_OPS, type ConditionOf, type Rule } from './segments.schemas.ts';

export interface RuleCatalog {
  attributes: ReadonlyMap<string, { type: AttributeType; options: readonly string[] }>;
  identityTypes: ReadonlySet<string>;
  /** The referenced tag ids that exist. */
  tagIds: ReadonlySet<string>;
  /** The referenced owner ids that are members of the workspace. */
  memberIds: ReadonlySet<string>;
}

type Path = (string | number)[];
type Visit = (node: Rule, path: Path) => void;

export function walkRule(rule: Rule, visit: Visit, path: Path = []): void {
  visit(rule, path);
  if (rule.type === 'and' || rule.type === 'or') rule.children.forEach((c, i) => walkRule(c, visit, [...path, 'children', i]));
  else if (rule.type === 'not') walkRule(rule.child, visit, [...path, 'child']);
}

/** Tag and owner ids a rule refers to (to load only those). */
export function referencedIds(rule: Rule): { tagIds: string[]; ownerIds: string[] } {
  const tagIds = new Set<string>();
  const ownerIds = new Set<string>();
  walkRule(rule, (n) => {
    if (n.type === 'tags') n.value.forEach((id) => tagIds.add(id));
    if (n.type === 'owner') n.value?.forEach((id) => ownerIds.add(id));
  });
  return { tagIds: [...tagIds], ownerIds: [...ownerIds] };
}

const ATTRIBUTE_OPS: Record<AttributeType, readonly string[]> = {
  string: TEXT_OPS,
  enum: ENUM_OPS,
  number: [...NUMBER_OPS, 'is_set', 'is_not_set'],
  boolean: ['eq', 'neq', 'is_set', 'is_not_set'],
  date: TIME_OPS,
};

/** Every problem with its path (`rule.children[1].key`) and a stable reason. */
export function checkRuleAgainst(rule: Rule, catalog: RuleCatalog, prefix = 'rule'): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const add = (path: Path, reason: string, message: string) => details.push({ field: formatPath(path, prefix), reason, message });
  walkRule(rule, (n, path) => {
    if (n.type === 'attribute') checkAttribute(n, path, catalog, add);
    else if (n.type === 'identity' && !catalog.identityTypes.has(n.identityType)) {
      add([...path, 'identityType'], 'unknown_identity_type', `No identity type ${n.identityType} in this workspace`);
    } else if (n.type === 'tags') {
      n.value.forEach((id, i) => {
        if (!catalog.tagIds.has(id)) add([...path, 'value', i], 'unknown_tag', `No tag ${id} in this workspace`);
      });
    } else if (n.type === 'owner') {
      n.value?.forEach((id, i) => {
        if (!catalog.memberIds.has(id)) add([...path, 'value', i], 'unknown_owner', `${id} is not a member of this workspace`);
      });
    }
  });
  return details;
}

const prefixPath = (path: Path, rest: Path) => (rest.length ? [...path, ...rest] : path);

function checkAttribute(n: ConditionOf<'attribute'>, path: Path, catalog: RuleCatalog, add: (path: Path, reason: string, message: string) => void): void {
  const def = catalog.attributes.get(n.key);
  if (!def) return add([...path, 'key'], 'unknown_attribute', `No custom attribute ${n.key} in this workspace`);
  if (!ATTRIBUTE_OPS[def.type].includes(n.op)) {
    return add([...path, 'op'], 'invalid_op', `A ${def.type} attribute takes ${ATTRIBUTE_OPS[def.type].join(', ')}`);
  }
  if (n.value === undefined) return;
  const values = Array.isArray(n.value) ? n.value : [n.value];
  const at = (i: number): Path => prefixPath(path, Array.isArray(n.value) ? ['value', i] : ['value']);
  values.forEach((v, i) => {
    const relative = n.op === 'in_last_days' || n.op === 'more_than_days_ago';
    if (def.type === 'number' && typeof v !== 'number') add(at(i), 'invalid_value', `${n.key} is a number`);
    else if (def.type === 'boolean' && typeof v !== 'boolean') add(at(i), 'invalid_value', `${n.key} is true or false`);
    else if (def.type === 'date' && !relative && (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v))) add(at(i), 'invalid_value', `${n.key} is a day YYYY-MM-DD`);
    else if ((def.type === 'string' || def.type === 'enum') && typeof v !== 'string') add(at(i), 'invalid_value', `${n.key} is text`);
    else if (def.type === 'enum' && def.options.length && !def.options.includes(v as string)) add(at(i), 'invalid_value', `${n.key} is one of ${def.options.join(', ')}`);
  });
}
