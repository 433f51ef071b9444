import { useState } from 'react';
import { App, Button, Card, Flex, List, Popconfirm, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../app/format.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { tagsApi } from '../../tags/api.ts';
import { describeTagError } from '../../tags/errors.ts';
import { TagSelect } from '../../tags/TagSelect.tsx';
import type { CustomerTag } from '../../tags/types.ts';

interface Props {
  customerId: number;
  /** Operators with tags.write on an active (not merged-away) customer. */
  canEdit: boolean;
  /** Called after a tag was added or removed (the timeline has a new entry). */
  onChanged(): void;
}

/** The customer's tags with how each was given (by hand or by a rule), by whom and when; add and remove by hand. */
export function TagsCard({ customerId, canEdit, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone } = useSession();
  const tags = useRemote(`customer-tags:${workspace?.id ?? ''}:${customerId}`, (signal) => tagsApi.customerTags(customerId, signal));
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const items = tags.data?.items ?? [];

  const change = async (tagId: string, name: string, action: 'add' | 'remove') => {
    setBusy(action === 'add' ? 'add' : tagId);
    try {
      const r = action === 'add' ? await tagsApi.addToCustomer(customerId, tagId) : await tagsApi.removeFromCustomer(customerId, tagId);
      if (action === 'add') {
        message.success(t(r.changed ? 'tagging.customer.added' : 'tagging.customer.alreadyHad', { name }));
        setPicked(null);
      } else {
        message.success(t('tagging.customer.removed', { name }));
      }
      if (r.changed) onChanged();
    } catch (err) {
      message.error(describeTagError(t, err));
    } finally {
      setBusy(null);
      tags.reload();
    }
  };

  return (
    <Card size="small" title={t('tagging.customer.title')} data-testid="customer-tags-card">
      <ErrorAlert error={tags.error} onRetry={tags.reload} />
      {canEdit && (
        <Flex gap={8} style={{ marginBottom: 8 }}>
          <TagSelect
            value={picked?.id ?? null}
            onChange={(id, tag) => setPicked({ id, name: tag?.name ?? '' })}
            exclude={items.map((i) => i.tagId)}
            style={{ flex: 1 }}
            data-testid="customer-tag-select"
          />
          <Button type="primary" disabled={!picked} loading={busy === 'add'} onClick={() => picked && change(picked.id, picked.name, 'add')} data-testid="customer-tag-add">
            {t('tagging.customer.add')}
          </Button>
        </Flex>
      )}
      <List
        size="small"
        dataSource={items}
        loading={tags.loading && items.length === 0}
        locale={{ emptyText: t('tagging.customer.empty') }}
        data-testid="customer-tags"
        renderItem={(item) => (
          <List.Item
            data-testid={`customer-tag-${item.name}`}
            actions={canEdit ? [<RemoveAction key="remove" item={item} busy={busy === item.tagId} onRemove={() => change(item.tagId, item.name, 'remove')} />] : []}
          >
            <Flex vertical style={{ minWidth: 0 }}>
              <Flex gap={6} align="center" wrap>
                <Tag color={item.color} style={{ marginInlineEnd: 0 }}>{item.name}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{item.groupName}</Typography.Text>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="customer-tag-origin">
                <TagOrigin item={item} timeZone={timeZone} />
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** "Manual · by who · when", or "Rule: name · when". */
function TagOrigin({ item, timeZone }: { item: CustomerTag; timeZone: string }) {
  const { t } = useTranslation();
  const parts = [
    item.source === 'rule' && item.ruleName ? t('tagging.customer.viaRule', { rule: item.ruleName }) : t(`tagging.sources.${item.source}`),
    item.source !== 'rule' && item.addedBy ? t('tagging.customer.by', { who: item.addedBy }) : '',
    formatDateTime(item.addedAt, timeZone),
  ];
  const text = parts.filter(Boolean).join(' · ');
  if (item.source === 'rule' && item.expiresAt) return <Tooltip title={t('tagging.customer.expires', { at: formatDateTime(item.expiresAt, timeZone) })}>{text}</Tooltip>;
  return <>{text}</>;
}

/** Remove by hand; a rule's tag is kept by its rule (removing it would only last until the next evaluation). */
function RemoveAction({ item, busy, onRemove }: { item: CustomerTag; busy: boolean; onRemove(): void }) {
  const { t } = useTranslation();
  if (item.source === 'rule') {
    return (
      <Tooltip title={t('tagging.customer.ruleKept')}>
        <LockOutlined data-testid={`customer-tag-locked-${item.name}`} />
      </Tooltip>
    );
  }
  return (
    <Popconfirm
      title={t('tagging.customer.removeConfirm', { name: item.name })}
      okText={t('tagging.customer.remove')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, 'data-testid': 'confirm-remove-customer-tag' }}
      onConfirm={onRemove}
    >
      <Button size="small" type="link" danger loading={busy} data-testid={`customer-tag-remove-${item.name}`}>
        {t('tagging.customer.remove')}
      </Button>
    </Popconfirm>
  );
}
