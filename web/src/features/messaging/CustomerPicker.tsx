import { useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { customersApi } from '../customers/api.ts';
import { customerName, looksLikePhone } from '../customers/format.ts';

interface Option {
  value: number;
  label: string;
}

/** Finds a customer by name, nickname or phone (typing searches after a pause). */
export function CustomerPicker({ value, onChange, testId, placeholder, width = 280 }: { value: number | null; onChange(id: number | null): void; testId?: string; placeholder?: string; width?: number }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Option[]>([]);
  const [searching, setSearching] = useState(false);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const runSearch = async (text: string) => {
    const input = text.trim().slice(0, 100);
    const mine = ++seq.current;
    if (!input) return setOptions([]);
    setSearching(true);
    try {
      const page = await customersApi.list(looksLikePhone(input) ? { phone: input } : { q: input }, null, 20);
      if (mine === seq.current) setOptions(page.items.map((c) => ({ value: c.id, label: `${customerName(c)}${c.mobile ? ` · ${c.mobile}` : ''} · #${c.id}` })));
    } catch {
      if (mine === seq.current) setOptions([]);
    } finally {
      if (mine === seq.current) setSearching(false);
    }
  };
  const search = (text: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void runSearch(text), 250);
  };

  return (
    <Select<number>
      allowClear
      showSearch={{ filterOption: false, onSearch: search }}
      value={value ?? undefined}
      placeholder={placeholder ?? t('messaging.templates.previewCustomer')}
      notFoundContent={searching ? <Spin size="small" /> : t('messaging.templates.noCustomer')}
      onChange={(id) => onChange(id ?? null)}
      options={value !== null && !options.some((o) => o.value === value) ? [...options, { value, label: `#${value}` }] : options}
      style={{ width }}
      data-testid={testId}
    />
  );
}
