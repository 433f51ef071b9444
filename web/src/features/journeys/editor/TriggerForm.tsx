import { Flex, Input, InputNumber, Radio, Select, Typography } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { TRIGGER_TYPES, type Audience, type Issue, type Trigger } from '../types.ts';
import { newTrigger } from './definition.ts';
import { ConditionInput, EventTypeInput, Field, FiltersInput, SegmentPicker } from './inputs.tsx';
import type { JourneyLookups } from './lookups.ts';

export interface TriggerFormProps {
  trigger: Trigger;
  issues: Issue[];
  issueText(i: Issue): string;
  lookups: JourneyLookups;
  today: string;
  disabled: boolean;
  onChange(next: Trigger): void;
}

function AudienceInput({ value, onChange, props }: { value: Audience; onChange(a: Audience): void; props: TriggerFormProps }) {
  const { t } = useTranslation();
  const { disabled, lookups } = props;
  const rest = (i: Issue) => (i.field ?? '').replace(/^definition\./, '').replace(/^trigger\.audience\.?/, '');
  return (
    <Flex vertical gap={6}>
      <Radio.Group
        value={value.type}
        disabled={disabled}
        onChange={(e) => {
          const type = e.target.value as Audience['type'];
          onChange(type === 'segment' ? { type, segmentId: '' } : type === 'condition' ? { type, condition: { type: 'and', children: [] } } : { type, groupIds: [] });
        }}
        options={(['segment', 'condition', 'groups'] as const).map((k) => ({ value: k, label: <span data-testid={`audience-${k}`}>{t(`journeys.audience.${k}`)}</span> }))}
      />
      {value.type === 'segment' && <SegmentPicker value={value.segmentId} onChange={(segmentId) => onChange({ type: 'segment', segmentId })} segments={lookups.segments} disabled={disabled} testId="trigger-audience-segment" />}
      {value.type === 'condition' && (
        <ConditionInput
          value={value.condition}
          onChange={(condition) => onChange({ type: 'condition', condition })}
          issues={props.issues.flatMap((i) => (rest(i).startsWith('condition') ? [{ ...i, field: `rule${rest(i).slice('condition'.length)}` }] : []))}
          disabled={disabled}
          lookups={lookups.rule}
          today={props.today}
        />
      )}
      {value.type === 'groups' && (
        <Select mode="tags" value={value.groupIds} disabled={disabled} placeholder={t('journeys.trigger.groupIds')} onChange={(groupIds: string[]) => onChange({ type: 'groups', groupIds })} data-testid="trigger-audience-groups" />
      )}
    </Flex>
  );
}

