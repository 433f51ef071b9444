import { useState } from 'react';
import { Button, Card, Flex, Segmented, Select, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { rowTestId } from '../../segments/rowProps.ts';
import { journeysApi } from '../api.ts';
import { exitReasonText } from '../issues.ts';
import { ENROLLMENT_STATES, type Enrollment, type EnrollmentState, type Step } from '../types.ts';

const STATE_COLORS: Record<EnrollmentState, string> = { active: 'blue', completed: 'green', exited: 'default' };

interface Page {
  items: Enrollment[];
  nextCursor: number | null;
}

interface Props {
  journeyId: string;
  steps: Step[];
  refresh: number;
  /** Only customers who reached this step (a node or funnel row picked on the page). */
  step: string | undefined;
  onStep(step: string | undefined): void;
}

/** The customers behind the numbers: every enrollment with where it stands, filtered by state or step reached. */
export function EnrollmentsCard({ journeyId, steps, refresh, step, onStep }: Props) {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const [state, setState] = useState<EnrollmentState | 'all'>('all');
  const [more, setMore] = useState<{ key: string; pages: Page[] }>({ key: '', pages: [] });
  const filter = { state: state === 'all' ? undefined : state, step };
  const key = `journey-enrollments:${workspace?.id ?? ''}:${journeyId}:${state}:${step ?? ''}:${refresh}`;
  const first = useRemote(key, (signal) => journeysApi.enrollments(journeyId, filter, null, signal));
  const extra = more.key === key ? more.pages : [];
  const items = [...(first.data?.items ?? []), ...extra.flatMap((p) => p.items)];
  const cursor = extra.length ? extra[extra.length - 1]!.nextCursor : (first.data?.nextCursor ?? null);
  const [loadingMore, setLoadingMore] = useState(false);
  const loadMore = async () => {
    if (cursor === null) return;
    setLoadingMore(true);
    try {
      const page = await journeysApi.enrollments(journeyId, filter, cursor);
      setMore({ key, pages: [...extra, page] });
    } finally {
      setLoadingMore(false);
    }
  };
  const stepName = (id: string | null) => {
    if (!id) return '—';
    const s = steps.find((x) => x.id === id);
    return s?.name || id;
  };
  return (
    <Card
      size="small"
      title={t('journeys.enrollments.title')}
      data-testid="enrollments-card"
      extra={
        <Flex gap={8}>
          <Segmented<EnrollmentState | 'all'>
            size="small"
            value={state}
            onChange={setState}
            options={(['all', ...ENROLLMENT_STATES] as const).map((s) => ({ value: s, label: <span data-testid={`enrollment-filter-${s}`}>{s === 'all' ? t('journeys.list.all') : t(`journeys.enrollments.states.${s}`)}</span> }))}
          />
          <Select
            size="small"
            allowClear
            value={step}
            placeholder={t('journeys.enrollments.reached')}
            onChange={(v: string | undefined) => onStep(v)}
            options={steps.map((s) => ({ value: s.id, label: s.name || s.id }))}
            style={{ width: 160 }}
            data-testid="enrollment-step-filter"
          />
        </Flex>
      }
    >
      <ErrorAlert error={first.error} onRetry={first.reload} />
      <Table<Enrollment>
        rowKey="id"
        size="small"
        pagination={false}
        loading={first.loading && !first.data}
        dataSource={items}
        scroll={{ x: true }}
        locale={{ emptyText: t('journeys.enrollments.empty') }}
        onRow={(e) => rowTestId(`enrollment-row-${e.customerId ?? e.groupId ?? e.id}`)}
        columns={[
          {
            title: t('journeys.enrollments.customer'),
            key: 'customer',
            render: (_: unknown, e) =>
              e.customerId !== null ? (
                <Link to={`/customers/${e.customerId}`} data-testid={`enrollment-customer-${e.customerId}`}>
                  #{e.customerId}
                </Link>
              ) : (
                (e.groupId ?? '—')
              ),
          },
          {
            title: t('journeys.enrollments.state'),
            key: 'state',
            render: (_: unknown, e) => (
              <Tag bordered={false} color={STATE_COLORS[e.state]}>
                {t(`journeys.enrollments.states.${e.state}`)}
                {e.state === 'exited' && e.endReason ? ` · ${exitReasonText(t, e.endReason)}` : ''}
              </Tag>
            ),
          },
          { title: t('journeys.enrollments.step'), key: 'step', render: (_: unknown, e) => (e.isWaiting ? t('journeys.enrollments.waitingAt', { step: stepName(e.currentStep) }) : stepName(e.currentStep)) },
          { title: t('journeys.enrollments.variant'), dataIndex: 'variant', render: (v: string | null) => v ?? '—' },
          { title: t('journeys.enrollments.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          { title: t('journeys.enrollments.entered'), dataIndex: 'enteredAt', render: (v: string) => formatDateTime(v, timeZone) },
          { title: t('journeys.enrollments.nextRun'), dataIndex: 'nextRunAt', render: (v: string | null) => (v ? formatDateTime(v, timeZone) : '—') },
          { title: t('journeys.enrollments.converted'), dataIndex: 'convertedAt', render: (v: string | null) => (v ? formatDateTime(v, timeZone) : '—') },
        ]}
      />
      {cursor !== null && (
        <Button block style={{ marginTop: 12 }} loading={loadingMore} onClick={loadMore} data-testid="enrollments-more">
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}
