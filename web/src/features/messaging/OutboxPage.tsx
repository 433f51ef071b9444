import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePaged } from '../customers/usePaged.ts';
import { messagingApi } from './api.ts';
import { CustomerPicker } from './CustomerPicker.tsx';
import { MessageDrawer } from './MessageDrawer.tsx';
import { MessageTable } from './MessageTable.tsx';
import { CHANNELS, REASONS, SOURCE_KINDS, STATUSES, type Message, type MessageFilter } from './types.ts';

const PAGE = 50;
const RANGES = ['all', '24h', '7d', '30d'] as const;
type Range = (typeof RANGES)[number];
const RANGE_MS: Record<Exclude<Range, 'all'>, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The send ledger: every message with its status and, for anything not sent, why. Filters live in the address. */
export function OutboxPage() {
  const { t } = useTranslation();
  const { workspace } = useSession();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<string | null>(null);
  const customer = Number(params.get('customer'));
  const filter: MessageFilter = {
    status: pick(params.get('status'), STATUSES),
    reason: pick(params.get('reason'), REASONS),
    channel: pick(params.get('channel'), CHANNELS),
    sourceKind: pick(params.get('source'), SOURCE_KINDS),
    sourceId: params.get('sourceId') || undefined,
    customerId: Number.isSafeInteger(customer) && customer > 0 ? customer : undefined,
  };
  const range = pick(params.get('range'), RANGES) ?? 'all';
  // The range's start is fixed when the filters are chosen, so paging further stays consistent.
  const [rangeStart, setRangeStart] = useState(() => (range === 'all' ? 0 : Date.now() - RANGE_MS[range]));
  const key = `outbox:${workspace?.id ?? ''}:${params.toString()}:${rangeStart}`;
  const list = usePaged<Message, string>(key, (cursor, signal) =>
    messagingApi.list(range === 'all' ? filter : { ...filter, since: new Date(rangeStart).toISOString() }, cursor, PAGE, signal),
  );

  const set = (name: string, value: string | number | undefined | null) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === null || value === '') next.delete(name);
    else next.set(name, String(value));
    if (name === 'range') setRangeStart(value && value !== 'all' ? Date.now() - RANGE_MS[value as Exclude<Range, 'all'>] : 0);
    setParams(next, { replace: true });
  };
  const options = (group: string, values: readonly string[]) => values.map((v) => ({ value: v, label: t(`messaging.${group}.${v}`) }));
  const reasonOptions = REASONS.map((r) => ({ value: r, label: t(`messaging.reasonNames.${r}`) }));

  return (
    <Card title={t('messaging.outbox.title')} data-testid="outbox">
      <Flex gap={8} wrap style={{ marginBottom: 16 }} data-testid="outbox-filters">
        <Select allowClear placeholder={t('messaging.filters.status')} value={filter.status} onChange={(v) => set('status', v)} options={options('status', STATUSES)} style={{ width: 130 }} data-testid="filter-status" />
        <Select allowClear placeholder={t('messaging.filters.reason')} value={filter.reason} onChange={(v) => set('reason', v)} options={reasonOptions} style={{ width: 170 }} data-testid="filter-reason" />
        <Select allowClear placeholder={t('messaging.filters.channel')} value={filter.channel} onChange={(v) => set('channel', v)} options={options('channels', CHANNELS)} style={{ width: 140 }} data-testid="filter-channel" />
        <Select allowClear placeholder={t('messaging.filters.source')} value={filter.sourceKind} onChange={(v) => set('source', v)} options={options('sources', SOURCE_KINDS)} style={{ width: 130 }} data-testid="filter-source" />
        <Input.Search
          allowClear
          key={`sourceId:${filter.sourceId ?? ''}`}
          defaultValue={filter.sourceId}
          placeholder={t('messaging.filters.sourceId')}
          onSearch={(v) => set('sourceId', v.trim())}
          style={{ width: 200 }}
          data-testid="filter-source-id"
        />
        <CustomerPicker value={filter.customerId ?? null} onChange={(id) => set('customer', id)} placeholder={t('messaging.filters.customer')} width={200} testId="filter-customer" />
        <Select value={range} onChange={(v) => set('range', v === 'all' ? undefined : v)} options={options('ranges', RANGES)} style={{ width: 140 }} data-testid="filter-range" />
        {params.size > 0 && (
          <Button onClick={() => setParams(new URLSearchParams(), { replace: true })} data-testid="filter-clear">
            {t('messaging.filters.clear')}
          </Button>
        )}
      </Flex>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <MessageTable items={list.items} loading={list.loading} emptyText={params.size > 0 ? t('messaging.outbox.noMatch') : t('messaging.outbox.empty')} onOpen={(m) => setOpen(m.id)} />
      <Flex justify="center" style={{ marginTop: 16 }}>
        {list.hasMore ? (
          <Button onClick={() => void list.loadMore()} loading={list.loadingMore} data-testid="outbox-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          list.items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
      <MessageDrawer messageId={open} onClose={() => setOpen(null)} onChanged={list.reload} />
    </Card>
  );
}
