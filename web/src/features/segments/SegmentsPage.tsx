import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api/client.ts';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TransitionsCard } from './TransitionsCard.tsx';

type Level = 'high' | 'low';

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
  primary: string;
  totalCustomers: number;
  models: { model: string; buckets: { key: string | null; customers: number; share: number }[] }[];
}

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
const yuan = (fen: number) => `¥${(fen / 100).toLocaleString(undefined, { maximumFractionDigits: 0 })}`;

/** The segments area: the RFM matrix and the lifecycle distribution (the segment builder comes later). */
export default function SegmentsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { workspace, timeZone, can } = useSession();
  const key = workspace?.id ?? '';
  const rfm = useRemote(`rfm:${key}`, (signal) => api.get<RfmMatrix>('/scoring/rfm', undefined, signal));
  const lifecycle = useRemote(`lifecycle:${key}`, (signal) => api.get<LifecycleReply>('/scoring/lifecycle', undefined, signal));
  const [requesting, setRequesting] = useState(false);
  const en = i18n.language === 'en';

  const recompute = async () => {
    setRequesting(true);
    try {
      await api.post('/scoring/recompute', {});
      message.success(t('rfm.recomputeQueued'));
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setRequesting(false);
    }
  };

  const matrix = rfm.data;
  const primary = lifecycle.data?.models.find((m) => m.model === lifecycle.data?.primary);
  return (
    <div data-testid="segments-area">
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('rfm.builderLater')} />
      <Card
        title={t('rfm.title')}
        extra={
          <Flex gap={12} align="center">
            <Typography.Text type="secondary" data-testid="rfm-as-of">
              {matrix?.asOf ? t('rfm.asOf', { time: formatDateTime(matrix.asOf, timeZone) }) : t('rfm.never')}
            </Typography.Text>
            {can('segments.write') && (
              <Button icon={<ReloadOutlined />} loading={requesting} onClick={recompute} data-testid="rfm-recompute">
                {t('rfm.recompute')}
              </Button>
            )}
          </Flex>
        }
        style={{ marginBottom: 16 }}
      >
        <ErrorAlert error={rfm.error} onRetry={rfm.reload} />
        {matrix && (
          <Typography.Paragraph type="secondary" data-testid="rfm-summary">
            {t('rfm.summary', {
              window: t(`rfm.windows.${matrix.window}`, { defaultValue: matrix.window }),
              method: t(`rfm.methods.${matrix.method}`, { defaultValue: matrix.method }),
              total: matrix.totalCustomers.toLocaleString(),
              without: matrix.withoutOrders.toLocaleString(),
            })}
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
            { title: t('rfm.customers'), dataIndex: 'customers', align: 'right', render: (n: number, c) => <span data-testid={`rfm-customers-${c.key}`}>{n.toLocaleString()}</span> },
            { title: t('rfm.share'), dataIndex: 'share', align: 'right', render: percent },
            { title: t('rfm.revenueShare'), dataIndex: 'revenueShare', align: 'right', render: (v: number, c) => <span title={yuan(c.revenueFen)}>{percent(v)}</span> },
            { title: t('rfm.avgRecency'), dataIndex: 'avgRecencyDays', align: 'right', render: (v: number | null) => (v === null ? '—' : t('rfm.days', { count: Math.round(v) })) },
            { title: t('rfm.strategy'), dataIndex: 'strategy', render: (s: RfmClassRow['strategy']) => <Typography.Text type="secondary">{en ? s.en : s.zh}</Typography.Text> },
          ]}
        />
      </Card>
      <Card title={t('rfm.lifecycleTitle')}>
        <ErrorAlert error={lifecycle.error} onRetry={lifecycle.reload} />
        {primary ? (
          <Table
            rowKey={(b) => b.key ?? 'none'}
            size="small"
            pagination={false}
            dataSource={primary.buckets}
            data-testid="lifecycle-table"
            columns={[
              { title: t('rfm.stage'), dataIndex: 'key', render: (k: string | null) => (k ? t(`rfm.stages.${k}`, { defaultValue: k }) : t('rfm.noStage')) },
              { title: t('rfm.customers'), dataIndex: 'customers', align: 'right', render: (n: number) => n.toLocaleString() },
              { title: t('rfm.share'), dataIndex: 'share', align: 'right', render: percent },
            ]}
          />
        ) : (
          !lifecycle.loading && <Empty />
        )}
      </Card>
      <TransitionsCard />
    </div>
  );
}
