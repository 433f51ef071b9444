import { Button, Card, Flex, Input, Select, Table, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePaged } from '../customers/usePaged.ts';
import { messagingApi } from './api.ts';
import { StatusTag, whyNotSent } from './reasons.tsx';
import { rowTestId } from './rowProps.ts';
import { GROUP_POST_REASONS, GROUP_POST_STATUSES, SOURCE_KINDS, type GroupPost, type GroupPostFilter } from './types.ts';

const PAGE = 50;

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Posts to groups (group SOPs): each with its status and, for anything not sent, why. Filters live in the address. */
export function GroupPostsPage() {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const [params, setParams] = useSearchParams();
  const filter: GroupPostFilter = {
    status: pick(params.get('status'), GROUP_POST_STATUSES),
    reason: pick(params.get('reason'), GROUP_POST_REASONS),
    groupId: params.get('group') || undefined,
    sourceKind: pick(params.get('source'), SOURCE_KINDS),
    sourceId: params.get('sourceId') || undefined,
  };
  const list = usePaged<GroupPost, string>(`group-posts:${workspace?.id ?? ''}:${params.toString()}`, (cursor, signal) => messagingApi.groupPosts(filter, cursor, PAGE, signal));
  const set = (name: string, value: string | undefined | null) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === null || value === '') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  const now = new Date();

  return (
    <Card title={t('messaging.groupPosts.title')} data-testid="group-posts">
      <Typography.Paragraph type="secondary">{t('messaging.groupPosts.intro')}</Typography.Paragraph>
      <Flex gap={8} wrap style={{ marginBottom: 16 }} data-testid="group-posts-filters">
        <Select allowClear placeholder={t('messaging.filters.status')} value={filter.status} onChange={(v) => set('status', v)} options={GROUP_POST_STATUSES.map((v) => ({ value: v, label: t(`messaging.status.${v}`) }))} style={{ width: 130 }} data-testid="group-filter-status" />
        <Select allowClear placeholder={t('messaging.filters.reason')} value={filter.reason} onChange={(v) => set('reason', v)} options={GROUP_POST_REASONS.map((v) => ({ value: v, label: t(`messaging.reasonNames.${v}`) }))} style={{ width: 170 }} data-testid="group-filter-reason" />
        <Input.Search allowClear key={`group:${filter.groupId ?? ''}`} defaultValue={filter.groupId} placeholder={t('messaging.groupPosts.groupId')} onSearch={(v) => set('group', v.trim())} style={{ width: 200 }} data-testid="group-filter-group" />
        <Input.Search allowClear key={`sourceId:${filter.sourceId ?? ''}`} defaultValue={filter.sourceId} placeholder={t('messaging.filters.sourceId')} onSearch={(v) => set('sourceId', v.trim())} style={{ width: 220 }} data-testid="group-filter-source-id" />
        {params.size > 0 && (
          <Button onClick={() => setParams(new URLSearchParams(), { replace: true })} data-testid="group-filter-clear">
            {t('messaging.filters.clear')}
          </Button>
        )}
      </Flex>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<GroupPost>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.loading}
        dataSource={list.items}
        scroll={{ x: true }}
        locale={{ emptyText: params.size > 0 ? t('messaging.groupPosts.noMatch') : t('messaging.groupPosts.empty') }}
        onRow={(p) => rowTestId(`group-post-row-${p.id}`)}
        expandable={{
          expandedRowRender: (p) => (
            <div data-testid={`group-post-detail-${p.id}`}>
              {p.title && <Typography.Paragraph strong>{p.title}</Typography.Paragraph>}
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.body ?? t('messaging.notRendered')}</Typography.Paragraph>
              {p.adlawWarnings?.length ? (
                <Typography.Text type="warning">{t('messaging.groupPosts.adlawWarnings', { words: [...new Set(p.adlawWarnings.map((f) => f.term))].join(t('messaging.listSeparator')) })}</Typography.Text>
              ) : null}
            </div>
          ),
        }}
        columns={[
          { title: t('messaging.columns.createdAt'), key: 'createdAt', render: (_: unknown, p) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(p.createdAt, timeZone)}</span> },
          { title: t('messaging.groupPosts.group'), key: 'group', render: (_: unknown, p) => <Typography.Text code data-testid={`group-post-group-${p.id}`}>{p.groupId}</Typography.Text> },
          {
            title: t('messaging.columns.source'),
            key: 'source',
            render: (_: unknown, p) => (
              <span>
                {t(`messaging.sources.${p.source.kind}`, { defaultValue: p.source.kind })}
                {p.source.step && <Typography.Text type="secondary"> · {p.source.step}</Typography.Text>}
              </span>
            ),
          },
          { title: t('messaging.columns.status'), key: 'status', render: (_: unknown, p) => <StatusTag status={p.status} testId={`group-post-status-${p.id}`} /> },
          {
            title: t('messaging.columns.reason'),
            key: 'reason',
            render: (_: unknown, p) => {
              const why = whyNotSent(t, { ...p, lastError: null, attempts: 0 }, timeZone, now);
              return why ? <span data-testid={`group-post-reason-${p.id}`}>{why}</span> : <Typography.Text type="secondary">—</Typography.Text>;
            },
          },
          {
            title: t('messaging.groupPosts.sentAt'),
            key: 'sentAt',
            render: (_: unknown, p) => (p.sentAt ? <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(p.sentAt, timeZone)}</span> : <Typography.Text type="secondary">—</Typography.Text>),
          },
          { title: t('messaging.groupPosts.driver'), key: 'driver', render: (_: unknown, p) => t(`messaging.groupPosts.drivers.${p.driver}`, { defaultValue: p.driver }) },
          {
            title: t('messaging.columns.content'),
            key: 'content',
            render: (_: unknown, p) => (
              <Typography.Text ellipsis style={{ maxWidth: 260 }} type={p.body ? undefined : 'secondary'}>
                {p.body ?? t('messaging.notRendered')}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 16 }}>
        {list.hasMore ? (
          <Button onClick={() => void list.loadMore()} loading={list.loadingMore} data-testid="group-posts-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          list.items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
