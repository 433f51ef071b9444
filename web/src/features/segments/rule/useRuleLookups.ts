import { useMemo } from 'react';
import { useSession } from '../../../app/auth/useAuth.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { lookupsApi } from '../api.ts';
import type { RuleLookups } from './editorContext.ts';

/** Tags, identity types, custom attributes and members of the workspace, for the conditions' pickers. */
export function useRuleLookups(): RuleLookups {
  const { workspace, can } = useSession();
  const ws = workspace?.id ?? '';
  const tags = useRemote(can('tags.read') ? `segment-lookups:tags:${ws}` : null, (signal) => lookupsApi.tags(signal));
  const identityTypes = useRemote(`segment-lookups:identity-types:${ws}`, (signal) => lookupsApi.identityTypes(signal));
  const attributes = useRemote(`segment-lookups:attributes:${ws}`, (signal) => lookupsApi.attributes(signal));
  const members = useRemote(can('members.read') ? `segment-lookups:members:${ws}` : null, (signal) => lookupsApi.members(signal));
  return useMemo(
    () => ({
      tags: tags.data?.items ?? [],
      identityTypes: identityTypes.data?.items ?? [],
      attributes: attributes.data?.items ?? [],
      members: members.data?.items ?? [],
    }),
    [tags.data, identityTypes.data, attributes.data, members.data],
  );
}
