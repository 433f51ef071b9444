import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api/client.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const DIMENSIONS = ['rfm_class', 'lifecycle_days', 'lifecycle_stage', 'lifecycle_business', 'value_layer', 'consumption_tier'] as const;
type Dimension = (typeof DIMENSIONS)[number];

interface TransitionsReply {
  values: (string | null)[];
  cells: { from: string | null; to: string | null; customers: number }[];
  moved: number;
}

/** A calendar day `days` before today in the workspace's time zone, as YYYY-MM-DD. */
function localDay(timeZone: string, daysAgo: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() - daysAgo * 86_400_000));
}

/** How many customers moved from each class, stage or layer to each other between two days. */
export function TransitionsCard() {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const [draft, setDraft] = useState({ dimension: 'rfm_class' as Dimension, from: localDay(timeZone, 30), to: localDay(timeZone, 0) });
  const [query, setQuery] = useState(draft);
  const params = new URLSearchParams(query).toString();
  const reply = useRemote(`transitions:${workspace?.id ?? ''}:${params}`, (signal) => api.get<TransitionsReply>('/scoring/transitions', query, signal));
  const label = (v: string | null) => (v === null ? t('rfm.noValue') : query.dimension === 'rfm_class' ? t(`rfm.classes.${v}`) : t(`rfm.values.${v}`, { defaultValue: v }));
  const data = reply.data;
  const count = (from: string | null, to: string | null) => data?.cells.find((c) => c.from === from && c.to === to)?.customers ?? 0;

  return (
    <Card title={t('rfm.transitionsTitle')} style={{ marginTop: 16 }} data-testid="transitions">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Select<Dimension>
          value={draft.dimension}
          style={{ width: 200 }}
          onChange={(dimension) => setDraft({ ...draft, dimension })}
          options={DIMENSIONS.map((d) => ({ value: d, label: t(`rfm.dimensions.${d}`) }))}
          data-testid="transitions-dimension"
        />
        <Input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} style={{ width: 160 }} data-testid="transitions-from" />
        <span>→</span>
        <Input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} style={{ width: 160 }} data-testid="transitions-to" />
        <Button type="primary" onClick={() => setQuery(draft)} disabled={!draft.from || !draft.to} data-testid="transitions-show">
          {t('rfm.show')}
        </Button>
        {data && (
          <Typography.Text type="secondary" data-testid="transitions-moved">
            {t('rfm.moved', { count: data.moved })}
          </Typography.Text>
        )}
      </Flex>
      <ErrorAlert error={reply.error} onRetry={reply.reload} />
      <Table
        rowKey={(v) => v ?? 'none'}
        size="small"
        pagination={false}
        scroll={{ x: true }}
        loading={reply.loading && !data}
        dataSource={data?.values ?? []}
        columns={[
          { title: t('rfm.fromTo'), key: 'from', render: (_: unknown, from: string | null) => <strong>{label(from)}</strong> },
          ...(data?.values ?? []).map((to) => ({
            title: label(to),
            key: to ?? 'none',
            align: 'right' as const,
            render: (_: unknown, from: string | null) => {
              const n = count(from, to);
              return <span data-testid={`cell-${from ?? 'none'}-${to ?? 'none'}`}>{n ? n.toLocaleString() : '·'}</span>;
            },
          })),
        ]}
      />
    </Card>
  );
}
