import type { ReactNode } from 'react';
import { AutoComplete, Flex, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  adaptValue, CATEGORIES, KNOWN_EVENT_TYPES, MODEL_STAGES, LIFECYCLE_MODELS, newCondition, opsOf, ORDER_METRICS, PURCHASE_BY, TIME_FIELDS,
} from './catalog.ts';
import { PropertyFilters, WindowInput } from './BehaviourInputs.tsx';
import { ConditionValue } from './ConditionValue.tsx';
import { useEditor } from './editorContext.ts';
import { Problems } from './Problems.tsx';
import { pathKey } from './tree.ts';
import type { Condition, ConditionType, NodePath } from './types.ts';

/** One condition: its type, what it tests (field, metric, event …), the operator and the value. */
export function ConditionEditor({ condition: c, path }: { condition: Condition; path: NodePath }) {
  const { t, i18n } = useTranslation();
  const env = useEditor();
  const { disabled, lookups } = env;
  const key = pathKey(path);
  const set = (next: Condition) => env.edit(path, () => next);
  const english = i18n.language === 'en';
  const attribute = c.type === 'attribute' ? lookups.attributes.find((a) => a.key === c.key) : undefined;
  const isTime = c.type === 'time' || attribute?.type === 'date' || (c.type === 'birthday' && c.op === 'in_next_days');
  const setOp = (op: string) => set({ ...c, op, value: adaptValue(c.value, op, isTime, env.today) });
  const small = (testId: string, value: string | undefined, options: { value: string; label: string }[], onChange: (v: string) => void, width = 150) => (
    <Select<string>
      value={value || undefined}
      options={options}
      disabled={disabled}
      style={{ width }}
      popupMatchSelectWidth={false}
      placeholder={t('segmentBuilder.editor.choose')}
      showSearch={{ optionFilterProp: 'label' }}
      onChange={onChange}
      data-testid={`${testId}-${key}`}
    />
  );

  let subject: ReactNode = null;
  switch (c.type) {
    case 'attribute':
      subject = small('cond-key', c.key, lookups.attributes.map((a) => ({ value: a.key, label: english ? a.labelEn : a.labelZh })), (k) => set({ type: 'attribute', key: k, op: 'is_set' }));
      break;
    case 'time':
      subject = small('cond-field', c.field, TIME_FIELDS.map((f) => ({ value: f, label: t(`segmentBuilder.timeFields.${f}`) })), (field) => set({ ...c, field }));
      break;
    case 'identity': {
      const type = lookups.identityTypes.find((x) => x.key === c.identityType);
      const options = lookups.identityTypes.map((x) => ({ value: x.key, label: english ? x.labelEn : x.labelZh }));
      if (c.identityType && !type) options.push({ value: c.identityType, label: c.identityType });
      subject = (
        <>
          {small('cond-identity', c.identityType, options, (identityType) => set({ type: 'identity', op: c.op, identityType }))}
          {type?.isScoped && (
            <Input
              value={c.scope ?? ''}
              disabled={disabled}
              placeholder={t('segmentBuilder.editor.scope')}
              style={{ width: 160 }}
              onChange={(e) => {
                const { scope: _, ...rest } = c;
                set(e.target.value ? { ...rest, scope: e.target.value } : rest);
              }}
            />
          )}
        </>
      );
      break;
    }
    case 'event':
      subject = (
        <>
          <AutoComplete
            value={c.eventType ?? ''}
            disabled={disabled}
            options={KNOWN_EVENT_TYPES.map((e) => ({ value: e }))}
            style={{ width: 180 }}
            placeholder={t('segmentBuilder.editor.eventType')}
            onChange={(eventType: string) => set({ ...c, eventType })}
            data-testid={`cond-event-${key}`}
          />
          {small('cond-measure', c.measure ?? 'count', [{ value: 'count', label: t('segmentBuilder.measures.count') }, { value: 'sum', label: t('segmentBuilder.measures.sum') }], (measure) => {
            const { property: _, ...rest } = c;
            set(measure === 'sum' ? { ...rest, measure: 'sum', property: '' } : { ...rest, measure: 'count' });
          }, 110)}
          {c.measure === 'sum' && (
            <Input value={c.property ?? ''} disabled={disabled} placeholder={t('segmentBuilder.editor.sumProperty')} style={{ width: 160 }} onChange={(e) => set({ ...c, property: e.target.value })} />
          )}
        </>
      );
      break;
    case 'order_stat':
      subject = small('cond-metric', c.metric, ORDER_METRICS.map((m) => ({ value: m, label: t(`segmentBuilder.metrics.${m}`) })), (metric) => set({ ...c, metric }), 180);
      break;
    case 'purchased':
      subject = small('cond-by', c.by, PURCHASE_BY.map((b) => ({ value: b, label: t(`segmentBuilder.purchaseBy.${b}`) })), (by) => set({ ...c, by }), 110);
      break;
    case 'rfm_score':
      subject = small('cond-dimension', c.dimension, (['r', 'f', 'm'] as const).map((d) => ({ value: d, label: t(`segmentBuilder.rfmDimensions.${d}`) })), (dimension) => set({ ...c, dimension }), 130);
      break;
    case 'lifecycle_stage':
      subject = small('cond-model', c.model ?? 'primary', LIFECYCLE_MODELS.map((m) => ({ value: m, label: t(`segmentBuilder.models.${m}`) })), (model) => {
        const stages = MODEL_STAGES[model] ?? [];
        const keep = (v: unknown) => typeof v === 'string' && stages.includes(v);
        const value = Array.isArray(c.value) ? c.value.filter(keep) : c.value === undefined || keep(c.value) ? c.value : stages[0];
        set({ ...c, model, ...(value === undefined ? {} : { value }) });
      }, 170);
      break;
    default:
      break;
  }

  return (
    <div data-testid={`cond-${key}`}>
      <Flex wrap gap={8} align="center">
        <Select<ConditionType>
          value={c.type}
          disabled={disabled}
          style={{ width: 150 }}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(type) => set(newCondition(type))}
          options={CATEGORIES.map((cat) => ({
            label: t(`segmentBuilder.categories.${cat.key}`),
            title: cat.key,
            options: cat.types.map((type) => ({ value: type, label: t(`segmentBuilder.types.${type}`) })),
          }))}
          data-testid={`cond-type-${key}`}
        />
        {subject}
        {(c.type !== 'attribute' || attribute) && (
          <Select<string>
            value={c.op}
            disabled={disabled}
            style={{ width: 130 }}
            popupMatchSelectWidth={false}
            onChange={setOp}
            options={opsOf(c, attribute?.type).map((op) => ({ value: op, label: t(`segmentBuilder.ops.${op}`) }))}
            data-testid={`cond-op-${key}`}
          />
        )}
        <ConditionValue condition={c} attribute={attribute} onChange={(value) => set({ ...c, value })} testId={`cond-value-${key}`} />
        {(c.type === 'event' || c.type === 'purchased') && <WindowInput value={c.window} onChange={(window) => set({ ...c, window })} testId={`cond-window-${key}`} />}
      </Flex>
      {c.type === 'event' && (c.where?.length || !disabled) ? (
        <PropertyFilters
          value={c.where ?? []}
          onChange={(where) => {
            const { where: _, ...rest } = c;
            set(where.length ? { ...rest, where } : rest);
          }}
          testId={`cond-where-${key}`}
        />
      ) : null}
      <Problems path={path} />
    </div>
  );
}
