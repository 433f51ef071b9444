import { Button, Card, Flex, Tag, Typography } from 'antd';
import { ClockCircleOutlined, UserOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import type { Task } from './types.ts';

interface Props {
  task: Task;
  assignee: string | null;
  canWork: boolean;
  busy: boolean;
  onTake(): void;
  onDone(): void;
  onSkip(): void;
}

export function OutcomeTag({ task }: { task: Task }) {
  const { t } = useTranslation();
  if (task.status === 'open') return null;
  return (
    <Tag color={task.status === 'done' ? 'green' : 'default'} bordered={false} data-testid={`task-result-${task.id}`}>
      {t(`tasks.statuses.${task.status}`)}
      {task.outcome && ` · ${t(`tasks.outcomes.${task.outcome}`)}`}
    </Tag>
  );
}

/** One task: what to do for whom by when, the script to copy, and the actions. */
export function TaskItem({ task, assignee, canWork, busy, onTake, onDone, onSkip }: Props) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const open = task.status === 'open';
  const source = [t(`tasks.sources.${task.source.kind}`), task.source.step].filter(Boolean).join(' · ');
  return (
    <Card
      size="small"
      data-testid={`task-${task.id}`}
      style={task.isOverdue ? { borderColor: '#ffa39e', background: '#fff1f0' } : undefined}
      title={
        <Flex gap={8} align="center" wrap>
          <Tag bordered={false}>{t(`tasks.kinds.${task.kind}`)}</Tag>
          <span>{task.title}</span>
        </Flex>
      }
      extra={
        <Flex gap={8}>
          {open && canWork && !task.assigneeUserId && (
            <Button size="small" type="primary" loading={busy} onClick={onTake} data-testid={`task-take-${task.id}`}>
              {t('tasks.actions.take')}
            </Button>
          )}
          {open && canWork && task.assigneeUserId && (
            <>
              <Button size="small" type="primary" onClick={onDone} data-testid={`task-done-${task.id}`}>
                {t('tasks.actions.done')}
              </Button>
              <Button size="small" onClick={onSkip} data-testid={`task-skip-${task.id}`}>
                {t('tasks.actions.skip')}
              </Button>
            </>
          )}
          <OutcomeTag task={task} />
        </Flex>
      }
    >
      <Flex vertical gap={8}>
        <Flex gap={16} wrap align="center">
          <span data-testid={`task-due-${task.id}`}>
            <ClockCircleOutlined /> {t('tasks.dueAt', { at: formatDateTime(task.dueAt, timeZone) })}
            {task.isOverdue && (
              <Tag color="red" bordered={false} style={{ marginLeft: 8 }} data-testid={`task-overdue-${task.id}`}>
                {t('tasks.overdue')}
              </Tag>
            )}
          </span>
          {task.customerId !== null && (
            <span>
              <UserOutlined />{' '}
              <Link to={`/customers/${task.customerId}`} data-testid={`task-customer-${task.id}`}>
                {task.customerName ?? `#${task.customerId}`}
              </Link>
            </span>
          )}
          <Typography.Text type="secondary">{assignee ? t('tasks.assignee', { name: assignee }) : task.pool ? t('tasks.pool', { pool: task.pool }) : null}</Typography.Text>
          <Typography.Text type="secondary">{t('tasks.source', { source })}</Typography.Text>
        </Flex>
        {task.script && (
          <Flex gap={8} align="start" style={{ background: '#fafafa', padding: 8, borderRadius: 6 }}>
            <Flex vertical style={{ flex: 1 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('tasks.script')}
              </Typography.Text>
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-testid={`task-script-${task.id}`}>
                {task.script}
              </Typography.Text>
            </Flex>
            <CopyButton text={task.script} testId={`task-copy-${task.id}`} />
          </Flex>
        )}
        {!open && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {task.completedAt && t('tasks.closedAt', { at: formatDateTime(task.completedAt, timeZone) })}
            {task.note && ` · ${t('tasks.noteShown', { note: task.note })}`}
          </Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
