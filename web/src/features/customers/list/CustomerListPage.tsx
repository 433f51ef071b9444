import { useState } from 'react';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { customersApi, type CustomerFilter } from '../api.ts';
import { channelLabel, CONSENT_COLORS, formatDate, formatFen } from '../format.ts';
import { useLookups } from '../lookups.tsx';
import type { CustomerSummary } from '../types.ts';
import { usePaged } from '../usePaged.ts';
import { BulkTagBar } from './BulkTagBar.tsx';
import { CustomerFilters, type AttributeFilter } from './CustomerFilters.tsx';
import { CustomerSearch, type SearchFilter } from './CustomerSearch.tsx';

const PAGE_SIZE = 50;
const SEARCH_KEYS = ['q', 'phone', 'identityType', 'identityValue', 'identityScope'] as const;
const FILTER_KEYS = ['consent', 'sourceChannel', 'owner', 'attribute'] as const;

function pick<K extends string>(params: URLSearchParams, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = params.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** The customer list: search and filters live in the URL, so going back from a profile keeps them. */
export function CustomerListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { workspace, timeZone, can } = useSession();
  const canTag = can('tags.write');
  const { ownerLabel } = useLookups();
  const [params, setParams] = useSearchParams();
  const search: SearchFilter = pick(params, SEARCH_KEYS);
  const filters: AttributeFilter = pick(params, FILTER_KEYS);
  const filter: CustomerFilter = { ...search, ...filters };
  const key = `customers:${workspace?.id ?? ''}:${JSON.stringify(filter)}`;
  const paged = usePaged<CustomerSummary, number>(key, (cursor, signal) => customersApi.list(filter, cursor, PAGE_SIZE, signal));
  // A selection belongs to one search: another search starts with none.
  const [selection, setSelection] = useState<{ key: string; ids: number[] }>({ key, ids: [] });
  const selectedIds = selection.key === key ? selection.ids : [];

  const apply = (next: CustomerFilter) => {
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) out.set(k, v);
    setParams(out, { replace: true });
  };

  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const columns = [
    {
      title: t('customers.columns.name'),
      key: 'name',
      render: (_: unknown, c: CustomerSummary) => (
        <Flex vertical>
          <Typography.Text strong>{c.name || c.nickname || `#${c.id}`}</Typography.Text>
          {c.name && c.nickname && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.nickname}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('customers.columns.mobile'), dataIndex: 'mobile', render: (v: string | null) => (v ? <span data-testid="customer-mobile">{v}</span> : dash) },
    { title: t('customers.columns.channel'), dataIndex: 'sourceChannel', render: (v: string | null) => (v ? channelLabel(t, v) : dash) },
    { title: t('customers.columns.owner'), dataIndex: 'ownerUserId', render: (v: string | null) => (v ? ownerLabel(v) : dash) },
    {
      title: t('customers.columns.consent'),
      dataIndex: 'consentStatus',
      render: (v: string) => <Tag color={CONSENT_COLORS[v]} bordered={false}>{t(`customers.consent.${v}`, { defaultValue: v })}</Tag>,
    },
    { title: t('customers.columns.joined'), dataIndex: 'joinedAt', render: (v: string | null) => (v ? formatDate(v, timeZone) : dash) },
    { title: t('customers.columns.lastOrder'), dataIndex: 'lastOrderAt', render: (v: string | null | undefined) => (v ? formatDate(v, timeZone) : dash) },
    { title: t('customers.columns.paidAmount'), dataIndex: 'paidAmountFen', align: 'right' as const, render: (v: number) => formatFen(v) },
    { title: t('customers.columns.orders'), dataIndex: 'paidOrderCount', align: 'right' as const },
  ];

  return (
    <div data-testid="customer-list">
      <Flex vertical gap={12} style={{ marginBottom: 16 }}>
        <CustomerSearch key={`s:${JSON.stringify(search)}`} value={search} onSearch={(next) => apply({ ...filters, ...next })} />
        <CustomerFilters key={`f:${JSON.stringify(filters)}`} value={filters} onChange={(next) => apply({ ...search, ...next })} />
      </Flex>
      <ErrorAlert error={paged.error} onRetry={paged.reload} />
      {canTag && <BulkTagBar selectedIds={selectedIds} onClear={() => setSelection({ key, ids: [] })} />}
      <Table<CustomerSummary>
        rowKey="id"
        size="middle"
        loading={paged.loading}
        dataSource={paged.items}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        data-testid="customer-table"
        locale={{ emptyText: t('customers.list.empty') }}
        rowSelection={
          canTag
            ? {
                selectedRowKeys: selectedIds,
                preserveSelectedRowKeys: true,
                onChange: (keys) => setSelection({ key, ids: keys.map(Number) }),
              }
            : undefined
        }
        onRow={(c) => ({
          // A click on the selection checkbox selects; anywhere else opens the profile.
          onClick: (e) => {
            if (!(e.target as HTMLElement).closest('.ant-table-selection-column')) navigate(`/customers/${c.id}`);
          },
          style: { cursor: 'pointer' },
          'data-testid': `customer-row-${c.id}`,
        })}
      />
      <Flex justify="center" style={{ marginTop: 16 }}>
        {paged.hasMore ? (
          <Button onClick={paged.loadMore} loading={paged.loadingMore} data-testid="customers-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          paged.items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </div>
  );
}
