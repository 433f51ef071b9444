import type { CSSProperties } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { tagsApi } from './api.ts';
import type { TagView } from './types.ts';

interface Props {
  value?: string | null;
  onChange?(tagId: string, tag: TagView | undefined): void;
  /** Tags not offered (a customer's own tags). */
  exclude?: readonly string[];
  disabled?: boolean;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** Picks a tag, grouped by tag group and searchable by name. */
export function TagSelect({ value, onChange, exclude = [], disabled, style, 'data-testid': testId }: Props) {
  const { t } = useTranslation();
  const { workspace } = useSession();
  const groups = useRemote(`tag-groups:${workspace?.id ?? ''}`, (signal) => tagsApi.groups(signal));
  const items = groups.data?.items ?? [];
  const skip = new Set(exclude);
  const byId = new Map(items.flatMap((g) => g.tags.map((tag) => [tag.id, tag] as const)));
  const options = items
    .map((g) => ({ label: g.name, title: g.name, options: g.tags.filter((tag) => !skip.has(tag.id)).map((tag) => ({ value: tag.id, label: tag.name })) }))
    .filter((g) => g.options.length > 0);
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      value={value ?? null}
      onChange={(id: string) => onChange?.(id, byId.get(id))}
      options={options}
      loading={groups.loading}
      disabled={disabled}
      placeholder={t('tagging.picker.placeholder')}
      notFoundContent={t('tagging.picker.noTags')}
      style={{ minWidth: 200, ...style }}
      data-testid={testId}
      popupMatchSelectWidth={false}
    />
  );
}
