/** Shapes of the segments and scoring replies the console reads (dates arrive as ISO strings). */
import type { CustomerSummary } from '../customers/types.ts';
import type { Rule } from './rule/types.ts';

export type SegmentStatus = 'active' | 'paused';

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  rule: Rule;
  status: SegmentStatus;
  isTimeRelative: boolean;
  memberCount: number;
  lastChangeAt: string | null;
  evaluatedAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A row of the customer lists behind a rule or a segment: the customers list's row. */
export type CustomerRow = CustomerSummary;

export interface MemberRow extends CustomerRow {
  enteredAt: string;
}

export interface KeysetPage<T> {
  items: T[];
  nextCursor: number | null;
}

export interface PreviewResult {
  count: number;
  sample: CustomerRow[];
  tookMs: number;
}

export interface HistoryItem {
  id: number;
  segmentId: string;
  segmentName: string;
  customerId: number;
  customerName: string | null;
  change: 'entered' | 'exited';
  at: string;
  cause: string;
}

export interface TagMembersResult {
  requested: number;
  changed: number;
  unchanged: number;
  skipped: number;
}

export interface TagOption {
  id: string;
  groupId: string;
  name: string;
  kind: string;
  color: string;
  customerCount: number;
}

export interface IdentityTypeOption {
  key: string;
  labelZh: string;
  labelEn: string;
  isScoped: boolean;
}

export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'enum';

export interface AttributeOption {
  key: string;
  labelZh: string;
  labelEn: string;
  type: AttributeType;
  options: string[];
}

export const TRANSITION_DIMENSIONS = ['rfm_class', 'lifecycle_days', 'lifecycle_stage', 'lifecycle_business', 'value_layer', 'consumption_tier'] as const;
export type TransitionDimension = (typeof TRANSITION_DIMENSIONS)[number];

export interface TransitionCustomer {
  customerId: number;
  name: string | null;
  nickname: string | null;
}
