import { Button, Flex, Input, Popconfirm, Select, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Issue, Step } from '../types.ts';
import { SendBody, TagBody, TaskBody, WebhookBody } from './ActionStepBodies.tsx';
import { pointersOf, withPointer } from './definition.ts';
import { SplitBody, WaitBody, WaitUntilBody } from './FlowStepBodies.tsx';
import { ConditionInput, Field } from './inputs.tsx';
import type { JourneyLookups } from './lookups.ts';
import { STEP_ICONS } from './stepIcons.tsx';

export interface StepFormProps {
  step: Step;
  index: number;
  steps: Step[];
  issues: Issue[];
  issueText(i: Issue): string;
  lookups: JourneyLookups;
  today: string;
  disabled: boolean;
  onChange(next: Step): void;
  onRemove(): void;
}

/** The selected step's settings, its outgoing connections and its issues. */
export function StepForm(props: StepFormProps) {
  const { t } = useTranslation();
  const { step, steps, issues, disabled, onChange, lookups } = props;
  const prefix = `steps[${props.index}]`;
  const rest = (i: Issue) => (i.field ?? '').replace(/^definition\./, '').slice(prefix.length).replace(/^\./, '');
  const problems = (field: string) => {
    const list = issues.filter((i) => rest(i) === field || rest(i).startsWith(`${field}.`) || rest(i).startsWith(`${field}[`)).map(props.issueText);
    return list.length ? list : undefined;
  };
  const general = issues.filter((i) => {
    const r = rest(i);
    return r === '' || r === 'id' || r === 'type';
  });
  const targets = steps.filter((s) => s.id !== step.id).map((s) => ({ value: s.id, label: `${s.name || t(`journeys.stepTypes.${s.type}`)} (${s.id})` }));
  const handleLabel = (handle: string) =>
    step.type === 'branch' ? t(`journeys.step.${handle}`) : step.type === 'split' ? t('journeys.step.variantNext', { key: step.variants[Number(handle.slice(1))]?.key ?? '' }) : t('journeys.step.next');
  const pointerProblems = (handle: string) =>
    problems(step.type === 'split' ? `variants[${handle.slice(1)}].next` : handle);
  const body = (() => {
    const common = { disabled, problems };
    switch (step.type) {
      case 'wait':
        return <WaitBody step={step} set={onChange} {...common} />;
      case 'wait_until':
        return <WaitUntilBody step={step} set={onChange} {...common} />;
      case 'branch':
        return (
          <Field label={t('journeys.step.condition')}>
            <ConditionInput
              value={step.condition}
              onChange={(condition) => onChange({ ...step, condition })}
              issues={issues.flatMap((i) => {
                const r = rest(i);
                return r.startsWith('condition') ? [{ ...i, field: `rule${r.slice('condition'.length)}` }] : [];
              })}
              disabled={disabled}
              lookups={lookups.rule}
              today={props.today}
            />
          </Field>
        );
      case 'split':
        return <SplitBody step={step} set={onChange} {...common} />;
      case 'send':
        return <SendBody step={step} set={onChange} lookups={lookups} {...common} />;
      case 'tag':
        return <TagBody step={step} set={onChange} lookups={lookups} {...common} />;
      case 'task':
        return <TaskBody step={step} set={onChange} lookups={lookups} {...common} />;
      case 'webhook':
        return <WebhookBody step={step} set={onChange} {...common} />;
    }
  })();
  return (
    <div data-testid={`step-form-${step.id}`}>
      <Flex align="center" gap={8} style={{ marginBottom: 12 }}>
        {STEP_ICONS[step.type]}
        <Typography.Text strong>{t(`journeys.stepTypes.${step.type}`)}</Typography.Text>
        <Typography.Text type="secondary">{step.id}</Typography.Text>
        {!disabled && (
          <Popconfirm title={t('journeys.step.removeConfirm')} onConfirm={props.onRemove} okText={t('common.delete')} cancelText={t('common.cancel')}>
            <Button danger size="small" type="text" icon={<DeleteOutlined />} style={{ marginLeft: 'auto' }} data-testid="step-remove">
              {t('common.delete')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
      {general.map((i, k) => (
        <Typography.Paragraph key={k} type="danger" style={{ fontSize: 12 }}>
          {props.issueText(i)}
        </Typography.Paragraph>
      ))}
      <Field label={t('journeys.step.name')} problems={problems('name')}>
        <Input
          value={step.name ?? ''}
          maxLength={100}
          disabled={disabled}
          placeholder={t('journeys.step.namePlaceholder')}
          onChange={(e) => {
            const { name: _n, ...base } = step;
            onChange(e.target.value ? ({ ...base, name: e.target.value } as Step) : (base as Step));
          }}
          data-testid="step-name"
        />
      </Field>
      {body}
      {pointersOf(step).map((p) => (
        <Field key={p.handle} label={handleLabel(p.handle)} problems={pointerProblems(p.handle)}>
          <Select
            value={p.to ?? ''}
            disabled={disabled}
            onChange={(to: string) => onChange(withPointer(step, p.handle, to || null))}
            options={[{ value: '', label: t('journeys.step.end') }, ...targets]}
            data-testid={`step-next-${p.handle}`}
          />
        </Field>
      ))}
    </div>
  );
}

