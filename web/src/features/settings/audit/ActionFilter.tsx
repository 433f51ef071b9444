import { useState } from 'react';
import { AutoComplete, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** Actions the console knows by name; the filter also takes any other action or prefix. */
const KNOWN_ACTIONS = [
  'member.',
  'member.add',
  'member.change_role',
  'member.remove',
  'api_key.',
  'api_key.create',
  'api_key.revoke',
  'workspace.',
  'workspace.create',
  'workspace.update',
];

/** Filters by action; the server matches the text as a prefix (`member.` finds every member action). */
export function ActionFilter({ value, onChange }: { value: string; onChange(action: string): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const options = KNOWN_ACTIONS.filter((a) => a.startsWith(draft.trim())).map((a) => ({
    value: a,
    label: a.endsWith('.') ? `${a}*` : `${t(`audit.actions.${a}`, { defaultValue: a })} · ${a}`,
  }));
  return (
    <AutoComplete
      value={draft}
      options={options}
      onChange={(next: string) => setDraft(next)}
      onSelect={(next: string) => {
        setDraft(next);
        onChange(next);
      }}
      style={{ width: 340 }}
    >
      <Input.Search
        allowClear
        placeholder={t('audit.filterPlaceholder')}
        aria-label={t('audit.action')}
        data-testid="audit-filter"
        onSearch={(text) => onChange(text.trim())}
      />
    </AutoComplete>
  );
}
