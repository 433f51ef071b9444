import { useState } from 'react';
import { Button, Card, Flex, Segmented, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { rowTestId } from '../segments/rowProps.ts';
import { journeysApi } from './api.ts';
import { JourneyActions } from './JourneyActions.tsx';
import { StatusTag } from './StatusTag.tsx';
import { JOURNEY_STATUSES, type JourneyStatus, type JourneySummary } from './types.ts';

/** Journeys, most recently changed first: status, version, trigger, customers in flight, and the life-cycle actions. */
export function JourneyListPage() {
  const { t } = useTranslation();
  const { workspace, timeZone, can } = useSession();
  const navigate = useNavigate();
  const [status, setStatus] = useState<JourneyStatus | 'all'>('all');
  const [version, setVersion] = useState(0);
  const filter = status === 'all' ? undefined : status;
  const list = useRemote(`journeys:${workspace?.id ?? ''}:${status}:${version}`, (signal) => journeysApi.list(filter, undefined, signal));
  const writer = can('journeys.write');
  return (
    <Card
      title={t('journeys.list.title')}
      data-testid="journey-list"
      extra={
        <Flex gap={8} align="center">
          <Segmented<JourneyStatus | 'all'>
            value={status}
            onChange={setStatus}
            options={(['all', ...JOURNEY_STATUSES] as const).map((s) => ({ value: s, label: <span data-testid={`journey-filter-${s}`}>{s === 'all' ? t('journeys.list.all') : t(`journeys.status.${s}`)}</span> }))}
          />
          {writer && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/journeys/new')} data-testid="journey-create">
              {t('journeys.list.create')}
            </Button>
          )}
        </Flex>
      }
    >
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<JourneySummary>
        rowKey="id"
        size="middle"
        pagination={false}
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: status === 'all' ? t('journeys.list.empty') : t('journeys.list.noMatch') }}
        onRow={(j) => rowTestId(`journey-row-${j.name}`)}
        columns={[
          {
            title: t('journeys.list.name'),
            key: 'name',
            render: (_: unknown, j) => (
              <Flex vertical>
                <Link to={`/journeys/${j.id}`} data-testid={`journey-link-${j.name}`}>
                  {j.name}
                </Link>
                {j.description && (
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 360 }}>
                    {j.description}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          { title: t('journeys.list.status'), key: 'status', render: (_: unknown, j) => <StatusTag status={j.status} testId={`journey-status-${j.id}`} /> },
          {
            title: t('journeys.list.version'),
            key: 'version',
            render: (_: unknown, j) => (
              <span data-testid={`journey-version-${j.id}`}>
                v{j.latestVersion}
                {j.liveVersion && j.liveVersion !== j.latestVersion ? <Typography.Text type="secondary"> ({t('journeys.list.live', { version: j.liveVersion })})</Typography.Text> : null}
              </span>
            ),
          },
          {
            title: t('journeys.list.trigger'),
            key: 'trigger',
            render: (_: unknown, j) => (
              <span data-testid={`journey-trigger-${j.id}`}>
                {t(`journeys.triggerTypes.${j.triggerType}`)}
                {j.nextFireAt && <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>{t('journeys.list.nextFire', { at: formatDateTime(j.nextFireAt, timeZone) })}</Typography.Text>}
              </span>
            ),
          },
          { title: t('journeys.list.inFlight'), key: 'inFlight', align: 'right', render: (_: unknown, j) => <span data-testid={`journey-inflight-${j.id}`}>{j.inFlight.toLocaleString()}</span> },
          { title: t('journeys.list.updated'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v, timeZone) },
          ...(writer
            ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, j: JourneySummary) => <JourneyActions journey={j} onDone={() => setVersion((v) => v + 1)} /> }]
            : []),
        ]}
      />
    </Card>
  );
}
