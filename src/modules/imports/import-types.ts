/** What the import engine produces from a file: orders or customers ready to write, and row errors. */
import type { OrderStatus } from './mapping.ts';

export type { OrderStatus };

/** Where a row came from: the file (name within a directory import) and its line. */
export interface SourceLine {
  file: string;
  line: number;
}

export interface RowError extends SourceLine {
  /** The column at fault, when one is. */
  column: string | null;
  value: string | null;
  /** Stable reason code, e.g. invalid_date, unknown_status, missing_value. */
  reason: string;
  message: string;
}

export interface IdentityValue {
  type: string;
  scope: string;
  value: string;
  verified: boolean;
}

export interface ImportOrderItem {
  lineNo: number;
  sku: string | null;
  productId: string | null;
  name: string;
  category: string | null;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
}

export interface CustomerProfile {
  name?: string;
  nickname?: string;
  gender?: 'male' | 'female' | 'unknown';
  birthday?: string;
  province?: string;
  city?: string;
  email?: string;
  sourceChannel?: string;
  joinedAt?: Date;
}

export interface ImportOrder {
  platform: string;
  orderNo: string;
  store: string | null;
  currency: string;
  status: OrderStatus;
  totalFen: number;
  discountFen: number;
  shippingFen: number;
  paidFen: number;
  refundedFen: number;
  orderedAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
  refundedAt: Date | null;
  identities: IdentityValue[];
  profile: CustomerProfile;
  items: ImportOrderItem[];
  attributes: Record<string, string>;
  /** The rows this order was built from. */
  lines: SourceLine[];
}

export interface ImportCustomer {
  identities: IdentityValue[];
  profile: CustomerProfile;
  tags: string[];
  attributes: Record<string, string>;
  /** The event this row records (a WeCom friend added at its time), when the mapping asks for one. */
  event: { type: string; occurredAt: Date; properties: Record<string, string> } | null;
  lines: SourceLine[];
}
