/**
 * What a tag rule may say beyond its shape: the event types it can watch. Pure; the
 * service runs it after the schema, so every problem comes back with its field path.
 */
import { invalid, type ErrorDetail } from '../../platform/errors.ts';
import { KNOWN_EVENT_TYPES, ORDER_EVENT_TYPES } from '../events/index.ts';
import type { RuleDefinition } from './tags.schemas.ts';

const CUSTOM_TYPE_RE = /^custom\.[a-z0-9][a-z0-9_.-]{0,62}$/;
const WATCHABLE: ReadonlySet<string> = new Set<string>([...KNOWN_EVENT_TYPES, ...ORDER_EVENT_TYPES]);

/** Event types a rule can count: the known ones, order status events and custom.* types. */
export function isWatchableEventType(type: string): boolean {
  return WATCHABLE.has(type) || CUSTOM_TYPE_RE.test(type);
}

/** The event types a console picker offers (custom types are typed in). */
export function watchableEventTypes(): string[] {
  return [...WATCHABLE].sort();
}

/** Problems of a parsed definition, each with its path under `prefix`. */
export function definitionProblems(def: RuleDefinition, prefix = 'definition'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  def.conditions.forEach((c, i) => {
    const at = `${prefix}.conditions[${i}]`;
    if (c.type === 'event') {
      if (c.eventType.startsWith('tag.')) {
        // Tag events come from tag changes: a rule over them would feed on itself.
        problems.push({ field: `${at}.eventType`, reason: 'reserved_type', message: 'Rules cannot watch tag.* events' });
      } else if (!isWatchableEventType(c.eventType)) {
        problems.push({ field: `${at}.eventType`, reason: 'unknown_type', message: `Unknown event type ${c.eventType}; custom types start with "custom."` });
      }
    }
  });
  return problems;
}

export function assertValidDefinition(def: RuleDefinition, prefix = 'definition'): void {
  const problems = definitionProblems(def, prefix);
  if (problems.length) throw invalid('tag_rule.invalid_definition', 'The rule definition is not valid', problems);
}
