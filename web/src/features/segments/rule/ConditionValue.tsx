import { useTranslation } from 'react-i18next';
import { channelLabel, KNOWN_CHANNELS } from '../../customers/format.ts';
import type { AttributeOption } from '../types.ts';
import { CONSENT_STATES, CONSUMPTION_TIERS, GENDERS, isAmountMetric, MODEL_STAGES, RFM_CLASSES, VALUE_LAYERS } from './catalog.ts';
import { useEditor } from './editorContext.ts';
import type { Condition, RuleValue } from './types.ts';
import { ValueInput, type ValueOption } from './ValueInput.tsx';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const fromBooleanText = (v: RuleValue | undefined): RuleValue | undefined => (v === 'true' ? true : v === 'false' ? false : v);

/** The value editor of a condition, with the value set of its type. */
export function ConditionValue(props: { condition: Condition; attribute: AttributeOption | undefined; onChange(value: RuleValue | undefined): void; testId: string }) {
  const { t } = useTranslation();
  const { lookups } = useEditor();
  const { condition: c, attribute, onChange, testId } = props;
  const base = { op: c.op, value: c.value, onChange, testId };
  const labelled = (keys: readonly string[], prefix: string): ValueOption[] => keys.map((k) => ({ value: k, label: t(`${prefix}.${k}`, { defaultValue: k }) }));

  switch (c.type) {
    case 'gender':
      return <ValueInput {...base} kind="enum" options={labelled(GENDERS, 'customers.gender')} />;
    case 'consent':
      return <ValueInput {...base} kind="enum" options={labelled(CONSENT_STATES, 'customers.consent')} />;
    case 'rfm_class':
      return <ValueInput {...base} kind="enum" options={labelled(RFM_CLASSES, 'rfm.classes')} />;
    case 'lifecycle_stage':
      return <ValueInput {...base} kind="enum" options={labelled(MODEL_STAGES[c.model ?? 'primary'] ?? [], 'rfm.stages')} />;
    case 'value_layer':
      return <ValueInput {...base} kind="enum" options={labelled(VALUE_LAYERS, 'rfm.values')} />;
    case 'consumption_tier':
      return <ValueInput {...base} kind="enum" options={labelled(CONSUMPTION_TIERS, 'segmentBuilder.tiers')} />;
    case 'province': case 'city': case 'source_lure':
      return <ValueInput {...base} kind="text" />;
    case 'source_channel':
      return <ValueInput {...base} kind="text" options={KNOWN_CHANNELS.map((ch) => ({ value: ch, label: channelLabel(t, ch) }))} />;
    case 'birthday':
      if (c.op === 'month_in') return <ValueInput {...base} kind="enum" options={MONTHS.map((m) => ({ value: m, label: t('segmentBuilder.editor.month', { month: m }) }))} />;
      if (c.op === 'month_day_eq') return <ValueInput {...base} kind="text" placeholder="MM-DD" />;
      return <ValueInput {...base} kind="time" />;
    case 'owner':
      return <ValueInput {...base} kind="enum" options={lookups.members.map((m) => ({ value: m.userId, label: m.name || m.email }))} />;
    case 'tags':
      return <ValueInput {...base} kind="enum" options={lookups.tags.map((tag) => ({ value: tag.id, label: tag.name }))} />;
    case 'time':
      return <ValueInput {...base} kind="time" />;
    case 'event':
      return <ValueInput {...base} kind="number" />;
    case 'order_stat':
      return <ValueInput {...base} kind="number" scale={isAmountMetric(c.metric) ? 100 : 1} />;
    case 'rfm_score':
      return <ValueInput {...base} kind="number" min={1} max={5} />;
    case 'purchased':
      return <ValueInput {...base} kind="text" />;
    case 'identity':
      return null;
    case 'attribute':
      if (!attribute) return null;
      switch (attribute.type) {
        case 'number': return <ValueInput {...base} kind="number" />;
        case 'date': return <ValueInput {...base} kind="time" />;
        case 'enum': return <ValueInput {...base} kind="enum" options={attribute.options.map((o) => ({ value: o, label: o }))} />;
        case 'boolean':
          return (
            <ValueInput
              {...base}
              kind="enum"
              options={[{ value: 'true', label: t('segmentBuilder.editor.yes') }, { value: 'false', label: t('segmentBuilder.editor.no') }]}
              onChange={(v) => onChange(fromBooleanText(v))}
            />
          );
        default: return <ValueInput {...base} kind="text" />;
      }
  }
}
