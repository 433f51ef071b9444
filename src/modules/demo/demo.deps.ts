import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isAppError } from '../../platform/errors.ts';
import { systemContext, type WorkspaceContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AccessModule } from '../access/index.ts';
import type { CustomersModule } from '../customers/index.ts';
import type { EventsModule } from '../events/index.ts';
import type { OrdersModule } from '../orders/index.ts';

/** Outcome counts of one events batch (POST /api/v1/events semantics). */
export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: { status: string; field?: string | undefined; reason?: string | undefined; message?: string | undefined }[];
}

/** Outcome counts of one orders batch. */
export interface UpsertSummary {
  created: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  results: { status: string; field?: string | undefined; reason?: string | undefined; message?: string | undefined }[];
}

/**
 * What the demo needs from the rest of Siyu, wired by the composition: the real ingestion
 * services (the service path goes through exactly what integrators use), workspace members and
 * attribute definitions.
 */
export interface DemoDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  ingestEvents(ctx: WorkspaceContext, events: readonly unknown[], options: { source: string; audit: boolean }): Promise<IngestSummary>;
  upsertOrders(ctx: WorkspaceContext, orders: readonly unknown[], options: { source: string; audit: boolean }): Promise<UpsertSummary>;
  workspaceTimeZone(workspaceId: string): Promise<string | null>;
  /** Adds an operator to the workspace; resolves to the member's user id (existing members too). */
  ensureMember(ctx: WorkspaceContext, member: { email: string; name: string; role: 'operator' }): Promise<string>;
  /** Defines a custom enum attribute unless it exists. */
  ensureAttribute(ctx: WorkspaceContext, def: { key: string; labelZh: string; labelEn: string; options: string[] }): Promise<void>;
}

/** The modules the demo is wired to (through their public surfaces). */
export interface DemoModules {
  access: AccessModule;
  customers: CustomersModule;
  events: EventsModule;
  orders: OrdersModule;
}

/** Adapts Siyu's modules to the demo's needs. */
export function demoDepsFrom(base: Pick<DemoDeps, 'database' | 'clock' | 'logger'>, m: DemoModules): DemoDeps {
  return {
    ...base,
    ingestEvents: (ctx, events, options) => m.events.ingestEvents(ctx, events, options),
    upsertOrders: (ctx, orders, options) => m.orders.upsertOrders(ctx, orders, options),
    workspaceTimeZone: async (workspaceId) => {
      try {
        return (await m.access.workspaces.getWorkspace(systemContext(workspaceId, 'demo'))).timeZone;
      } catch (err) {
        if (isAppError(err) && err.code === 'workspace.not_found') return null;
        throw err;
      }
    },
    ensureMember: async (ctx, member) => {
      try {
        return (await m.access.members.add(ctx, member)).userId;
      } catch (err) {
        if (!isAppError(err) || err.code !== 'member.exists') throw err;
        const members = await m.access.members.list(ctx);
        return members.find((x) => x.email === member.email)!.userId;
      }
    },
    ensureAttribute: async (ctx, def) => {
      try {
        await m.customers.settings.addAttribute(ctx, { ...def, type: 'enum' });
      } catch (err) {
        if (!isAppError(err) || err.code !== 'attribute.exists') throw err;
      }
    },
  };
}
