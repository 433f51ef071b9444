/**
 * Messages follow customer merges: the survivor inherits the merged customer's ledger (so
 * caps count everything sent to the person), and an undo moves back the messages that were
 * decided for the restored customer.
 */
import type { MergeParticipant } from '../customers/index.ts';

export const messagesMergeParticipant: MergeParticipant = {
  name: 'messages',
  async onMerge(trx, workspaceId, fromCustomerId, toCustomerId) {
    await trx.updateTable('messages').set({ customer_id: toCustomerId }).where('workspace_id', '=', workspaceId).where('customer_id', '=', fromCustomerId).execute();
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
