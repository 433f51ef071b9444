import { useState } from 'react';
import { Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerFilter } from '../api.ts';
import { looksLikePhone } from '../format.ts';
import { useLookups } from '../lookups.tsx';

type Mode = 'auto' | 'name' | 'phone' | 'identity';

/** The search part of a filter: who is looked for, by name, phone or one identity. */
export type SearchFilter = Pick<CustomerFilter, 'q' | 'phone' | 'identityType' | 'identityValue' | 'identityScope'>;

function initialMode(f: SearchFilter): Mode {
  if (f.identityType) return 'identity';
  if (f.phone) return 'phone';
  return 'auto';
}

/**
 * One search box: by default a number (full, 138****8888 or the last four digits) searches
 * phones and anything else names; the mode picker searches one identity type instead.
 */
export function CustomerSearch({ value, onSearch }: { value: SearchFilter; onSearch(next: SearchFilter): void }) {
  const { t } = useTranslation();
  const { identityTypes, identityLabel } = useLookups();
  const [mode, setMode] = useState<Mode>(initialMode(value));
  const [text, setText] = useState(value.q ?? value.phone ?? value.identityValue ?? '');
  const [type, setType] = useState(value.identityType ?? 'wechat_unionid');
  const [scope, setScope] = useState(value.identityScope ?? '');
  const scoped = identityTypes.find((x) => x.key === type)?.isScoped ?? false;

  const search = (raw: string) => {
    const input = raw.trim();
    if (!input) return onSearch({});
    if (mode === 'identity') return onSearch({ identityType: type, identityValue: input, ...(scoped && scope.trim() ? { identityScope: scope.trim() } : {}) });
    if (mode === 'phone' || (mode === 'auto' && looksLikePhone(input))) return onSearch({ phone: input });
    return onSearch({ q: input });
  };

  return (
    <Space.Compact style={{ width: mode === 'identity' ? 720 : 520, maxWidth: '100%' }}>
      <Select<Mode>
        value={mode}
        onChange={setMode}
        style={{ width: 150 }}
        aria-label={t('customers.search.mode')}
        data-testid="customer-search-mode"
        options={[
          { value: 'auto', label: t('customers.search.auto') },
          { value: 'name', label: t('customers.search.name') },
          { value: 'phone', label: t('customers.search.phone') },
          { value: 'identity', label: t('customers.search.identity') },
        ]}
      />
      {mode === 'identity' && (
        <Select
          value={type}
          onChange={setType}
          style={{ width: 180 }}
          aria-label={t('customers.search.identityType')}
          data-testid="customer-search-identity-type"
          options={identityTypes.map((x) => ({ value: x.key, label: identityLabel(x.key) }))}
        />
      )}
      {mode === 'identity' && scoped && (
        <Input
          value={scope}
          onChange={(e) => setScope(e.target.value)}
          placeholder={t('customers.search.scope')}
          aria-label={t('customers.search.scope')}
          style={{ width: 160 }}
        />
      )}
      <Input.Search
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={search}
        enterButton
        placeholder={t(mode === 'identity' ? 'customers.search.identityPlaceholder' : mode === 'phone' ? 'customers.search.phonePlaceholder' : 'customers.search.placeholder')}
        aria-label={t('customers.search.label')}
        data-testid="customer-search"
      />
    </Space.Compact>
  );
}
