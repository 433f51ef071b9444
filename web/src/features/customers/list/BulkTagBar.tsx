import { useState } from 'react';
import { Alert, App, Button, Flex, Popconfirm, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { tagsApi } from '../../tags/api.ts';
import { describeTagError } from '../../tags/errors.ts';
import { TagSelect } from '../../tags/TagSelect.tsx';
import type { BulkResult } from '../../tags/types.ts';

interface Props {
  selectedIds: number[];
  onClear(): void;
}

interface Outcome {
  action: 'add' | 'remove';
  tagName: string;
  result: BulkResult;
}

/** Adds a tag to, or removes it from, the customers selected in the list; says how many changed. */
export function BulkTagBar({ selectedIds, onClear }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [tag, setTag] = useState<{ id: string; name: string } | null>(null);
  const [busy, setBusy] = useState<'add' | 'remove' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const count = selectedIds.length;

  const run = async (action: 'add' | 'remove') => {
    if (!tag) return;
    setBusy(action);
    try {
      const result = action === 'add' ? await tagsApi.tagCustomers(tag.id, selectedIds) : await tagsApi.untagCustomers(tag.id, selectedIds);
      setOutcome({ action, tagName: tag.name, result });
    } catch (err) {
      message.error(describeTagError(t, err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }}>
      {count > 0 && (
        <Flex gap={8} align="center" wrap data-testid="bulk-tag-bar">
          <Typography.Text strong data-testid="bulk-selected-count">
            {t('tagging.bulk.selected', { count })}
          </Typography.Text>
          <TagSelect value={tag?.id ?? null} onChange={(id, picked) => setTag({ id, name: picked?.name ?? '' })} style={{ width: 220 }} data-testid="bulk-tag-select" />
          <Button type="primary" disabled={!tag} loading={busy === 'add'} onClick={() => run('add')} data-testid="bulk-tag-add">
            {t('tagging.bulk.add')}
          </Button>
          <Popconfirm
            title={t('tagging.bulk.removeConfirm', { count, name: tag?.name ?? '' })}
            okText={t('tagging.bulk.remove')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'confirm-bulk-remove' }}
            onConfirm={() => run('remove')}
            disabled={!tag}
          >
            <Button danger disabled={!tag} loading={busy === 'remove'} data-testid="bulk-tag-remove">
              {t('tagging.bulk.remove')}
            </Button>
          </Popconfirm>
          <Button type="link" onClick={onClear} data-testid="bulk-clear">
            {t('tagging.bulk.clear')}
          </Button>
        </Flex>
      )}
      {outcome && (
        <Alert
          type={outcome.result.skipped > 0 ? 'warning' : 'success'}
          showIcon
          closable={{ onClose: () => setOutcome(null) }}
          data-testid="bulk-tag-result"
          title={t(outcome.action === 'add' ? 'tagging.bulk.addedResult' : 'tagging.bulk.removedResult', {
            name: outcome.tagName,
            changed: outcome.result.changed,
            unchanged: outcome.result.unchanged,
          })}
          description={outcome.result.skipped > 0 ? t('tagging.bulk.skippedResult', { count: outcome.result.skipped }) : undefined}
        />
      )}
    </Flex>
  );
}
