/** Small inputs the step, trigger and settings forms share. */
import { useMemo, type ReactNode } from 'react';
import { AutoComplete, Flex, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PropertyFilters } from '../../segments/rule/BehaviourInputs.tsx';
import { KNOWN_EVENT_TYPES } from '../../segments/rule/catalog.ts';
import { EditorContext, type EditorEnv, type RuleLookups } from '../../segments/rule/editorContext.ts';
import { RuleEditor } from '../../segments/rule/RuleEditor.tsx';
import { asRootGroup, placeProblems } from '../../segments/rule/tree.ts';
import type { PropertyFilter, Rule } from '../../segments/rule/types.ts';
import type { Issue, SegmentOption } from '../types.ts';

const EVENT_OPTIONS = ['order.paid', 'order.refunded', ...KNOWN_EVENT_TYPES].map((value) => ({ value }));

/** A labelled field with its problems under it. */
export function Field({ label, children, problems, testId }: { label: ReactNode; children: ReactNode; problems?: string[] | undefined; testId?: string }) {
  return (
    <Flex vertical gap={4} style={{ marginBottom: 12 }} data-testid={testId}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      {children}
      {problems?.map((p, i) => (
        <Typography.Text key={i} type="danger" style={{ fontSize: 12 }}>
          {p}
        </Typography.Text>
      ))}
    </Flex>
  );
}

export function EventTypeInput({ value, onChange, disabled, testId }: { value: string; onChange(v: string): void; disabled: boolean; testId: string }) {
  return <AutoComplete value={value} options={EVENT_OPTIONS} disabled={disabled} onChange={(v: string) => onChange(v.trim())} style={{ width: '100%' }} data-testid={testId} />;
}

/** Event property filters, with the segment rule editor's own inputs. */
export function FiltersInput(props: { value: PropertyFilter[] | undefined; onChange(next: PropertyFilter[] | undefined): void; disabled: boolean; lookups: RuleLookups; today: string; testId: string }) {
  const { disabled, lookups, today } = props;
  const env = useMemo<EditorEnv>(() => ({ disabled, problems: new Map(), lookups, today, edit: () => {} }), [disabled, lookups, today]);
  return (
    <EditorContext value={env}>
      <PropertyFilters value={props.value ?? []} onChange={(next) => props.onChange(next.length ? next : undefined)} testId={props.testId} />
    </EditorContext>
  );
}

/** A condition over a customer: the segment rule editor, with the issues the server placed inside it. */
export function ConditionInput(props: { value: Rule; onChange(next: Rule): void; issues: Issue[]; disabled: boolean; lookups: RuleLookups; today: string }) {
  const rule = asRootGroup(props.value);
  const problems = useMemo(() => placeProblems(rule, props.issues), [rule, props.issues]);
  return <RuleEditor rule={rule} onChange={props.disabled ? undefined : props.onChange} problems={problems} lookups={props.lookups} today={props.today} disabled={props.disabled} />;
}

export function SegmentPicker({ value, onChange, segments, disabled, testId }: { value: string | undefined; onChange(id: string): void; segments: SegmentOption[]; disabled: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Select
      value={value || undefined}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('journeys.pickSegment')}
      disabled={disabled}
      onChange={onChange}
      options={segments.map((s) => ({ value: s.id, label: s.name }))}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
