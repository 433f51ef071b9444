import { Button, Flex, Input, InputNumber, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { newWindow, windowKind } from './catalog.ts';
import { useEditor } from './editorContext.ts';
import { PROPERTY_OPS, type PropertyFilter, type PropertyOp, type RuleWindow } from './types.ts';

/** When events or purchases count: the last N days, two days, or ever. */
export function WindowInput({ value, onChange, testId }: { value: RuleWindow | undefined; onChange(w: RuleWindow): void; testId: string }) {
  const { t } = useTranslation();
  const { disabled, today } = useEditor();
  const kind = windowKind(value);
  return (
    <Flex gap={4} align="center" data-testid={testId}>
      <Select
        value={kind}
        disabled={disabled}
        style={{ width: 120 }}
        onChange={(k) => onChange(newWindow(k, today))}
        options={(['lastDays', 'range', 'allTime'] as const).map((k) => ({ value: k, label: t(`segmentBuilder.windows.${k}`) }))}
      />
      {value && 'lastDays' in value && (
        <InputNumber
          value={value.lastDays}
          min={1}
          max={3650}
          disabled={disabled}
          style={{ width: 110 }}
          suffix={t('segmentBuilder.editor.days')}
          onChange={(n) => onChange({ lastDays: n === null ? 1 : Number(n) })}
        />
      )}
      {value && 'from' in value && (
        <>
          <Input type="date" value={value.from} disabled={disabled} style={{ width: 160 }} onChange={(e) => onChange({ ...value, from: e.target.value })} />
          <span>–</span>
          <Input type="date" value={value.to} disabled={disabled} style={{ width: 160 }} onChange={(e) => onChange({ ...value, to: e.target.value })} />
        </>
      )}
    </Flex>
  );
}

function filterValue(f: PropertyFilter, set: (f: PropertyFilter) => void, disabled: boolean) {
  if (f.op === 'exists' || f.op === 'not_exists') return null;
  if (f.op === 'in' || f.op === 'not_in') {
    const list = Array.isArray(f.value) ? f.value.map(String) : [];
    return <Select mode="tags" value={list} disabled={disabled} style={{ width: 220 }} onChange={(v: string[]) => set({ ...f, value: v })} />;
  }
  if (['gt', 'gte', 'lt', 'lte'].includes(f.op)) {
    return <InputNumber value={typeof f.value === 'number' ? f.value : null} disabled={disabled} onChange={(n) => set({ ...f, value: n === null ? undefined : Number(n) })} />;
  }
  return <Input value={f.value === undefined ? '' : String(f.value)} disabled={disabled} style={{ width: 160 }} onChange={(e) => set({ ...f, value: e.target.value })} />;
}

/** Filters on event properties (`category = serum`); values compare as text, or as numbers for > ≥ < ≤. */
export function PropertyFilters({ value, onChange, testId }: { value: PropertyFilter[]; onChange(next: PropertyFilter[]): void; testId: string }) {
  const { t } = useTranslation();
  const { disabled } = useEditor();
  const setAt = (i: number, f: PropertyFilter) => onChange(value.map((x, j) => (j === i ? f : x)));
  const changeOp = (f: PropertyFilter, op: PropertyOp): PropertyFilter => {
    const { value: v, ...rest } = f;
    if (op === 'exists' || op === 'not_exists') return { ...rest, op };
    if (op === 'in' || op === 'not_in') return { ...rest, op, value: Array.isArray(v) ? v : v === undefined || v === '' ? [] : [String(v)] };
    if (['gt', 'gte', 'lt', 'lte'].includes(op)) return { ...rest, op, ...(typeof v === 'number' ? { value: v } : {}) };
    return { ...rest, op, value: Array.isArray(v) ? String(v[0] ?? '') : v === undefined ? '' : String(v) };
  };
  return (
    <Flex vertical gap={6} style={{ marginTop: 8 }} data-testid={testId}>
      {value.map((f, i) => (
        <Flex key={i} gap={6} align="center" wrap>
          <span>{t('segmentBuilder.editor.where')}</span>
          <Input value={f.property} disabled={disabled} placeholder={t('segmentBuilder.editor.property')} style={{ width: 160 }} onChange={(e) => setAt(i, { ...f, property: e.target.value })} />
          <Select<PropertyOp>
            value={f.op}
            disabled={disabled}
            style={{ width: 120 }}
            onChange={(op) => setAt(i, changeOp(f, op))}
            options={PROPERTY_OPS.map((op) => ({ value: op, label: t(`segmentBuilder.ops.${op}`) }))}
          />
          {filterValue(f, (next) => setAt(i, next), disabled)}
          {!disabled && <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t('common.delete')} />}
        </Flex>
      ))}
      {!disabled && (
        <div>
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => onChange([...value, { property: '', op: 'eq', value: '' }])} data-testid={`${testId}-add`}>
            {t('segmentBuilder.editor.addFilter')}
          </Button>
        </div>
      )}
    </Flex>
  );
}
