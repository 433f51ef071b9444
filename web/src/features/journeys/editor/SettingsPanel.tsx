import { Button, Card, Flex, InputNumber, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ExitRule, Issue, JourneyDefinition, Reentry } from '../types.ts';
import { ConditionInput, EventTypeInput, Field, FiltersInput, SegmentPicker } from './inputs.tsx';
import type { JourneyLookups } from './lookups.ts';

export interface SettingsPanelProps {
  definition: JourneyDefinition;
  issues: Issue[];
  issueText(i: Issue): string;
  lookups: JourneyLookups;
  today: string;
  disabled: boolean;
  onChange(next: JourneyDefinition): void;
}

const EXIT_TYPES = ['event', 'left_segment', 'opted_out', 'condition'] as const;

function newExit(type: ExitRule['type']): ExitRule {
  if (type === 'event') return { type, eventType: 'order.paid' };
  if (type === 'left_segment') return { type };
  if (type === 'condition') return { type, condition: { type: 'and', children: [{ type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 1 }] } };
  return { type };
}

/** Re-entry, exit rules and the goal: how the journey as a whole behaves. */
export function SettingsPanel(props: SettingsPanelProps) {
  const { t } = useTranslation();
  const { definition: def, disabled, onChange, lookups } = props;
  const field = (i: Issue) => (i.field ?? '').replace(/^definition\.?/, '');
  const problems = (prefix: string) => {
    const list = props.issues.filter((i) => field(i) === prefix || field(i).startsWith(`${prefix}.`) || field(i).startsWith(`${prefix}[`)).map(props.issueText);
    return list.length ? list : undefined;
  };
  const other = props.issues.filter((i) => !/^(reentry|exits|goal)/.test(field(i)));
  const setExit = (i: number, e: ExitRule) => onChange({ ...def, exits: def.exits.map((x, j) => (j === i ? e : x)) });
  const setReentry = (r: Reentry) => onChange({ ...def, reentry: r });
  return (
    <div data-testid="journey-settings">
      {other.map((i, k) => (
        <Typography.Paragraph key={k} type="danger" style={{ fontSize: 12 }} data-testid="settings-issue">
          {props.issueText(i)}
        </Typography.Paragraph>
      ))}
      <Field label={t('journeys.settings.reentry')} problems={problems('reentry')}>
        <Flex gap={6}>
          <Select
            value={def.reentry.mode}
            disabled={disabled}
            style={{ flex: 1 }}
            onChange={(mode) => setReentry(mode === 'after_days' ? { mode, days: 30 } : { mode })}
            options={(['never', 'after_days', 'always'] as const).map((m) => ({ value: m, label: t(`journeys.reentry.${m}`) }))}
            data-testid="settings-reentry"
          />
          {def.reentry.mode === 'after_days' && (
            <InputNumber min={1} max={3650} value={def.reentry.days} disabled={disabled} suffix={t('journeys.units.daysUnit')} onChange={(n) => setReentry({ mode: 'after_days', days: Number(n ?? 1) })} data-testid="settings-reentry-days" />
          )}
        </Flex>
      </Field>
      <Field label={t('journeys.settings.exits')}>
        <Flex vertical gap={8}>
          {def.exits.map((e, i) => (
            <Card key={i} size="small" data-testid={`exit-${i}`}>
              <Flex gap={6} align="center" style={{ marginBottom: e.type === 'opted_out' ? 0 : 8 }}>
                <Select value={e.type} disabled={disabled} style={{ flex: 1 }} onChange={(type) => setExit(i, newExit(type))} options={EXIT_TYPES.map((k) => ({ value: k, label: t(`journeys.exits.${k}`) }))} data-testid={`exit-type-${i}`} />
                {!disabled && <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange({ ...def, exits: def.exits.filter((_, j) => j !== i) })} data-testid={`exit-remove-${i}`} />}
              </Flex>
              {e.type === 'event' && (
                <>
                  <EventTypeInput value={e.eventType} disabled={disabled} onChange={(eventType) => setExit(i, { ...e, eventType })} testId={`exit-event-${i}`} />
                  <FiltersInput value={e.filters} disabled={disabled} lookups={lookups.rule} today={props.today} testId={`exit-filters-${i}`} onChange={(filters) => setExit(i, filters ? { ...e, filters } : { type: 'event', eventType: e.eventType })} />
                </>
              )}
              {e.type === 'left_segment' && (
                <>
                  <SegmentPicker value={e.segmentId} onChange={(segmentId) => setExit(i, { type: 'left_segment', segmentId })} segments={lookups.segments} disabled={disabled} testId={`exit-segment-${i}`} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('journeys.settings.leftSegmentHint')}
                  </Typography.Text>
                </>
              )}
              {e.type === 'condition' && (
                <ConditionInput
                  value={e.condition}
                  onChange={(condition) => setExit(i, { type: 'condition', condition })}
                  issues={props.issues.flatMap((x) => {
                    const m = new RegExp(`^exits\\[${i}\\]\\.condition`).exec(field(x));
                    return m ? [{ ...x, field: `rule${field(x).slice(m[0].length)}` }] : [];
                  })}
                  disabled={disabled}
                  lookups={lookups.rule}
                  today={props.today}
                />
              )}
              {problems(`exits[${i}]`)?.map((p, k) => (
                <Typography.Text key={k} type="danger" style={{ fontSize: 12, display: 'block' }}>
                  {p}
                </Typography.Text>
              ))}
            </Card>
          ))}
          {!disabled && (
            <div>
              <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => onChange({ ...def, exits: [...def.exits, newExit('event')] })} data-testid="exit-add">
                {t('journeys.settings.addExit')}
              </Button>
            </div>
          )}
        </Flex>
      </Field>
      <Field label={t('journeys.settings.goal')} problems={problems('goal')}>
        <Flex vertical gap={6}>
          <Switch
            checked={!!def.goal}
            disabled={disabled}
            onChange={(on) => onChange({ ...def, goal: on ? { eventType: 'order.paid', withinDays: 7 } : null })}
            checkedChildren={t('journeys.settings.goalOn')}
            unCheckedChildren={t('journeys.settings.goalOff')}
            style={{ alignSelf: 'flex-start' }}
            data-testid="settings-goal"
          />
          {def.goal && (
            <>
              <EventTypeInput value={def.goal.eventType} disabled={disabled} onChange={(eventType) => onChange({ ...def, goal: { ...def.goal!, eventType } })} testId="settings-goal-event" />
              <InputNumber
                min={1}
                max={365}
                value={def.goal.withinDays}
                disabled={disabled}
                prefix={t('journeys.settings.within')}
                suffix={t('journeys.units.daysUnit')}
                onChange={(n) => onChange({ ...def, goal: { ...def.goal!, withinDays: Number(n ?? 1) } })}
                style={{ width: 200 }}
                data-testid="settings-goal-days"
              />
            </>
          )}
        </Flex>
      </Field>
    </div>
  );
}
