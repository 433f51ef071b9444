import { Button, Checkbox, Flex, Input, InputNumber, Popconfirm, Radio, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CHANNELS, TASK_KINDS, type Issue, type Step } from '../types.ts';
import { pointersOf, withPointer } from './definition.ts';
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

type Of<T extends Step['type']> = Extract<Step, { type: T }>;
interface Body<T extends Step['type']> {
  step: Of<T>;
  set(next: Of<T>): void;
  disabled: boolean;
  problems(field: string): string[] | undefined;
}

function WaitBody({ step, set, disabled, problems }: Body<'wait'>) {
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

function WaitUntilBody({ step, set, disabled, problems }: Body<'wait_until'>) {
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

function SplitBody({ step, set, disabled, problems }: Body<'split'>) {
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

function SendBody({ step, set, disabled, problems, lookups }: Body<'send'> & { lookups: JourneyLookups }) {
  const { t } = useTranslation();
  const mode = step.templateId !== undefined ? 'template' : 'content';
  const vars = Object.entries(step.variables ?? {});
  const setVars = (list: [string, string][]) => {
    const { variables: _v, ...rest } = step;
    set(list.length ? { ...rest, variables: Object.fromEntries(list) } : rest);
  };
  const { templateId: _t, content: _c, ...base } = step;
  return (
    <>
      <Field label={t('journeys.step.channel')} problems={problems('channel')}>
        <Select
          value={step.channel}
          disabled={disabled}
          onChange={(channel) => set({ ...step, channel })}
          options={CHANNELS.map((c) => ({ value: c, label: t(`journeys.channels.${c}`) }))}
          data-testid="step-channel"
        />
      </Field>
      <Radio.Group
        value={mode}
        disabled={disabled}
        style={{ marginBottom: 8 }}
        onChange={(e) => set(e.target.value === 'template' ? { ...base, templateId: '' } : { ...base, content: { text: '' } })}
        options={[
          { value: 'content', label: <span data-testid="step-mode-content">{t('journeys.step.inline')}</span> },
          { value: 'template', label: <span data-testid="step-mode-template">{t('journeys.step.template')}</span> },
        ]}
      />
      {mode === 'template' ? (
        <Field label={t('journeys.step.template')} problems={problems('templateId')}>
          <Select
            value={step.templateId || undefined}
            disabled={disabled}
            placeholder={t('journeys.step.pickTemplate')}
            onChange={(templateId: string) => set({ ...base, templateId })}
            options={lookups.templates.filter((x) => x.channel === step.channel).map((x) => ({ value: x.id, label: x.name }))}
            data-testid="step-template"
          />
        </Field>
      ) : (
        <>
          <Field label={t('journeys.step.title')} problems={problems('content.title')}>
            <Input
              value={step.content?.title ?? ''}
              disabled={disabled}
              onChange={(e) => set({ ...base, content: { text: step.content?.text ?? '', ...(e.target.value ? { title: e.target.value } : {}) } })}
              data-testid="step-content-title"
            />
          </Field>
          <Field label={t('journeys.step.text')} problems={problems('content.text') ?? problems('content') ?? problems('templateId')}>
            <Input.TextArea
              rows={4}
              value={step.content?.text ?? ''}
              disabled={disabled}
              placeholder={t('journeys.step.textHint')}
              onChange={(e) => set({ ...base, content: { ...step.content, text: e.target.value } })}
              data-testid="step-content-text"
            />
          </Field>
        </>
      )}
      <Field label={t('journeys.step.variables')} problems={problems('variables')}>
        {vars.map(([k, v], i) => (
          <Flex key={i} gap={6} style={{ marginBottom: 4 }}>
            <Input value={k} disabled={disabled} placeholder={t('journeys.step.variableName')} style={{ width: 120 }} onChange={(e) => setVars(vars.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))} data-testid={`step-var-name-${i}`} />
            <Input value={v} disabled={disabled} placeholder={t('journeys.step.variableValue')} onChange={(e) => setVars(vars.map((x, j) => (j === i ? [x[0], e.target.value] : x)))} data-testid={`step-var-value-${i}`} />
            {!disabled && <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setVars(vars.filter((_, j) => j !== i))} />}
          </Flex>
        ))}
        {!disabled && (
          <div>
            <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setVars([...vars, [`var${vars.length + 1}`, '']])} data-testid="step-var-add">
              {t('journeys.step.addVariable')}
            </Button>
          </div>
        )}
      </Field>
    </>
  );
}

