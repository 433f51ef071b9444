import { useEffect, useEffectEvent, useRef } from 'react';
import { Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api/client.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote, type Remote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { rowTestId } from './rowProps.ts';

/** A recompute run as GET /scoring/runs returns it (dates as ISO strings). */
export interface RecomputeRun {
  id: string;
  trigger: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  /** What a running run is doing: reading, scoring, writing. */
  phase: string | null;
  mode: 'full' | 'changes' | null;
  customers: number;
  changed: number;
  classChanged: number;
  /** Milliseconds per phase of a finished run, in the order the phases ran. */
  timings: Record<string, number> | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  seconds: number | null;
}

export interface RecomputeRunList {
  items: RecomputeRun[];
}

/** How often the list is read again while a run is queued or running. */
const POLL_MS = 2000;

const STATUS_COLORS: Record<RecomputeRun['status'], string> = {
  queued: 'blue',
  running: 'processing',
  completed: 'green',
  failed: 'red',
};

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const isPending = (r: RecomputeRun) => r.status === 'queued' || r.status === 'running';

/**
 * The workspace's recent recompute runs, read again every two seconds while one is queued or
 * running. `onFinished` is called when a run seen queued or running has completed or failed.
 */
export function useRecomputeRuns(onFinished: () => void): Remote<RecomputeRunList> {
  const { workspace } = useSession();
  const runs = useRemote(`scoring-runs:${workspace?.id ?? ''}`, (signal) => api.get<RecomputeRunList>('/scoring/runs', undefined, signal));
  const { data, loading, reload } = runs;
  const pending = data?.items.some(isPending) ?? false;

  // The next reading starts two seconds after the last one answered, so a slow answer is never cut short.
  useEffect(() => {
    if (!pending || loading) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, loading, reload]);

  const seenPending = useRef(new Set<string>());
  const finished = useEffectEvent(() => onFinished());
  useEffect(() => {
    if (!data) return;
    const before = seenPending.current;
    seenPending.current = new Set(data.items.filter(isPending).map((r) => r.id));
    if (data.items.some((r) => before.has(r.id) && !isPending(r))) finished();
  }, [data]);

  return runs;
}

function statusOf(t: TFunction, r: RecomputeRun) {
  const label = t(`rfm.runs.statuses.${r.status}`, { defaultValue: r.status });
  const phase = r.status === 'running' && r.phase ? t(`rfm.runs.runningPhases.${r.phase}`, { defaultValue: r.phase }) : null;
  return (
    <Flex vertical gap={2} align="flex-start">
      <Tag color={STATUS_COLORS[r.status]} data-testid="run-status" data-status={r.status}>
        {phase ? `${label} · ${phase}` : label}
      </Tag>
      {r.status === 'failed' && r.error && (
        <Typography.Text type="danger" style={{ fontSize: 12, maxWidth: 320 }} data-testid="run-error">
          {r.error}
        </Typography.Text>
      )}
    </Flex>
  );
}

function timingsOf(t: TFunction, timings: RecomputeRun['timings']): string {
  if (!timings) return '—';
  return Object.entries(timings)
    .map(([phase, ms]) => t('rfm.runs.phaseMs', { phase: t(`rfm.runs.phases.${phase}`, { defaultValue: phase }), ms: ms.toLocaleString() }))
    .join(' · ');
}

/** Recent recomputes: when and why each was asked for, how it went, what it changed and where its time went. */
export function RecomputeRunsCard({ runs }: { runs: Remote<RecomputeRunList> }) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const items = runs.data?.items;
  const pending = items?.some(isPending) ?? false;
  const number = (n: number, r: RecomputeRun) => (r.status === 'completed' ? n.toLocaleString() : '—');

  return (
    <Card
      title={t('rfm.runs.title')}
      extra={
        pending && (
          <Typography.Text type="secondary" data-testid="runs-refreshing">
            <SyncOutlined spin /> {t('rfm.runs.refreshing')}
          </Typography.Text>
        )
      }
      style={{ marginBottom: 16 }}
      data-testid="recompute-runs"
    >
      <ErrorAlert error={runs.error} onRetry={runs.reload} />
      {items && items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rfm.runs.empty')} data-testid="runs-empty" />
      ) : (
        <Table<RecomputeRun>
          rowKey="id"
          size="small"
          pagination={false}
          loading={runs.loading && !items}
          dataSource={items ?? []}
          scroll={{ x: true }}
          onRow={(r) => rowTestId(`run-row-${r.id}`)}
          data-testid="runs-table"
          columns={[
            {
              title: t('rfm.runs.requestedAt'),
              dataIndex: 'createdAt',
              render: (v: string) => <span style={NOWRAP} data-testid="run-requested-at">{formatDateTime(v, timeZone)}</span>,
            },
            {
              title: t('rfm.runs.trigger'),
              dataIndex: 'trigger',
              render: (v: string, r) => (
                <Flex vertical>
                  <span style={NOWRAP} data-testid="run-trigger">{t(`rfm.runs.triggers.${v}`, { defaultValue: v })}</span>
                  {r.requestedBy && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.requestedBy}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            { title: t('rfm.runs.status'), dataIndex: 'status', render: (_: unknown, r) => statusOf(t, r) },
            {
              title: t('rfm.runs.mode'),
              dataIndex: 'mode',
              render: (v: RecomputeRun['mode']) => <span style={NOWRAP} data-testid="run-mode">{v ? t(`rfm.runs.modes.${v}`, { defaultValue: v }) : '—'}</span>,
            },
            { title: t('rfm.runs.customers'), dataIndex: 'customers', align: 'right', render: (n: number, r) => <span data-testid="run-customers">{number(n, r)}</span> },
            { title: t('rfm.runs.changed'), dataIndex: 'changed', align: 'right', render: (n: number, r) => <span data-testid="run-changed">{number(n, r)}</span> },
            { title: t('rfm.runs.classChanged'), dataIndex: 'classChanged', align: 'right', render: (n: number, r) => <span data-testid="run-class-changed">{number(n, r)}</span> },
            {
              title: t('rfm.runs.duration'),
              dataIndex: 'seconds',
              align: 'right',
              render: (s: number | null) => <span style={NOWRAP} data-testid="run-seconds">{s === null ? '—' : t('rfm.runs.seconds', { seconds: s.toLocaleString() })}</span>,
            },
            {
              title: t('rfm.runs.timings'),
              dataIndex: 'timings',
              render: (v: RecomputeRun['timings']) => (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="run-timings">
                  {timingsOf(t, v)}
                </Typography.Text>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
