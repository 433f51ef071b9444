import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Segmented, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../../app/api/client.ts';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote, type Remote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RecomputeRunsCard, useRecomputeRuns, type RecomputeRun } from './RecomputeRunsCard.tsx';
import { exploreHref } from './rule/tree.ts';
import type { Rule } from './rule/types.ts';
import { TransitionsCard } from './TransitionsCard.tsx';

type Level = 'high' | 'low';
type Model = 'days' | 'stage' | 'business';

interface RfmClassRow {
  key: string;
  r: Level;
  f: Level;
  m: Level;
  customers: number;
  share: number;
  revenueFen: number;
  revenueShare: number;
  avgRecencyDays: number | null;
  avgFrequency: number | null;
  avgMonetaryFen: number | null;
  strategy: { zh: string; en: string };
}

interface RfmMatrix {
  asOf: string | null;
  window: string;
  method: string;
  totalCustomers: number;
  withoutOrders: number;
  classes: RfmClassRow[];
}

interface LifecycleReply {
  primary: Model;
  totalCustomers: number;
  models: { model: Model; buckets: { key: string | null; customers: number; share: number }[] }[];
}

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
const yuan = (fen: number) => `¥${(fen / 100).toLocaleString(undefined, { maximumFractionDigits: 0 })}`;

/**
 * Rules that select exactly the customers the reports count. The reports count scored
 * customers (customer_scores); every scored customer has a value layer, so "value layer is set"
 * is "scored", and a missing class or stage among them is "is not set" within it.
 */
const SCORED: Rule = { type: 'value_layer', op: 'is_set' };
const rfmClassRule = (key: string): Rule => ({ type: 'rfm_class', op: 'eq', value: key });
const WITHOUT_ORDERS: Rule = { type: 'and', children: [{ type: 'rfm_class', op: 'is_not_set' }, SCORED] };
const stageRule = (model: Model, key: string | null): Rule =>
  key === null ? { type: 'and', children: [{ type: 'lifecycle_stage', model, op: 'is_not_set' }, SCORED] } : { type: 'lifecycle_stage', model, op: 'eq', value: key };

function CountLink({ rule, n, testId }: { rule: Rule; n: number; testId: string }) {
  return (
    <Link to={exploreHref(rule)} data-testid={testId}>
      {n.toLocaleString()}
    </Link>
  );
}

function LifecycleCard({ lifecycle }: { lifecycle: Remote<LifecycleReply> }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Model | null>(null);
  const model = chosen ?? lifecycle.data?.primary ?? 'days';
  const buckets = lifecycle.data?.models.find((m) => m.model === model)?.buckets;
  return (
    <Card
      title={t('rfm.lifecycleTitle')}
      extra={
        lifecycle.data && (
          <Segmented<Model>
            value={model}
            onChange={setChosen}
            options={(['days', 'stage', 'business'] as const).map((m) => ({
              value: m,
              label: <span data-testid={`lifecycle-model-${m}`}>{t(`segmentBuilder.models.${m}`) + (m === lifecycle.data?.primary ? ` ${t('segmentBuilder.rfm.primaryMark')}` : '')}</span>,
            }))}
          />
        )
      }
    >
      <ErrorAlert error={lifecycle.error} onRetry={lifecycle.reload} />
      {buckets ? (
        <Table
          rowKey={(b) => b.key ?? 'none'}
          size="small"
          pagination={false}
          dataSource={buckets}
          data-testid="lifecycle-table"
          columns={[
            { title: t('rfm.stage'), dataIndex: 'key', render: (k: string | null) => (k ? t(`rfm.stages.${k}`, { defaultValue: k }) : t('rfm.noStage')) },
            {
              title: t('rfm.customers'),
              dataIndex: 'customers',
              align: 'right',
              render: (n: number, b) => <CountLink rule={stageRule(model, b.key)} n={n} testId={`lifecycle-customers-${model}-${b.key ?? 'none'}`} />,
            },
            { title: t('rfm.share'), dataIndex: 'share', align: 'right', render: percent },
          ]}
        />
      ) : (
        !lifecycle.loading && <Empty />
      )}
    </Card>
  );
}

/**
 * The RFM matrix, the recent recompute runs, the lifecycle distribution and the transitions;
 * every count opens the customers behind it. The reports are read again when a run finishes.
 */
