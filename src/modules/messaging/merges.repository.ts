/**
 * Messages follow customer merges: the survivor inherits the merged customer's ledger (so
 * caps count everything sent to the person), and an undo moves back the messages that were
 * decided for the restored customer.
 */
import { sql } from 'kysely';
import type { MergeParticipant } from '../customers/index.ts';

export const messagesMergeParticipant: MergeParticipant = {
  name: 'messages',
  async onMerge(trx, workspaceId, fromCustomerId, toCustomerId) {
    await trx.updateTable('messages').set({ customer_id: toCustomerId }).where('workspace_id', '=', workspaceId).where('customer_id', '=', fromCustomerId).execute();
  },
  /** The merges of one ingestion batch in one statement. */
  async onMergeMany(trx, workspaceId, moves) {
    if (!moves.length) return;
    await sql`
      update messages m set customer_id = x.to_id
      from unnest(${moves.map((m) => m.from)}::bigint[], ${moves.map((m) => m.to)}::bigint[]) as x(from_id, to_id)
      where m.workspace_id = ${workspaceId} and m.customer_id = x.from_id`.execute(trx);
  },
  async onUnmerge(trx, workspaceId, _identityIds, toCustomerId, fromCustomerId) {
    await trx
      .updateTable('messages')
      .set({ customer_id: toCustomerId })
      .where('workspace_id', '=', workspaceId)
      .where('customer_id', '=', fromCustomerId)
      .where('origin_customer_id', '=', toCustomerId)
      .execute();
  },
};
