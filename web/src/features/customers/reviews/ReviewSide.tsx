import type { ReactNode } from 'react';
import { Card, Descriptions, Flex, List, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { customersApi } from '../api.ts';
import { channelLabel, customerName, formatDate, formatFen } from '../format.ts';
import { useLookups } from '../lookups.tsx';
import type { ReviewCustomer } from '../types.ts';

interface Props {
  customer: ReviewCustomer;
  evidence: { type: string; value: string }[];
  chooser: ReactNode;
}

/** One side of a review: the customer's key fields and identities, loaded from their profile. */
export function ReviewSide({ customer, evidence, chooser }: Props) {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const { identityLabel } = useLookups();
  const remote = useRemote(`review-side:${workspace?.id ?? ''}:${customer.id}`, (signal) => customersApi.profile(customer.id, signal));
  const p = remote.data;
  const isEvidence = (type: string, value: string) => evidence.some((e) => e.type === type && e.value === value);

  return (
    <Card
      size="small"
      type="inner"
      data-testid={`review-side-${customer.id}`}
      title={
        <Flex gap={8} align="center">
          <Link to={`/customers/${customer.id}`}>{customerName(customer)}</Link>
          <Typography.Text type="secondary">#{customer.id}</Typography.Text>
        </Flex>
      }
      extra={chooser}
    >
      {customer.mergedInto !== null && (
        <Tag color="orange" bordered={false} style={{ marginBottom: 8 }}>
          {t('customers.profile.mergedAway', { id: `#${customer.mergedInto}` })}
        </Tag>
      )}
      <ErrorAlert error={remote.error} onRetry={remote.reload} />
      {!p && !remote.error && <Spin size="small" />}
      {p && (
        <>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'nickname', label: t('customers.fields.nickname'), children: p.nickname ?? '—' },
              { key: 'mobile', label: t('customers.fields.mobile'), children: p.mobile ?? '—' },
              { key: 'city', label: t('customers.fields.city'), children: [p.province, p.city].filter(Boolean).join(' ') || '—' },
              { key: 'channel', label: t('customers.fields.sourceChannel'), children: channelLabel(t, p.sourceChannel) || '—' },
              { key: 'joined', label: t('customers.fields.joinedAt'), children: formatDate(p.joinedAt, timeZone) || '—' },
              {
                key: 'paid',
                label: t('customers.stats.paidAmount'),
                children: p.stats ? `${formatFen(p.stats.paidAmountFen)} · ${t('customers.merge.orders', { count: p.stats.paidOrderCount })}` : '—',
              },
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('customers.profile.identities', { count: p.identities.length })}
          </Typography.Text>
          <List
            size="small"
            dataSource={p.identities}
            locale={{ emptyText: t('customers.profile.noIdentities') }}
            renderItem={(i) => (
              <List.Item style={{ padding: '4px 0' }}>
                <span>
                  <Typography.Text type="secondary">{identityLabel(i.type)}</Typography.Text>{' '}
                  <Typography.Text mark={isEvidence(i.type, i.value)} style={{ wordBreak: 'break-all' }}>
                    {i.value}
                  </Typography.Text>
                  {i.scope && <Typography.Text type="secondary"> · {i.scope}</Typography.Text>}
                  {i.verified && (
                    <Tag color="green" bordered={false} style={{ marginLeft: 6 }}>
                      {t('customers.profile.verified')}
                    </Tag>
                  )}
                </span>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}
