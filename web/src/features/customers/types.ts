/** Shapes of the customers API replies the console reads (dates arrive as ISO strings). */

export type ConsentStatus = 'granted' | 'denied' | 'unknown';

export interface CustomerSummary {
  id: number;
  name: string | null;
  nickname: string | null;
  /** Masked (138****8888) unless the user holds customers.pii. */
  mobile: string | null;
  gender: string;
  city: string | null;
  consentStatus: string;
  sourceChannel: string | null;
  ownerUserId: string | null;
  joinedAt: string | null;
  paidOrderCount: number;
  paidAmountFen: number;
  /** Not sent by every server version; the list shows it when present. */
  lastOrderAt?: string | null;
  lastInteractionAt: string | null;
  createdAt: string;
}

export interface CustomerPage {
  items: CustomerSummary[];
  nextCursor: number | null;
}

export interface OrderWindow {
  orders: number;
  amountFen: number;
}

export interface CustomerStats {
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  paidOrderCount: number;
  /** Net of refunds. */
  paidAmountFen: number;
  refundedAmountFen: number;
  windows: { d30: OrderWindow; d90: OrderWindow; d180: OrderWindow; d365: OrderWindow };
  firstInteractionAt: string | null;
  lastInteractionAt: string | null;
  interactionCount: number;
  daysSinceJoined: number | null;
}

export interface IdentityView {
  id: number;
  type: string;
  scope: string;
  value: string;
  verified: boolean;
  source: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface ConsentView {
  id: number;
  purpose: string;
  channel: string;
  status: string;
  source: string | null;
  recordedAt: string;
}

export interface CustomerProfile {
  id: number;
  mergedInto: number | null;
  name: string | null;
  nickname: string | null;
  gender: string;
  birthday: string | null;
  province: string | null;
  city: string | null;
  mobile: string | null;
  email: string | null;
  consentStatus: string;
  consentUpdatedAt: string | null;
  sourceChannel: string | null;
  sourceLure: string | null;
  ownerUserId: string | null;
  attributes: Record<string, unknown>;
  joinedAt: string | null;
  createdAt: string;
  updatedAt: string;
  identities: IdentityView[];
  consents: ConsentView[];
  stats: CustomerStats | null;
}

/** The editable profile fields (PATCH /customers/:id). */
export interface CustomerPatch {
  name?: string | null;
  nickname?: string | null;
  gender?: 'male' | 'female' | 'unknown';
  birthday?: string | null;
  province?: string | null;
  city?: string | null;
  sourceChannel?: string | null;
  sourceLure?: string | null;
  ownerUserId?: string | null;
  attributes?: Record<string, string | number | boolean | null>;
}

export type TimelineKind = 'event' | 'note' | 'consent' | 'merge' | 'unmerge';

export interface TimelineItem {
  kind: TimelineKind;
  at: string;
  id: string;
  /** Event type; consent status; merge reason. */
  type: string | null;
  data: unknown;
}

export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}

export interface MergeData {
  mergeId: string;
  survivorId: number;
  mergedId: number;
  actorType?: string;
  actorId?: string | null;
  undoneAt?: string | null;
  undoneBy?: string | null;
}

export interface Note {
  id: string;
  customerId: number;
  body: string;
  authorUserId: string | null;
  createdAt: string;
}

export interface MergeResult {
  mergeId: string;
  survivorId: number;
  mergedId: number;
}

export interface UndoResult {
  mergeId: string;
  survivorId: number;
  restoredId: number;
}

export interface ReviewCustomer {
  id: number;
  name: string | null;
  nickname: string | null;
  mobile: string | null;
  mergedInto: number | null;
}

export interface MergeReview {
  id: string;
  kind: string;
  status: string;
  customerA: ReviewCustomer;
  customerB: ReviewCustomer;
  details: unknown;
  createdAt: string;
  decidedAt: string | null;
}

export interface ReviewPage {
  items: MergeReview[];
  nextCursor: string | null;
}

export interface ResolveResult {
  id: string;
  status: string;
  mergeId: string | null;
}

export interface IdentityType {
  key: string;
  labelZh: string;
  labelEn: string;
  strength: 'strong' | 'weak' | 'strong_if_verified';
  isScoped: boolean;
  normalizer: string;
  isBuiltin: boolean;
}

export interface AttributeDefinition {
  key: string;
  labelZh: string;
  labelEn: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'enum';
  options: string[];
}
