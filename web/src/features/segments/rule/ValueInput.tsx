import type { ReactNode } from 'react';
import { AutoComplete, Flex, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { shapeOf } from './catalog.ts';
import { useEditor } from './editorContext.ts';
import type { RuleValue, Scalar } from './types.ts';

export interface ValueOption {
  value: string | number;
  label: string;
}

export interface ValueInputProps {
  op: string;
  value: RuleValue | undefined;
  onChange(value: RuleValue | undefined): void;
  /** enum: one of the options; text: free text (options are suggestions); number; time: days or calendar days. */
  kind: 'enum' | 'text' | 'number' | 'time';
  options?: readonly ValueOption[];
  /** Numbers shown divided by this (fen shown as yuan). */
  scale?: number;
  min?: number;
  max?: number;
  placeholder?: string;
  testId: string;
}

const asNumber = (v: Scalar | undefined) => (typeof v === 'number' ? v : null);
const asText = (v: Scalar | undefined) => (v === undefined ? '' : String(v));

/** The value editor an op needs: none, one value, a list, a range, a number of days or a day. */
export function ValueInput(props: ValueInputProps) {
  const { t } = useTranslation();
  const { disabled } = useEditor();
  const { op, value, onChange, kind, options = [], scale = 1, testId } = props;
  const shape = shapeOf(op, kind === 'time');
  if (shape === 'none') return null;
  const list = Array.isArray(value) ? value : [];
  const single = Array.isArray(value) ? value[0] : value;

  const numberBox = (v: Scalar | undefined, set: (n: number | undefined) => void, suffix?: string) => (
    <InputNumber
      value={asNumber(v) === null ? null : asNumber(v)! / scale}
      min={props.min}
      max={props.max}
      precision={scale > 1 ? 2 : undefined}
      disabled={disabled}
      style={{ width: 130 }}
      suffix={suffix}
      prefix={scale === 100 ? '¥' : undefined}
      onChange={(n) => set(n === null ? undefined : Math.round(Number(n) * scale))}
    />
  );
  const dayBox = (v: Scalar | undefined, set: (d: string) => void) => (
    <Input type="date" value={asText(v)} disabled={disabled} style={{ width: 160 }} onChange={(e) => set(e.target.value)} />
  );

  let body: ReactNode;
  if (shape === 'days') {
    body = numberBox(single, (n) => onChange(n), op === 'more_than_days_ago' ? t('segmentBuilder.editor.daysAgo') : t('segmentBuilder.editor.days'));
  } else if (shape === 'day') {
    body = dayBox(single, (d) => onChange(d));
  } else if (shape === 'pair') {
    const [a, b] = list.length === 2 ? list : [undefined, undefined];
    const pair = (x: Scalar | undefined, y: Scalar | undefined) => onChange([x ?? (kind === 'time' ? '' : 0), y ?? (kind === 'time' ? '' : 0)]);
    body = (
      <Flex gap={4} align="center">
        {kind === 'time' ? dayBox(a, (d) => pair(d, b)) : numberBox(a, (n) => pair(n, b))}
        <span>–</span>
        {kind === 'time' ? dayBox(b, (d) => pair(a, d)) : numberBox(b, (n) => pair(a, n))}
      </Flex>
    );
  } else if (shape === 'list') {
    body = (
      <Select<(string | number)[]>
        mode={kind === 'enum' ? 'multiple' : 'tags'}
        value={list.map((x) => (typeof x === 'boolean' ? String(x) : x))}
        options={options.map((o) => ({ value: o.value, label: o.label }))}
        disabled={disabled}
        placeholder={props.placeholder ?? (kind === 'enum' ? t('segmentBuilder.editor.choose') : t('segmentBuilder.editor.typeValues'))}
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: 280 }}
        onChange={(next) => onChange(next)}
      />
    );
  } else if (kind === 'number') {
    body = numberBox(single, (n) => onChange(n));
  } else if (kind === 'enum') {
    body = (
      <Select<string | number>
        value={single === undefined ? undefined : typeof single === 'boolean' ? String(single) : single}
        options={options.map((o) => ({ value: o.value, label: o.label }))}
        disabled={disabled}
        placeholder={t('segmentBuilder.editor.choose')}
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: 160 }}
        popupMatchSelectWidth={false}
        onChange={(next) => onChange(next)}
      />
    );
  } else {
    body = (
      <AutoComplete
        value={asText(single)}
        options={options.map((o) => ({ value: String(o.value), label: o.label }))}
        disabled={disabled}
        placeholder={props.placeholder ?? t('segmentBuilder.editor.typeValue')}
        style={{ width: 200 }}
        onChange={(text: string) => onChange(text)}
      />
    );
  }
  return <span data-testid={testId}>{body}</span>;
}
