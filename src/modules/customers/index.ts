/**
 * Customers and one identity (OneID): customers, identity types and identities, identity
 * resolution, merges and their undo, merge reviews, consent, notes, custom attributes,
 * per-customer aggregates, search, profile and timeline.
 *
 * Other modules write through `writes` (inside their own transaction) and take part in
 * merges by registering a MergeParticipant.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import type { CustomersDeps, MergeParticipant, Trx } from './customers.deps.ts';
import { BUILTIN_IDENTITY_TYPES } from './identity-types.ts';
import { loadIdentityTypes, lockWorkspaceIdentities } from './identity.repository.ts';
import { registerCustomersRoutes } from './customers.routes.ts';
import { createCustomersService } from './customers.service.ts';
import { createMergeEngine } from './merges.service.ts';
import { pinCustomers } from './merges.repository.ts';
import { createReviewsService } from './reviews.service.ts';
import { createSettingsService } from './settings.service.ts';
import { createIdentityResolver } from './resolve.service.ts';
import { createStatsService } from './stats.service.ts';
import { interactionDeltasFrom } from './stats.repository.ts';
import { createAnnouncer } from './change-feed.ts';

export type { CustomersDeps, CustomersChangedMessage, MergeParticipant, PublishChanged, Trx, WorkspaceDirectory } from './customers.deps.ts';
export type { Announce } from './change-feed.ts';
export type { CustomerAssertion, ResolvedRow, ResolutionSummary } from './resolve.service.ts';
export type { Interaction } from './stats.service.ts';
export { createAutoAnalyze, type AutoAnalyze } from './auto-analyze.ts';
export type { ProfileTraits } from './profile.ts';
export { normalizeIdentity, identityKey, BUILTIN_IDENTITY_TYPES, type Identity, type IdentityInput, type IdentityTypeDef } from './identity-types.ts';

/** Gives a new workspace the built-in identity types (in the creating transaction). */
export async function copyBuiltinIdentityTypes(trx: Trx, workspaceId: string): Promise<void> {
  await trx
    .insertInto('identity_types')
    .values(
      BUILTIN_IDENTITY_TYPES.map((t) => ({
        workspace_id: workspaceId,
        key: t.key,
        label_zh: t.labelZh,
        label_en: t.labelEn,
        strength: t.strength,
        is_scoped: t.isScoped,
        normalizer: t.normalizer,
        is_builtin: true,
      })),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
    .execute();
}

export function createCustomersModule(deps: CustomersDeps) {
  const participants: MergeParticipant[] = [];
  const announce = createAnnouncer(deps.publishChanged);
  const merges = createMergeEngine({ participants, announce });
  const resolver = createIdentityResolver({ merges });
  const stats = createStatsService({ ...deps, announce });
  const service = createCustomersService({ ...deps, announce });
  const reviews = createReviewsService({ ...deps, merges });
  const settings = createSettingsService(deps);

  return {
    /** Rows owned by other modules follow merges and undos through these (composition registers them). */
    registerMergeParticipant(participant: MergeParticipant): void {
      participants.push(participant);
    },
    /** The write port for events, orders and imports; every function runs in the caller's transaction. */
    writes: {
      /** Serialises identity resolution of a workspace until the transaction ends. */
      lock: lockWorkspaceIdentities,
      loadIdentityTypes,
      resolve: resolver.resolve,
      applyInteractions: stats.applyInteractions,
      /** The interaction aggregates as a statement over rows of the caller's statement (see stats.repository.ts). */
      interactionsFrom: interactionDeltasFrom,
      recomputeOrders: stats.recomputeOrders,
      /** Publishes customers.changed for these customers in the caller's transaction. */
      announce,
      /** For writes outside the identity lock: holds the customers against merges until commit, mapping each to its survivor. */
      pin: pinCustomers,
    },
    stats,
    merges,
    /** Read and operator use cases (API, CLI, console). */
    service,
    reviews,
    settings,
    onWorkspaceCreated: copyBuiltinIdentityTypes,
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerCustomersRoutes(app, authenticator, { customers: service, reviews, settings });
    },
  };
}

export type CustomersModule = ReturnType<typeof createCustomersModule>;
/** What events, orders and imports need from customers. */
export type CustomerWrites = CustomersModule['writes'];
