/** Shapes of the tags API replies the console reads (dates arrive as ISO strings). */

export const TAG_KINDS = ['static', 'consumption', 'tier'] as const;
export type TagKind = (typeof TAG_KINDS)[number];
export type TagSource = 'manual' | 'rule' | 'import' | 'sync';

export interface TagView {
  id: string;
  groupId: string;
  name: string;
  kind: TagKind;
  color: string;
  description: string | null;
  customerCount: number;
  ruleCount: number;
}

export interface GroupView {
  id: string;
  name: string;
  kind: TagKind;
  description: string | null;
  tags: TagView[];
}

export const FILTER_OPS = ['eq', 'neq', 'in', 'contains', 'gte', 'lte', 'exists'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface PropertyFilter {
  property: string;
  op: FilterOp;
  value?: string | number | boolean | (string | number)[];
}

export interface EventCondition {
  type: 'event';
  eventType: string;
  filters: PropertyFilter[];
  minCount: number;
  windowDays: number | null;
}

export interface OrderCondition {
  type: 'order';
  productId?: string;
  category?: string;
  minCount: number;
  minAmountFen?: number;
  windowDays: number | null;
}

export type Condition = EventCondition | OrderCondition;

export interface RuleDefinition {
  match: 'all' | 'any';
  conditions: Condition[];
}

export interface TagRule {
  id: string;
  name: string;
  description: string | null;
  tagId: string;
  tagName: string;
  definition: RuleDefinition;
  enabled: boolean;
  appliedAt: string | null;
  /** False while the current version is still being applied to existing customers. */
  isApplied: boolean;
  customerCount: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RuleInput {
  name: string;
  description?: string | null;
  tagId: string;
  definition: RuleDefinition;
  enabled: boolean;
}

export interface PreviewResult {
  count: number;
  sample: number[];
}

export interface CustomerTag {
  tagId: string;
  name: string;
  groupId: string;
  groupName: string;
  kind: TagKind;
  color: string;
  source: TagSource;
  ruleId: string | null;
  ruleName: string | null;
  addedBy: string | null;
  addedAt: string;
  expiresAt: string | null;
}

export interface CustomerTagChange {
  customerId: number;
  tagId: string;
  changed: boolean;
}

export interface BulkResult {
  requested: number;
  changed: number;
  unchanged: number;
  skipped: number;
  skippedIds: number[];
}
