import { Button, Flex, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { channelLabel, formatDate, formatFen } from '../customers/format.ts';
import type { Paged } from '../customers/usePaged.ts';
import type { CustomerRow } from './types.ts';
import { rowTestId } from './rowProps.ts';

export const customerLabel = (c: { id: number; name: string | null; nickname: string | null }) => c.name || c.nickname || `#${c.id}`;

/** A link to a customer's profile, named as a person would recognise them. */
export function CustomerLink({ customer }: { customer: { id: number; name: string | null; nickname: string | null } }) {
  return (
    <Link to={`/customers/${customer.id}`} data-testid={`customer-link-${customer.id}`}>
      {customerLabel(customer)}
    </Link>
  );
}

/** The customers behind a number, a page at a time, each linking to the profile. */
export function CustomerTable<T extends CustomerRow>({ paged, extra = [], testId }: { paged: Paged<T>; extra?: ColumnsType<T>; testId: string }) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const columns: ColumnsType<T> = [
    { title: t('customers.columns.name'), key: 'name', render: (_: unknown, c) => <CustomerLink customer={c} /> },
    { title: t('customers.columns.mobile'), dataIndex: 'mobile', render: (v: string | null) => v ?? dash },
    { title: t('segmentBuilder.columns.city'), dataIndex: 'city', render: (v: string | null) => v ?? dash },
    { title: t('customers.columns.channel'), dataIndex: 'sourceChannel', render: (v: string | null) => (v ? channelLabel(t, v) : dash) },
    { title: t('customers.columns.joined'), dataIndex: 'joinedAt', render: (v: string | null) => (v ? formatDate(v, timeZone) : dash) },
    ...extra,
    { title: t('customers.columns.paidAmount'), dataIndex: 'paidAmountFen', align: 'right', render: (v: number) => formatFen(v) },
    { title: t('customers.columns.orders'), dataIndex: 'paidOrderCount', align: 'right' },
  ];
  return (
    <div data-testid={testId}>
      <Table<T>
        rowKey="id"
        size="middle"
        loading={paged.loading}
        dataSource={paged.items}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('segmentBuilder.common.noCustomers') }}
        onRow={(c) => rowTestId(`customer-row-${c.id}`)}
      />
      <PagedFooter paged={paged} testId={`${testId}-more`} />
    </div>
  );
}

/** "Load more" while the server has another page, "no more" after the last. */
export function PagedFooter({ paged, testId }: { paged: Paged<unknown>; testId: string }) {
  const { t } = useTranslation();
  return (
    <Flex justify="center" style={{ marginTop: 16 }}>
      {paged.hasMore ? (
        <Button onClick={paged.loadMore} loading={paged.loadingMore} data-testid={testId}>
          {t('common.loadMore')}
        </Button>
      ) : (
        paged.items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
      )}
    </Flex>
  );
}