export function RfmPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone, can } = useSession();
  const rfm = useRemote(`rfm:${workspace?.id ?? ''}`, (signal) => api.get<RfmMatrix>('/scoring/rfm', undefined, signal));
  const lifecycle = useRemote(`lifecycle:${workspace?.id ?? ''}`, (signal) => api.get<LifecycleReply>('/scoring/lifecycle', undefined, signal));
  const runs = useRecomputeRuns(() => {
    rfm.reload();
    lifecycle.reload();
  });
  const [requesting, setRequesting] = useState<'changes' | 'full' | null>(null);
  const en = i18n.language === 'en';

  const recompute = async (full: boolean) => {
    setRequesting(full ? 'full' : 'changes');
    try {
      const reply = await api.post<{ run: RecomputeRun; created: boolean }>('/scoring/recompute', full ? { full: true } : {});
      if (reply.created) message.success(t('rfm.recomputeQueued'));
      else message.info(t('rfm.recomputePending'));
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setRequesting(null);
      runs.reload();
    }
  };

  const matrix = rfm.data;
  return (
    <div data-testid="segments-area">
      <Card
        title={t('rfm.title')}
        extra={
          <Flex gap={12} align="center">
            <Typography.Text type="secondary" data-testid="rfm-as-of">
              {matrix?.asOf ? t('rfm.asOf', { time: formatDateTime(matrix.asOf, timeZone) }) : t('rfm.never')}
            </Typography.Text>
            {can('segments.write') && (
              <>
                <Button icon={<ReloadOutlined />} loading={requesting === 'changes'} disabled={requesting === 'full'} onClick={() => void recompute(false)} data-testid="rfm-recompute">
                  {t('rfm.recompute')}
                </Button>
                <Tooltip title={t('rfm.recomputeFullHelp')}>
                  <Button icon={<SyncOutlined />} loading={requesting === 'full'} disabled={requesting === 'changes'} onClick={() => void recompute(true)} data-testid="rfm-recompute-full">
                    {t('rfm.recomputeFull')}
                  </Button>
                </Tooltip>
              </>
            )}
          </Flex>
        }
        style={{ marginBottom: 16 }}
      >
        <ErrorAlert error={rfm.error} onRetry={rfm.reload} />
        {matrix && (
          <Typography.Paragraph type="secondary" data-testid="rfm-summary">
            <Trans
              i18nKey="segmentBuilder.rfm.summary"
              values={{
                window: t(`rfm.windows.${matrix.window}`, { defaultValue: matrix.window }),
                method: t(`rfm.methods.${matrix.method}`, { defaultValue: matrix.method }),
                total: matrix.totalCustomers.toLocaleString(),
                without: matrix.withoutOrders.toLocaleString(),
              }}
              components={{
                total: <Link to={exploreHref(SCORED)} data-testid="rfm-total" />,
                without: <Link to={exploreHref(WITHOUT_ORDERS)} data-testid="rfm-without-orders" />,
              }}
            />
          </Typography.Paragraph>
        )}
        <Table<RfmClassRow>
          rowKey="key"
          size="middle"
          pagination={false}
          loading={rfm.loading && !matrix}
          dataSource={matrix?.classes ?? []}
          scroll={{ x: true }}
          data-testid="rfm-matrix"
          columns={[
            { title: t('rfm.class'), dataIndex: 'key', render: (k: string) => <strong data-testid={`rfm-class-${k}`}>{t(`rfm.classes.${k}`)}</strong> },
            {
              title: 'R / F / M',
              key: 'dims',
              render: (_: unknown, c: RfmClassRow) => (
                <Flex gap={4}>
                  {(['r', 'f', 'm'] as const).map((d) => (
                    <Tag key={d} color={c[d] === 'high' ? 'green' : 'default'} bordered={false}>
                      {d.toUpperCase()} {c[d] === 'high' ? '↑' : '↓'}
                    </Tag>
                  ))}
                </Flex>
              ),
            },
            { title: t('rfm.customers'), dataIndex: 'customers', align: 'right', render: (n: number, c) => <CountLink rule={rfmClassRule(c.key)} n={n} testId={`rfm-customers-${c.key}`} /> },
            { title: t('rfm.share'), dataIndex: 'share', align: 'right', render: percent },
            { title: t('rfm.revenueShare'), dataIndex: 'revenueShare', align: 'right', render: (v: number, c) => <span title={yuan(c.revenueFen)}>{percent(v)}</span> },
            { title: t('rfm.avgRecency'), dataIndex: 'avgRecencyDays', align: 'right', render: (v: number | null) => (v === null ? '—' : t('rfm.days', { count: Math.round(v) })) },
            { title: t('rfm.strategy'), dataIndex: 'strategy', render: (s: RfmClassRow['strategy']) => <Typography.Text type="secondary">{en ? s.en : s.zh}</Typography.Text> },
          ]}
        />
      </Card>
      <RecomputeRunsCard runs={runs} />
      <LifecycleCard lifecycle={lifecycle} />
      <TransitionsCard />
    </div>
  );
}
