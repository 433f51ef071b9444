import { Card, Col, Descriptions, Row, Statistic, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { formatFen } from '../format.ts';
import type { CustomerStats } from '../types.ts';

const WINDOWS = ['d30', 'd90', 'd180', 'd365'] as const;

/** Order and interaction aggregates, exact at the time of the request. */
export function StatsCard({ stats }: { stats: CustomerStats }) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const when = (v: string | null) => formatDateTime(v, timeZone) || '—';
  const tiles = [
    { key: 'paidAmount', title: t('customers.stats.paidAmount'), value: formatFen(stats.paidAmountFen) },
    { key: 'paidOrders', title: t('customers.stats.paidOrders'), value: String(stats.paidOrderCount) },
    { key: 'refunded', title: t('customers.stats.refunded'), value: formatFen(stats.refundedAmountFen) },
    { key: 'daysSinceJoined', title: t('customers.stats.daysSinceJoined'), value: stats.daysSinceJoined === null ? '—' : String(stats.daysSinceJoined) },
  ];
  const times = [
    { key: 'firstOrder', label: t('customers.stats.firstOrder'), value: when(stats.firstOrderAt) },
    { key: 'lastOrder', label: t('customers.stats.lastOrder'), value: when(stats.lastOrderAt) },
    { key: 'firstInteraction', label: t('customers.stats.firstInteraction'), value: when(stats.firstInteractionAt) },
    { key: 'lastInteraction', label: t('customers.stats.lastInteraction'), value: when(stats.lastInteractionAt) },
    { key: 'interactions', label: t('customers.stats.interactions'), value: String(stats.interactionCount) },
  ];
  return (
    <Card size="small" title={t('customers.stats.title')} data-testid="stats-card">
      <Row gutter={[16, 16]}>
        {tiles.map((x) => (
          <Col key={x.key} xs={12} lg={6}>
            <Statistic title={x.title} value={x.value} data-testid={`stat-${x.key}`} />
          </Col>
        ))}
      </Row>
      <Descriptions
        size="small"
        style={{ marginTop: 16 }}
        column={{ xs: 1, md: 2, xl: 3 }}
        items={times.map((x) => ({ key: x.key, label: x.label, children: <span data-testid={`stat-${x.key}`}>{x.value}</span> }))}
      />
      <Table
        size="small"
        style={{ marginTop: 16 }}
        pagination={false}
        rowKey="window"
        data-testid="stats-windows"
        dataSource={WINDOWS.map((w) => ({ window: w, ...stats.windows[w] }))}
        columns={[
          { title: t('customers.stats.window'), dataIndex: 'window', render: (w: string) => t(`customers.stats.windows.${w}`) },
          { title: t('customers.stats.windowOrders'), dataIndex: 'orders', align: 'right' as const },
          { title: t('customers.stats.windowAmount'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => formatFen(v) },
        ]}
      />
    </Card>
  );
}
