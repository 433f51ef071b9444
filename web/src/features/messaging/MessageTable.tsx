import { Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { StatusTag, whyNotSent } from './reasons.tsx';
import { rowTestId } from './rowProps.ts';
import type { Message } from './types.ts';

interface Props {
  items: Message[];
  loading: boolean;
  emptyText: string;
  onOpen(message: Message): void;
  /** Hide the customer column (a customer's own messages). */
  hideCustomer?: boolean;
  rowSelection?: TableProps<Message>['rowSelection'];
  /** Extra columns after the reason (dead letters: attempts, last error, actions). */
  extra?: { title: string; key: string; render(m: Message): ReactNode }[];
}

/** Messages of the ledger: when, to whom, channel, source, status and why not sent. Click a row for the details. */
export function MessageTable({ items, loading, emptyText, onOpen, hideCustomer, rowSelection, extra = [] }: Props) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const now = new Date();
  return (
    <Table<Message>
      rowKey="id"
      size="middle"
      pagination={false}
      loading={loading}
      dataSource={items}
      scroll={{ x: true }}
      locale={{ emptyText }}
      {...(rowSelection ? { rowSelection } : {})}
      onRow={(m) => rowTestId(`message-row-${m.id}`, () => onOpen(m))}
      columns={[
        { title: t('messaging.columns.createdAt'), key: 'createdAt', render: (_: unknown, m) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.createdAt, timeZone)}</span> },
        ...(hideCustomer
          ? []
          : [{
              title: t('messaging.columns.customer'),
              key: 'customer',
              render: (_: unknown, m: Message) => (
                <Link to={`/customers/${m.customerId}`} onClick={(e) => e.stopPropagation()} data-testid={`message-customer-${m.id}`}>
                  {m.customerLabel ?? `#${m.customerId}`}
                </Link>
              ),
            }]),
        { title: t('messaging.columns.channel'), key: 'channel', render: (_: unknown, m) => t(`messaging.channels.${m.channel}`, { defaultValue: m.channel }) },
        {
          title: t('messaging.columns.source'),
          key: 'source',
          render: (_: unknown, m) => (
            <span>
              {t(`messaging.sources.${m.source.kind}`, { defaultValue: m.source.kind })}
              {m.source.step && <Typography.Text type="secondary"> · {m.source.step}</Typography.Text>}
            </span>
          ),
        },
        { title: t('messaging.columns.status'), key: 'status', render: (_: unknown, m) => <StatusTag status={m.status} testId={`message-status-${m.id}`} /> },
        {
          title: t('messaging.columns.reason'),
          key: 'reason',
          render: (_: unknown, m) => {
            const why = whyNotSent(t, m, timeZone, now);
            return why ? <span data-testid={`message-reason-${m.id}`}>{why}</span> : <Typography.Text type="secondary">—</Typography.Text>;
          },
        },
        {
          title: t('messaging.columns.content'),
          key: 'content',
          render: (_: unknown, m) => (
            <Typography.Text ellipsis style={{ maxWidth: 260 }} type={m.body ? undefined : 'secondary'}>
              {m.body ?? t('messaging.notRendered')}
            </Typography.Text>
          ),
        },
        ...extra.map((c) => ({ title: c.title, key: c.key, render: (_: unknown, m: Message) => c.render(m) })),
      ]}
    />
  );
}
