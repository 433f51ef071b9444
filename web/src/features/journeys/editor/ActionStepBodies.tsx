/** Forms of the steps that act: send a message, tag, hand to a person, call a webhook. */
import { Button, Flex, Input, InputNumber, Radio, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CHANNELS, TASK_KINDS } from '../types.ts';
import { Field } from './inputs.tsx';
import type { JourneyLookups } from './lookups.ts';
import type { Body } from './stepBody.ts';

export function SendBody({ step, set, disabled, problems, lookups }: Body<'send'> & { lookups: JourneyLookups }) {
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

export function TagBody({ step, set, disabled, problems, lookups }: Body<'tag'> & { lookups: JourneyLookups }) {
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

export function TaskBody({ step, set, disabled, problems, lookups }: Body<'task'> & { lookups: JourneyLookups }) {
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

export function WebhookBody({ step, set, disabled, problems }: Body<'webhook'>) {
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
