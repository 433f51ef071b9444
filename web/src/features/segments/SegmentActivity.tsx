import { useState } from 'react';
import { Segmented, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePaged } from '../customers/usePaged.ts';
import { segmentsApi } from './api.ts';
import { CustomerLink, CustomerTable, PagedFooter } from './CustomerTable.tsx';
import type { HistoryItem, MemberRow, Segment } from './types.ts';
import { rowTestId } from './rowProps.ts';

const PAGE_SIZE = 50;

function Members({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const paged = usePaged<MemberRow, number>(`segment-members:${workspace?.id ?? ''}:${segment.id}:${segment.evaluatedAt ?? ''}`, (cursor, signal) =>
    segmentsApi.members(segment.id, cursor, PAGE_SIZE, signal),
  );
  return (
    <>
      <ErrorAlert error={paged.error} onRetry={paged.reload} />
      <CustomerTable<MemberRow>
        paged={paged}
        testId="segment-members"
        extra={[{ title: t('segmentBuilder.detail.enteredAt'), dataIndex: 'enteredAt', render: (v: string) => formatDateTime(v, timeZone) }]}
      />
    </>
  );
}

function History({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const [change, setChange] = useState<'all' | 'entered' | 'exited'>('all');
  const filter = change === 'all' ? undefined : change;
  const paged = usePaged<HistoryItem, number>(`segment-history:${workspace?.id ?? ''}:${segment.id}:${change}:${segment.lastChangeAt ?? ''}`, (cursor, signal) =>
    segmentsApi.history(segment.id, filter, cursor, PAGE_SIZE, signal),
  );
  return (
    <div data-testid="segment-history">
      <Segmented
        value={change}
        onChange={setChange}
        style={{ marginBottom: 12 }}
        options={(['all', 'entered', 'exited'] as const).map((c) => ({ value: c, label: <span data-testid={`history-filter-${c}`}>{t(`segmentBuilder.history.${c}`)}</span> }))}
      />
      <ErrorAlert error={paged.error} onRetry={paged.reload} />
      <Table<HistoryItem>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={paged.loading}
        dataSource={paged.items}
        locale={{ emptyText: t('segmentBuilder.history.empty') }}
        onRow={(h) => rowTestId(`history-row-${h.customerId}-${h.change}`)}
        columns={[
          { title: t('segmentBuilder.history.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v, timeZone) },
          {
            title: t('segmentBuilder.history.customer'),
            key: 'customer',
            render: (_: unknown, h) => <CustomerLink customer={{ id: h.customerId, name: h.customerName, nickname: null }} />,
          },
          {
            title: t('segmentBuilder.history.change'),
            dataIndex: 'change',
            render: (v: HistoryItem['change']) => (
              <Tag color={v === 'entered' ? 'green' : 'orange'} bordered={false}>
                {t(`segmentBuilder.history.${v}`)}
              </Tag>
            ),
          },
          {
            title: t('segmentBuilder.history.cause'),
            dataIndex: 'cause',
            render: (v: string) => <Typography.Text type="secondary">{t(`segmentBuilder.causes.${v}`, { defaultValue: v })}</Typography.Text>,
          },
        ]}
      />
      <PagedFooter paged={paged} testId="segment-history-more" />
    </div>
  );
}

/** The segment's current members and its entries and exits, as tabs. */
export function SegmentActivity({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  return (
    <Tabs
      items={[
        { key: 'members', label: <span data-testid="segment-tab-members">{t('segmentBuilder.detail.members')}</span>, children: <Members segment={segment} /> },
        { key: 'history', label: <span data-testid="segment-tab-history">{t('segmentBuilder.detail.history')}</span>, children: <History segment={segment} /> },
      ]}
    />
  );
}