/** What brings customers into the journey. */
export function TriggerForm(props: TriggerFormProps) {
  const { t, i18n } = useTranslation();
  const { trigger, disabled, onChange, lookups } = props;
  const zh = i18n.language.startsWith('zh');
  const problems = (field: string) => {
    const list = props.issues.filter((i) => (i.field ?? '').replace(/^definition\./, '').startsWith(`trigger.${field}`)).map(props.issueText);
    return list.length ? list : undefined;
  };
  const general = props.issues.filter((i) => ['trigger', 'start', 'trigger.type'].includes((i.field ?? '').replace(/^definition\./, '')));
  const attributes = lookups.rule.attributes.filter((a) => a.type === 'date');
  return (
    <div data-testid="trigger-form">
      <Flex align="center" gap={8} style={{ marginBottom: 12 }}>
        <ThunderboltOutlined />
        <Typography.Text strong>{t('journeys.trigger.title')}</Typography.Text>
      </Flex>
      {general.map((i, k) => (
        <Typography.Paragraph key={k} type="danger" style={{ fontSize: 12 }}>
          {props.issueText(i)}
        </Typography.Paragraph>
      ))}
      <Field label={t('journeys.trigger.type')}>
        <Select
          value={trigger.type}
          disabled={disabled}
          onChange={(type) => onChange(newTrigger(type))}
          options={TRIGGER_TYPES.map((k) => ({ value: k, label: t(`journeys.triggerTypes.${k}`) }))}
          data-testid="trigger-type"
        />
      </Field>
      {trigger.type === 'event' && (
        <>
          <Field label={t('journeys.trigger.eventType')} problems={problems('eventType')}>
            <EventTypeInput value={trigger.eventType} disabled={disabled} onChange={(eventType) => onChange({ ...trigger, eventType })} testId="trigger-event-type" />
          </Field>
          <Field label={t('journeys.trigger.filters')} problems={problems('filters')}>
            <FiltersInput
              value={trigger.filters}
              onChange={(filters) => onChange(filters ? { ...trigger, filters } : { type: 'event', eventType: trigger.eventType })}
              disabled={disabled}
              lookups={lookups.rule}
              today={props.today}
              testId="trigger-filters"
            />
          </Field>
        </>
      )}
      {trigger.type === 'segment' && (
        <>
          <Field label={t('journeys.trigger.segment')} problems={problems('segmentId')}>
            <SegmentPicker value={trigger.segmentId} onChange={(segmentId) => onChange({ ...trigger, segmentId })} segments={lookups.segments} disabled={disabled} testId="trigger-segment" />
          </Field>
          <Field label={t('journeys.trigger.change')}>
            <Radio.Group
              value={trigger.change}
              disabled={disabled}
              onChange={(e) => onChange({ ...trigger, change: e.target.value })}
              options={(['entered', 'exited'] as const).map((k) => ({ value: k, label: t(`journeys.trigger.${k}`) }))}
            />
          </Field>
        </>
      )}
      {trigger.type === 'schedule' && (
        <>
          <Field label={t('journeys.trigger.cron')} problems={problems('cron')}>
            <Input value={trigger.cron} disabled={disabled} onChange={(e) => onChange({ ...trigger, cron: e.target.value })} data-testid="trigger-cron" />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('journeys.trigger.cronHint')}
            </Typography.Text>
          </Field>
          <Field label={t('journeys.trigger.audience')} problems={problems('audience')}>
            <AudienceInput value={trigger.audience} onChange={(audience) => onChange({ ...trigger, audience })} props={props} />
          </Field>
        </>
      )}
      {trigger.type === 'date' && (
        <>
          <Field label={t('journeys.trigger.attribute')} problems={problems('attribute')}>
            <Select
              value={trigger.attribute}
              disabled={disabled}
              onChange={(attribute: string) => onChange({ ...trigger, attribute })}
              options={[{ value: 'birthday', label: t('journeys.trigger.birthday') }, ...attributes.map((a) => ({ value: `attributes.${a.key}`, label: (zh ? a.labelZh : a.labelEn) || a.key }))]}
              data-testid="trigger-attribute"
            />
          </Field>
          <Field label={t('journeys.trigger.offsetDays')} problems={problems('offsetDays')}>
            <InputNumber min={-60} max={60} value={trigger.offsetDays ?? 0} disabled={disabled} onChange={(n) => onChange({ ...trigger, offsetDays: Number(n ?? 0) })} data-testid="trigger-offset" />
          </Field>
          <Field label={t('journeys.trigger.at')} problems={problems('at')}>
            <Input type="time" value={trigger.at} disabled={disabled} onChange={(e) => onChange({ ...trigger, at: e.target.value })} data-testid="trigger-at" />
          </Field>
        </>
      )}
      {trigger.type === 'joined' && (
        <>
          <Field label={t('journeys.trigger.days')} problems={problems('days')}>
            <InputNumber min={0} max={3650} value={trigger.days} disabled={disabled} onChange={(n) => onChange({ ...trigger, days: Number(n ?? 0) })} data-testid="trigger-days" />
          </Field>
          <Field label={t('journeys.trigger.at')} problems={problems('at')}>
            <Input type="time" value={trigger.at} disabled={disabled} onChange={(e) => onChange({ ...trigger, at: e.target.value })} data-testid="trigger-at" />
          </Field>
        </>
      )}
      {trigger.type === 'manual' && <Typography.Paragraph type="secondary">{t('journeys.trigger.manualHint')}</Typography.Paragraph>}
    </div>
  );
}
