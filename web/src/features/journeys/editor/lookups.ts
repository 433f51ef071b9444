import { useMemo } from 'react';
import { useSession } from '../../../app/auth/useAuth.ts';
import { useRemote } from '../../../app/useRemote.ts';
import type { RuleLookups } from '../../segments/rule/editorContext.ts';
import { useRuleLookups } from '../../segments/rule/useRuleLookups.ts';
import { journeyLookupsApi } from '../api.ts';
import type { MessageTemplate, SegmentOption } from '../types.ts';

export interface JourneyLookups {
  rule: RuleLookups;
  segments: SegmentOption[];
  templates: MessageTemplate[];
  tagName(id: string): string | undefined;
  segmentName(id: string): string | undefined;
}

/** What the editor's pickers offer: tags, segments, templates, members, attributes. */
export function useJourneyLookups(): JourneyLookups {
  const { workspace, can } = useSession();
  const ws = workspace?.id ?? '';
  const rule = useRuleLookups();
  const segments = useRemote(can('segments.read') ? `journey-lookups:segments:${ws}` : null, (signal) => journeyLookupsApi.segments(signal));
  const templates = useRemote(can('messages.read') ? `journey-lookups:templates:${ws}` : null, (signal) => journeyLookupsApi.templates(signal));
  return useMemo(() => {
    const tags = new Map(rule.tags.map((x) => [x.id, x.name]));
    const segs = new Map((segments.data?.items ?? []).map((x) => [x.id, x.name]));
    return {
      rule,
      segments: segments.data?.items ?? [],
      templates: (templates.data?.items ?? []).filter((x) => !x.archived),
      tagName: (id: string) => tags.get(id),
      segmentName: (id: string) => segs.get(id),
    };
  }, [rule, segments.data, templates.data]);
}
