import { useState } from 'react';
import { App, Button, Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { describeError } from '../../../app/api/errors.ts';
import type { AuditEntry, AuditPage } from '../../../app/api/types.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { ActionFilter } from './ActionFilter.tsx';

const PAGE_SIZE = 20;

interface MorePages {
  key: string;
  items: AuditEntry[];
  cursor: string | null;
}

export function AuditLogPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone } = useSession();
  const [action, setAction] = useState('');
  const key = `audit:${workspace?.id ?? ''}:${action}`;
  const query = { action: action || undefined, limit: PAGE_SIZE };
  const first = useRemote(key, (signal) => api.get<AuditPage>('/audit-log', query, signal));
  const [more, setMore] = useState<MorePages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more?.key === key ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const cursor = extra ? extra.cursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.get<AuditPage>('/audit-log', { ...query, cursor });
      setMore({ key, items: [...(extra?.items ?? []), ...page.items], cursor: page.nextCursor });
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div data-testid="audit-panel">
      <Flex justify="space-between" align="center" wrap gap={16} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">
          {t('audit.intro')} {t('audit.timeZoneNote', { timeZone })}
        </Typography.Text>
        <ActionFilter value={action} onChange={setAction} />
      </Flex>
      <ErrorAlert error={first.error} onRetry={first.reload} />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={first.loading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('audit.empty') }}
        scroll={{ x: true }}
        data-testid="audit-table"
        columns={[
          {
            title: t('audit.time'),
            dataIndex: 'occurredAt',
            width: 170,
            render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, timeZone)}</span>,
          },
          {
            title: t('audit.actor'),
            key: 'actor',
            render: (_: unknown, e: AuditEntry) => (
              <Flex gap={6} align="center">
                <Tag bordered={false}>{t(`audit.actorTypes.${e.actorType}`, { defaultValue: e.actorType })}</Tag>
                <span>{e.actorLabel ?? e.actorId ?? ''}</span>
              </Flex>
            ),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (a: string) => (
              <span data-testid="audit-action">
                {t(`audit.actions.${a}`, { defaultValue: a })} <Typography.Text type="secondary" code>{a}</Typography.Text>
              </span>
            ),
          },
          {
            title: t('audit.target'),
            key: 'target',
            render: (_: unknown, e: AuditEntry) =>
              e.targetType ? (
                <span title={e.targetId ?? ''}>
                  {e.targetType}
                  {e.targetId ? ` ${e.targetId.slice(-8)}` : ''}
                </span>
              ) : null,
          },
          {
            title: t('audit.details'),
            dataIndex: 'details',
            render: (d: unknown) => {
              const text = d && typeof d === 'object' && Object.keys(d).length > 0 ? JSON.stringify(d) : '';
              return (
                <Typography.Text type="secondary" ellipsis={{ tooltip: text }} style={{ maxWidth: 360, fontSize: 12 }}>
                  {text}
                </Typography.Text>
              );
            },
          },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 16 }}>
        {cursor ? (
          <Button onClick={loadMore} loading={loadingMore} data-testid="audit-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          items.length > 0 && <Typography.Text type="secondary" data-testid="audit-end">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </div>
  );
}
