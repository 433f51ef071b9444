/** Forms of the steps that shape the flow: waits and the A/B split (the branch uses the rule editor). */
import { Button, Checkbox, Flex, Input, InputNumber } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Field } from './inputs.tsx';
import type { Body, Of } from './stepBody.ts';

export function WaitBody({ step, set, disabled, problems }: Body<'wait'>) {
  const { t } = useTranslation();
  const unit = (key: 'days' | 'hours' | 'minutes') => (
    <InputNumber
      min={0}
      value={step.duration[key] ?? null}
      disabled={disabled}
      suffix={t(`journeys.units.${key}Unit`)}
      style={{ width: 110 }}
      onChange={(n) => {
        const { [key]: _drop, ...rest } = step.duration;
        set({ ...step, duration: n ? { ...rest, [key]: Number(n) } : rest });
      }}
      data-testid={`step-wait-${key}`}
    />
  );
  return (
    <Field label={t('journeys.step.duration')} problems={problems('duration')}>
      <Flex gap={6}>
        {unit('days')}
        {unit('hours')}
        {unit('minutes')}
      </Flex>
    </Field>
  );
}

export function WaitUntilBody({ step, set, disabled, problems }: Body<'wait_until'>) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('journeys.step.time')} problems={problems('time')}>
        <Input type="time" value={step.time} disabled={disabled} onChange={(e) => set({ ...step, time: e.target.value })} data-testid="step-time" />
      </Field>
      <Field label={t('journeys.step.weekdays')} problems={problems('weekdays')}>
        <Checkbox.Group
          value={step.weekdays ?? []}
          disabled={disabled}
          onChange={(v) => {
            const { weekdays: _w, ...rest } = step;
            set(v.length ? { ...rest, weekdays: (v as number[]).toSorted((a, b) => a - b) } : rest);
          }}
          options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`journeys.weekdays.${d}`) }))}
        />
      </Field>
    </>
  );
}

export function SplitBody({ step, set, disabled, problems }: Body<'split'>) {
  const { t } = useTranslation();
  const sum = step.variants.reduce((n, v) => n + (v.weight || 0), 0);
  const setAt = (i: number, patch: Partial<Of<'split'>['variants'][number]>) => set({ ...step, variants: step.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  return (
    <Field label={t('journeys.step.variants', { sum })} problems={problems('variants')}>
      {step.variants.map((v, i) => (
        <Flex key={i} gap={6} align="center" style={{ marginBottom: 4 }}>
          <Input value={v.key} disabled={disabled} style={{ width: 80 }} onChange={(e) => setAt(i, { key: e.target.value })} data-testid={`step-variant-key-${i}`} />
          <InputNumber min={0} max={100} value={v.weight} disabled={disabled} suffix="%" style={{ width: 100 }} onChange={(n) => setAt(i, { weight: Number(n ?? 0) })} data-testid={`step-variant-weight-${i}`} />
          {!disabled && step.variants.length > 2 && (
            <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => set({ ...step, variants: step.variants.filter((_, j) => j !== i) })} />
          )}
        </Flex>
      ))}
      {!disabled && step.variants.length < 10 && (
        <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => set({ ...step, variants: [...step.variants, { key: String.fromCharCode(65 + step.variants.length), weight: 0, next: null }] })} data-testid="step-variant-add">
          {t('journeys.step.addVariant')}
        </Button>
      )}
    </Field>
  );
}
