import { Button, Card, Result, Table, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePaged } from '../customers/usePaged.ts';
import { segmentsApi, type TransitionCell } from './api.ts';
import { CustomerLink, PagedFooter } from './CustomerTable.tsx';
import { transitionValueLabel } from './transitionLabels.ts';
import { TRANSITION_DIMENSIONS, type TransitionCustomer, type TransitionDimension } from './types.ts';
import { rowTestId } from './rowProps.ts';

const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The cell a transitions link names: `?dimension=&from=&to=&fromValue=&toValue=` (a value left out: no value). */
export function transitionCellHref(cell: TransitionCell): string {
  const params = new URLSearchParams({ dimension: cell.dimension, from: cell.from, to: cell.to });
  if (cell.fromValue !== undefined) params.set('fromValue', cell.fromValue);
  if (cell.toValue !== undefined) params.set('toValue', cell.toValue);
  return `/segments/transitions?${params.toString()}`;
}

function readCell(params: URLSearchParams): TransitionCell | null {
  const dimension = params.get('dimension') as TransitionDimension | null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (!dimension || !TRANSITION_DIMENSIONS.includes(dimension) || !DAY.test(from) || !DAY.test(to)) return null;
  return { dimension, from, to, fromValue: params.get('fromValue') ?? undefined, toValue: params.get('toValue') ?? undefined };
}

/** The customers behind one cell of the transitions: who had one value on the first day and another on the second. */
export function TransitionCustomersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { workspace } = useSession();
  const cell = readCell(params);
  const key = cell ? `transition-customers:${workspace?.id ?? ''}:${params.toString()}` : null;
  const paged = usePaged<TransitionCustomer, number>(key, (cursor, signal) => segmentsApi.transitionCustomers(cell!, cursor, PAGE_SIZE, signal));
  if (!cell) return <Result status="warning" title={t('segmentBuilder.explore.badLink')} />;
  const label = (v: string | undefined) => transitionValueLabel(t, cell.dimension, v ?? null);
  return (
    <div data-testid="transition-customers">
      <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/segments/rfm')} style={{ marginBottom: 8 }}>
        {t('segmentBuilder.common.back')}
      </Button>
      <Card
        title={t('segmentBuilder.transitions.title', { from: label(cell.fromValue), to: label(cell.toValue) })}
        extra={
          <Typography.Text type="secondary">
            {t(`rfm.dimensions.${cell.dimension}`)} · {t('segmentBuilder.transitions.days', { from: cell.from, to: cell.to })}
          </Typography.Text>
        }
      >
        <ErrorAlert error={paged.error} onRetry={paged.reload} />
        <Table<TransitionCustomer>
          rowKey="customerId"
          size="middle"
          pagination={false}
          loading={paged.loading}
          dataSource={paged.items}
          locale={{ emptyText: t('segmentBuilder.common.noCustomers') }}
          onRow={(c) => rowTestId(`customer-row-${c.customerId}`)}
          columns={[
            { title: t('customers.columns.name'), key: 'name', render: (_: unknown, c) => <CustomerLink customer={{ id: c.customerId, name: c.name, nickname: c.nickname }} /> },
            { title: t('segmentBuilder.transitions.customerId'), dataIndex: 'customerId', render: (id: number) => <Typography.Text type="secondary">#{id}</Typography.Text> },
          ]}
        />
        <PagedFooter paged={paged} testId="transition-customers-more" />
      </Card>
    </div>
  );
}