function TagBody({ step, set, disabled, problems, lookups }: Body<'tag'> & { lookups: JourneyLookups }) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('journeys.step.tagAction')} problems={problems('action')}>
        <Radio.Group
          value={step.action}
          disabled={disabled}
          onChange={(e) => set({ ...step, action: e.target.value })}
          options={(['add', 'remove'] as const).map((a) => ({ value: a, label: t(`journeys.tagActions.${a}`) }))}
        />
      </Field>
      <Field label={t('journeys.step.tags')} problems={problems('tagIds')}>
        <Select
          mode="multiple"
          value={step.tagIds}
          disabled={disabled}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('journeys.step.pickTags')}
          onChange={(tagIds: string[]) => set({ ...step, tagIds })}
          options={lookups.rule.tags.map((x) => ({ value: x.id, label: x.name }))}
          data-testid="step-tags"
        />
      </Field>
    </>
  );
}

function TaskBody({ step, set, disabled, problems, lookups }: Body<'task'> & { lookups: JourneyLookups }) {
  const { t } = useTranslation();
  const a = step.assignee;
  return (
    <>
      <Field label={t('journeys.step.taskKind')} problems={problems('kind')}>
        <Select value={step.kind} disabled={disabled} onChange={(kind) => set({ ...step, kind })} options={TASK_KINDS.map((k) => ({ value: k, label: t(`journeys.taskKinds.${k}`) }))} data-testid="step-task-kind" />
      </Field>
      <Field label={t('journeys.step.taskTitle')} problems={problems('title')}>
        <Input value={step.title} disabled={disabled} onChange={(e) => set({ ...step, title: e.target.value })} data-testid="step-task-title" />
      </Field>
      <Field label={t('journeys.step.script')} problems={problems('script')}>
        <Input.TextArea
          rows={3}
          value={step.script ?? ''}
          disabled={disabled}
          onChange={(e) => {
            const { script: _s, ...rest } = step;
            set(e.target.value ? { ...rest, script: e.target.value } : rest);
          }}
          data-testid="step-task-script"
        />
      </Field>
      <Field label={t('journeys.step.assignee')} problems={problems('assignee')}>
        <Flex gap={6} vertical>
          <Select
            value={a.type}
            disabled={disabled}
            onChange={(type) => set({ ...step, assignee: type === 'owner' ? { type } : type === 'pool' ? { type, pool: 'advisors' } : { type, userId: lookups.rule.members[0]?.userId ?? '' } })}
            options={(['owner', 'pool', 'user'] as const).map((k) => ({ value: k, label: t(`journeys.assignees.${k}`) }))}
            data-testid="step-assignee-type"
          />
          {a.type === 'owner' && (
            <Input
              value={a.fallbackPool ?? ''}
              disabled={disabled}
              placeholder={t('journeys.step.fallbackPool')}
              onChange={(e) => set({ ...step, assignee: e.target.value ? { type: 'owner', fallbackPool: e.target.value } : { type: 'owner' } })}
              data-testid="step-assignee-fallback"
            />
          )}
          {a.type === 'pool' && <Input value={a.pool} disabled={disabled} onChange={(e) => set({ ...step, assignee: { type: 'pool', pool: e.target.value } })} data-testid="step-assignee-pool" />}
          {a.type === 'user' && (
            <Select
              value={a.userId || undefined}
              disabled={disabled}
              onChange={(userId: string) => set({ ...step, assignee: { type: 'user', userId } })}
              options={lookups.rule.members.map((m) => ({ value: m.userId, label: m.name || m.email }))}
              data-testid="step-assignee-user"
            />
          )}
        </Flex>
      </Field>
      <Field label={t('journeys.step.dueInHours')} problems={problems('dueInHours')}>
        <InputNumber min={0} max={2160} value={step.dueInHours} disabled={disabled} onChange={(n) => set({ ...step, dueInHours: Number(n ?? 0) })} data-testid="step-task-due" />
      </Field>
    </>
  );
}

function WebhookBody({ step, set, disabled, problems }: Body<'webhook'>) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('journeys.step.url')} problems={problems('url')}>
        <Input value={step.url} disabled={disabled} onChange={(e) => set({ ...step, url: e.target.value.trim() })} data-testid="step-webhook-url" />
      </Field>
      <Field label={t('journeys.step.payload')} problems={problems('payload')}>
        <PayloadInput value={step.payload} disabled={disabled} onChange={(payload) => {
          const { payload: _p, ...rest } = step;
          set(payload ? { ...rest, payload } : rest);
        }} />
      </Field>
    </>
  );
}

/** A JSON object typed as text; kept as text until it parses. */
function PayloadInput({ value, onChange, disabled }: { value: Record<string, unknown> | undefined; onChange(v: Record<string, unknown> | undefined): void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Input.TextArea
      rows={3}
      defaultValue={value ? JSON.stringify(value, null, 2) : ''}
      disabled={disabled}
      placeholder='{"key": "value"}'
      onBlur={(e) => {
        const text = e.target.value.trim();
        if (!text) return onChange(undefined);
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) onChange(parsed as Record<string, unknown>);
        } catch {
          /* left as typed; the node keeps its last valid payload */
        }
      }}
      aria-label={t('journeys.step.payload')}
      data-testid="step-webhook-payload"
    />
  );
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

