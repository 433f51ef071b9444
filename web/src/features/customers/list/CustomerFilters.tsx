import { useState } from 'react';
import { AutoComplete, Flex, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerFilter } from '../api.ts';
import { channelLabel, KNOWN_CHANNELS } from '../format.ts';
import { useLookups } from '../lookups.tsx';

export type AttributeFilter = Pick<CustomerFilter, 'consent' | 'sourceChannel' | 'owner' | 'attribute'>;

/** Filters the API serves from indexes: consent, source channel, owner, one custom attribute. */
export function CustomerFilters({ value, onChange }: { value: AttributeFilter; onChange(next: AttributeFilter): void }) {
  const { t } = useTranslation();
  const { members } = useLookups();
  const [channel, setChannel] = useState(value.sourceChannel ?? '');
  const set = (patch: AttributeFilter) => onChange({ ...value, ...patch });
  const channelOptions = KNOWN_CHANNELS.filter((c) => !channel || c.includes(channel) || channelLabel(t, c).includes(channel)).map((c) => ({
    value: c,
    label: `${channelLabel(t, c)} · ${c}`,
  }));

  return (
    <Flex gap={12} wrap align="center" data-testid="customer-filters">
      <Select
        allowClear
        placeholder={t('customers.filters.consent')}
        aria-label={t('customers.filters.consent')}
        data-testid="filter-consent"
        value={value.consent}
        onChange={(consent?: string) => set({ consent })}
        style={{ width: 150 }}
        options={['granted', 'denied', 'unknown'].map((c) => ({ value: c, label: t(`customers.consent.${c}`) }))}
      />
      <AutoComplete
        value={channel}
        options={channelOptions}
        onChange={(next: string) => setChannel(next)}
        onSelect={(next: string) => {
          setChannel(next);
          set({ sourceChannel: next });
        }}
        style={{ width: 240 }}
      >
        <Input.Search
          allowClear
          placeholder={t('customers.filters.channel')}
          aria-label={t('customers.filters.channel')}
          data-testid="filter-channel"
          onSearch={(text) => set({ sourceChannel: text.trim() || undefined })}
        />
      </AutoComplete>
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('customers.filters.owner')}
        aria-label={t('customers.filters.owner')}
        data-testid="filter-owner"
        value={value.owner}
        onChange={(owner?: string) => set({ owner })}
        style={{ width: 180 }}
        options={members.map((m) => ({ value: m.userId, label: m.name || m.email }))}
      />
      <AttributeFilterInput value={value.attribute} onChange={(attribute) => set({ attribute })} />
    </Flex>
  );
}

/** `key=value` over one custom attribute; enum and boolean attributes offer their values. */
function AttributeFilterInput({ value, onChange }: { value: string | undefined; onChange(next: string | undefined): void }) {
  const { t } = useTranslation();
  const { attributes, attributeLabel } = useLookups();
  const [initialKey, ...rest] = (value ?? '').split('=');
  const [key, setKey] = useState<string | undefined>(initialKey || undefined);
  const [text, setText] = useState(rest.join('='));
  const def = attributes.find((a) => a.key === key);
  if (attributes.length === 0) return null;
  const apply = (k: string | undefined, v: string) => onChange(k && v !== '' ? `${k}=${v}` : undefined);
  const choices = def?.type === 'enum' ? def.options : def?.type === 'boolean' ? ['true', 'false'] : null;
  return (
    <Space.Compact>
      <Select
        allowClear
        placeholder={t('customers.filters.attribute')}
        aria-label={t('customers.filters.attribute')}
        value={key}
        onChange={(k?: string) => {
          setKey(k);
          setText('');
          if (!k) onChange(undefined);
        }}
        style={{ width: 160 }}
        options={attributes.map((a) => ({ value: a.key, label: attributeLabel(a.key) }))}
      />
      {choices ? (
        <Select
          value={text || undefined}
          disabled={!key}
          placeholder={t('customers.filters.attributeValue')}
          aria-label={t('customers.filters.attributeValue')}
          onChange={(v: string) => {
            setText(v);
            apply(key, v);
          }}
          style={{ width: 160 }}
          options={choices.map((o) => ({ value: o, label: def?.type === 'boolean' ? t(`customers.boolean.${o}`) : o }))}
        />
      ) : (
        <Input.Search
          value={text}
          disabled={!key}
          placeholder={t('customers.filters.attributeValue')}
          aria-label={t('customers.filters.attributeValue')}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => apply(key, v.trim())}
          style={{ width: 200 }}
        />
      )}
    </Space.Compact>
  );
}
