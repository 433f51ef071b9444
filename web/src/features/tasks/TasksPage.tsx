import { useState } from 'react';
import { App, Badge, Button, Card, Col, Flex, Row, Segmented, Select, Statistic, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { customersApi } from '../customers/api.ts';
import { usePaged } from '../customers/usePaged.ts';
import { tasksApi } from './api.ts';
import { CompleteModal } from './CompleteModal.tsx';
import { TaskItem } from './TaskItem.tsx';
import { DUE_FILTERS, TASK_STATUSES, type DueFilter, type Task, type TaskQuery, type TaskStatus } from './types.ts';

const PAGE = 30;
const BOXES = ['mine', 'pool'] as const;
type Box = (typeof BOXES)[number];

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The advisor's task inbox: my tasks and the pools' open tasks, by due time; take, done or skip with an outcome. */
export default function TasksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, can } = useSession();
  const ws = workspace?.id ?? '';
  const [params, setParams] = useSearchParams();
  const box: Box = pick(params.get('box'), BOXES) ?? 'mine';
  const status: TaskStatus | 'all' = pick(params.get('status'), [...TASK_STATUSES, 'all'] as const) ?? 'open';
  const due = pick(params.get('due'), DUE_FILTERS);
  const pool = params.get('pool') || undefined;
  const query: TaskQuery = { assignee: box === 'mine' ? 'me' : 'unassigned', status, due, ...(box === 'pool' && pool ? { pool } : {}) };
  const key = `tasks:${ws}:${JSON.stringify(query)}`;
  const list = usePaged<Task, string>(key, (cursor, signal) => tasksApi.list(query, cursor, PAGE, signal));
  const counts = useRemote(`task-counts:${ws}:${box}:${pool ?? ''}`, (signal) => tasksApi.counts({ assignee: box === 'mine' ? 'me' : 'unassigned', ...(box === 'pool' && pool ? { pool } : {}) }, signal));
  const members = useRemote(`members:${ws}`, (signal) => customersApi.members(signal));
  const [closing, setClosing] = useState<{ task: Task; mode: 'done' | 'skipped' } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const canWork = can('tasks.write');

  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name === 'box') next.delete('pool');
    setParams(next, { replace: true });
  };
  const refresh = () => {
    list.reload();
    counts.reload();
  };
  const take = async (task: Task) => {
    setBusy(task.id);
    try {
      await tasksApi.take(task.id);
      message.success(t('tasks.taken'));
      refresh();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };
  const memberName = (id: string | null) => {
    if (!id) return null;
    const m = members.data?.items.find((x) => x.userId === id);
    return m ? m.name || m.email : id;
  };
  const c = counts.data;
  const poolTotal = c?.pools.reduce((n, p) => n + p.open, 0) ?? 0;

  return (
    <Flex vertical gap={16} data-testid="tasks-page">
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Segmented<Box>
            value={box}
            onChange={(v) => set('box', v)}
            data-testid="tasks-box"
            options={[
              { value: 'mine', label: <span data-testid="tasks-box-mine">{t('tasks.boxes.mine')}</span> },
              { value: 'pool', label: <Badge count={poolTotal} size="small" offset={[8, -2]}><span data-testid="tasks-box-pool">{t('tasks.boxes.pool')}</span></Badge> },
            ]}
          />
          <Flex gap={8} wrap>
            {box === 'pool' && (
              <Select
                allowClear
                placeholder={t('tasks.filters.pool')}
                value={pool}
                onChange={(v) => set('pool', v)}
                options={(c?.pools ?? []).map((p) => ({ value: p.pool, label: `${p.pool} (${p.open})` }))}
                style={{ width: 180 }}
                data-testid="tasks-pool"
              />
            )}
            <Select value={status} onChange={(v) => set('status', v === 'open' ? undefined : v)} options={[...TASK_STATUSES, 'all'].map((s) => ({ value: s, label: t(`tasks.statusFilter.${s}`) }))} style={{ width: 120 }} data-testid="tasks-status" />
            <Select<DueFilter>
              allowClear
              placeholder={t('tasks.filters.due')}
              value={due}
              onChange={(v) => set('due', v)}
              options={DUE_FILTERS.map((d) => ({ value: d, label: t(`tasks.due.${d}`) }))}
              style={{ width: 140 }}
              data-testid="tasks-due"
            />
          </Flex>
        </Flex>
        <Row gutter={16} style={{ marginTop: 16 }} data-testid="tasks-counts">
          <Col span={6}><Statistic title={t('tasks.counts.open')} value={c?.open ?? 0} /></Col>
          <Col span={6}><Statistic title={t('tasks.counts.overdue')} value={c?.overdue ?? 0} styles={{ content: c?.overdue ? { color: '#cf1322' } : {} }} /></Col>
          <Col span={6}><Statistic title={t('tasks.counts.dueToday')} value={c?.dueToday ?? 0} /></Col>
          <Col span={6}><Statistic title={t('tasks.counts.completedToday')} value={c?.completedToday ?? 0} /></Col>
        </Row>
      </Card>
      <Card title={t(`tasks.boxes.${box}`)} data-testid="tasks-list">
        <ErrorAlert error={list.error ?? counts.error} onRetry={refresh} />
        {!list.loading && list.items.length === 0 && (
          <Typography.Text type="secondary" data-testid="tasks-empty">
            {box === 'mine' ? t('tasks.emptyMine') : t('tasks.emptyPool')}
          </Typography.Text>
        )}
        <Flex vertical gap={12}>
          {list.items.map((task) => (
            <TaskItem
              key={task.id}
              task={task}
              assignee={memberName(task.assigneeUserId)}
              canWork={canWork}
              busy={busy === task.id}
              onTake={() => void take(task)}
              onDone={() => setClosing({ task, mode: 'done' })}
              onSkip={() => setClosing({ task, mode: 'skipped' })}
            />
          ))}
        </Flex>
        {list.hasMore && (
          <Flex justify="center" style={{ marginTop: 16 }}>
            <Button onClick={() => void list.loadMore()} loading={list.loadingMore}>
              {t('common.loadMore')}
            </Button>
          </Flex>
        )}
      </Card>
      <CompleteModal
        task={closing?.task ?? null}
        mode={closing?.mode ?? 'done'}
        onClose={() => setClosing(null)}
        onDone={(task) => {
          setClosing(null);
          message.success(task.status === 'done' ? t('tasks.completed') : t('tasks.skipped'));
          refresh();
        }}
      />
    </Flex>
  );
}

