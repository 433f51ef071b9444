import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api/client.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localDay } from './days.ts';
import { transitionCellHref } from './TransitionCustomersPage.tsx';
import { transitionValueLabel } from './transitionLabels.ts';
import { TRANSITION_DIMENSIONS, type TransitionDimension } from './types.ts';

interface TransitionsReply {
  values: (string | null)[];
  cells: { from: string | null; to: string | null; customers: number }[];
  moved: number;
}

/** How many customers moved from each class, stage or layer to each other between two days; each count opens those customers. */
export function TransitionsCard() {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  // The shown days live in the address, so coming back from a cell's customers shows the same matrix.
  const [search, setSearch] = useSearchParams();
  const dimensionParam = search.get('dimension') as TransitionDimension | null;
  const query = {
    dimension: dimensionParam && TRANSITION_DIMENSIONS.includes(dimensionParam) ? dimensionParam : 'rfm_class',
    from: search.get('from') || localDay(timeZone, 30),
    to: search.get('to') || localDay(timeZone, 0),
  };
  const [draft, setDraft] = useState(query);
  const setQuery = (next: typeof query) => setSearch(next, { replace: true });
  const params = new URLSearchParams(query).toString();
  const reply = useRemote(`transitions:${workspace?.id ?? ''}:${params}`, (signal) => api.get<TransitionsReply>('/scoring/transitions', query, signal));
  const label = (v: string | null) => transitionValueLabel(t, query.dimension, v);
  const data = reply.data;
  const count = (from: string | null, to: string | null) => data?.cells.find((c) => c.from === from && c.to === to)?.customers ?? 0;
  const href = (from: string | null, to: string | null) =>
    transitionCellHref({ dimension: query.dimension, from: query.from, to: query.to, fromValue: from ?? undefined, toValue: to ?? undefined });

  return (
    <Card title={t('rfm.transitionsTitle')} style={{ marginTop: 16 }} data-testid="transitions">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Select<TransitionDimension>
          value={draft.dimension}
          style={{ width: 200 }}
          onChange={(dimension) => setDraft({ ...draft, dimension })}
          options={TRANSITION_DIMENSIONS.map((d) => ({ value: d, label: t(`rfm.dimensions.${d}`) }))}
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
              const testId = `cell-${from ?? 'none'}-${to ?? 'none'}`;
              return n ? (
                <Link to={href(from, to)} data-testid={testId}>
                  {n.toLocaleString()}
                </Link>
              ) : (
                <span data-testid={testId}>·</span>
              );
            },
          })),
        ]}
      />
    </Card>
  );
}
