import { useState } from 'react';
import { Button, Card, Flex, Input, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { segmentsApi } from './api.ts';
import type { Segment } from './types.ts';
import { rowTestId } from './rowProps.ts';

export function StatusTag({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  return (
    <Tag color={segment.status === 'active' ? 'green' : 'default'} bordered={false} data-testid={`segment-status-${segment.id}`}>
      {t(`segmentBuilder.status.${segment.status}`)}
    </Tag>
  );
}

/** Saved segments with their member counts, status and last entry or exit. */
export function SegmentListPage() {
  const { t } = useTranslation();
  const { workspace, timeZone, can } = useSession();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const list = useRemote(`segments:${workspace?.id ?? ''}:${q}`, (signal) => segmentsApi.list(q || undefined, signal));
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Card
      title={t('segmentBuilder.list.title')}
      data-testid="segment-list"
      extra={
        <Flex gap={8}>
          <Input.Search allowClear placeholder={t('segmentBuilder.list.search')} onSearch={(v) => setQ(v.trim())} style={{ width: 220 }} data-testid="segment-search" />
          {can('segments.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/segments/new')} data-testid="segment-create">
              {t('segmentBuilder.list.create')}
            </Button>
          )}
        </Flex>
      }
    >
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<Segment>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: q ? t('segmentBuilder.list.noMatch') : t('segmentBuilder.list.empty') }}
        onRow={(s) => rowTestId(`segment-row-${s.name}`)}
        columns={[
          {
            title: t('segmentBuilder.list.name'),
            key: 'name',
            render: (_: unknown, s) => (
              <Flex vertical>
                <Link to={`/segments/${s.id}`} data-testid={`segment-link-${s.name}`}>
                  {s.name}
                </Link>
                {s.description && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.description}</Typography.Text>}
              </Flex>
            ),
          },
          {
            title: t('segmentBuilder.list.members'),
            key: 'members',
            align: 'right',
            render: (_: unknown, s) =>
              s.evaluatedAt ? <span data-testid={`segment-count-${s.name}`}>{s.memberCount.toLocaleString()}</span> : <Tag bordered={false}>{t('segmentBuilder.list.computing')}</Tag>,
          },
          { title: t('segmentBuilder.list.status'), key: 'status', render: (_: unknown, s) => <StatusTag segment={s} /> },
          { title: t('segmentBuilder.list.lastChange'), dataIndex: 'lastChangeAt', render: (v: string | null) => (v ? formatDateTime(v, timeZone) : dash) },
          { title: t('segmentBuilder.list.updated'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v, timeZone) },
        ]}
      />
    </Card>
  );
}
