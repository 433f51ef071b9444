import { Button, Form, Input, Radio, Select, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ImportKind, MappingChoice, Preset } from './types.ts';

export interface MappingState {
  source: 'preset' | 'custom';
  preset: string | undefined;
  /** The pasted or loaded mapping file (JSON). */
  customText: string;
  params: Record<string, string>;
}

export const EMPTY_MAPPING: MappingState = { source: 'preset', preset: undefined, customText: '', params: {} };

/** The mapping to send, or why it cannot be sent yet (a translation key). */
export function mappingChoice(state: MappingState, presets: Preset[]): { ok: true; choice: MappingChoice } | { ok: false; problem: string } {
  let mapping: MappingChoice['mapping'];
  let needed: string[];
  if (state.source === 'preset') {
    const preset = presets.find((p) => p.name === state.preset);
    if (!preset) return { ok: false, problem: 'imports.mapping.choosePreset' };
    mapping = preset.name;
    needed = Object.keys(preset.params);
  } else {
    try {
      const parsed: unknown = JSON.parse(state.customText);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'imports.mapping.notObject' };
      mapping = parsed as Record<string, unknown>;
      const declared = (parsed as { params?: unknown }).params;
      needed = declared && typeof declared === 'object' ? Object.keys(declared) : [];
    } catch {
      return { ok: false, problem: 'imports.mapping.invalidJson' };
    }
  }
  const params = Object.fromEntries(needed.map((k) => [k, (state.params[k] ?? '').trim()]).filter(([, v]) => v));
  return { ok: true, choice: { mapping, ...(Object.keys(params).length ? { params } : {}) } };
}

/** Params the chosen mapping declares: name → what to pass. */
function declaredParams(state: MappingState, presets: Preset[]): Record<string, string> {
  if (state.source === 'preset') return presets.find((p) => p.name === state.preset)?.params ?? {};
  try {
    const declared = (JSON.parse(state.customText) as { params?: unknown }).params;
    return declared && typeof declared === 'object' ? (declared as Record<string, string>) : {};
  } catch {
    return {};
  }
}

interface Props {
  kind: ImportKind;
  presets: Preset[];
  value: MappingState;
  disabled: boolean;
  onChange(next: MappingState): void;
}

/** A preset for a platform export, or a mapping file pasted or loaded; and its parameters. */
export function MappingChooser({ kind, presets, value, disabled, onChange }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<MappingState>) => onChange({ ...value, ...patch });
  const options = presets.filter((p) => p.kind === kind);
  const chosen = presets.find((p) => p.name === value.preset);
  const params = declaredParams(value, presets);
  return (
    <>
      <Form.Item label={t('imports.mapping.label')}>
        <Radio.Group
          value={value.source}
          disabled={disabled}
          onChange={(e) => set({ source: e.target.value as MappingState['source'] })}
          optionType="button"
          options={[
            { value: 'preset', label: t('imports.mapping.preset') },
            { value: 'custom', label: t('imports.mapping.custom') },
          ]}
          data-testid="mapping-source"
        />
      </Form.Item>
      {value.source === 'preset' ? (
        <Form.Item label={t('imports.mapping.presetLabel')} extra={chosen && <Typography.Text type="secondary">{chosen.description}</Typography.Text>}>
          <Select
            value={value.preset}
            disabled={disabled}
            onChange={(preset: string) => set({ preset })}
            placeholder={t('imports.mapping.choosePreset')}
            aria-label={t('imports.mapping.presetLabel')}
            data-testid="mapping-preset"
            style={{ maxWidth: 360 }}
            options={options.map((p) => ({ value: p.name, label: t(`imports.presets.${p.name}`, { defaultValue: p.name }) }))}
          />
        </Form.Item>
      ) : (
        <Form.Item label={t('imports.mapping.customLabel')} extra={t('imports.mapping.customHint')}>
          <Input.TextArea
            value={value.customText}
            disabled={disabled}
            onChange={(e) => set({ customText: e.target.value })}
            autoSize={{ minRows: 4, maxRows: 14 }}
            style={{ fontFamily: 'monospace', fontSize: 12 }}
            placeholder='{ "version": 1, "kind": "orders", ... }'
            aria-label={t('imports.mapping.customLabel')}
            data-testid="mapping-json"
          />
          <Upload
            accept=".json,application/json"
            showUploadList={false}
            disabled={disabled}
            beforeUpload={(file) => {
              void file.text().then((customText) => set({ customText }));
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} style={{ marginTop: 8 }}>
              {t('imports.mapping.loadFile')}
            </Button>
          </Upload>
        </Form.Item>
      )}
      {Object.entries(params).map(([name, hint]) => (
        <Form.Item key={name} label={t('imports.mapping.param', { name })} extra={hint} required>
          <Input
            value={value.params[name] ?? ''}
            disabled={disabled}
            onChange={(e) => set({ params: { ...value.params, [name]: e.target.value } })}
            style={{ maxWidth: 360 }}
            data-testid={`mapping-param-${name}`}
          />
        </Form.Item>
      ))}
    </>
  );
}
