import { Card, Flex, List, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../app/api/client.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { exitReasonText } from '../../journeys/issues.ts';
import type { Enrollment } from '../../journeys/types.ts';

/** One journey enrollment as GET /customers/:id/journeys returns it: the journey's own, with its name, status and log. */
interface CustomerEnrollment extends Enrollment {
  journeyName: string;
  journeyStatus: string;
  log: { at: string; step: string; type: string; outcome: string; reason?: string | null }[];
}

const STATE_COLORS = { active: 'blue', completed: 'green', exited: 'default' } as const;

/** Where the customer is and why, in words (the server's explanation is not translated). */
function explain(t: TFunction, e: CustomerEnrollment, timeZone: string): string {
  const step = e.currentStepName ?? e.currentStep ?? '';
  let where: string;
  if (e.state === 'completed') where = t('messaging.journeyPanel.completed');
  else if (e.state === 'exited') where = t('messaging.journeyPanel.exited', { reason: exitReasonText(t, e.endReason ?? 'exited') });
  else if (e.journeyStatus === 'paused') where = t('messaging.journeyPanel.paused', { step });
  else if (e.isWaiting && e.nextRunAt) where = t('messaging.journeyPanel.waiting', { step, at: formatDateTime(e.nextRunAt, timeZone) });
  else where = t('messaging.journeyPanel.due', { step });
  const last = [...e.log].reverse().find((l) => l.type === 'send' || l.type === 'webhook');
  if (!last || last.outcome === 'sent' || last.outcome === 'pending') return where;
  const outcome = t(`messaging.status.${last.outcome}`, { defaultValue: last.outcome });
  const reason = last.reason ? t(`messaging.reasonNames.${last.reason}`, { defaultValue: last.reason }) : '';
  return t('messaging.journeyPanel.lastMessage', { where, outcome, reason: reason ? t('messaging.journeyPanel.reasonSuffix', { reason }) : '' });
}

/** The journeys this customer is in or went through: state, step, waits, variant and why. */
export function JourneysCard({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const remote = useRemote(`customer-journeys:${workspace?.id ?? ''}:${customerId}`, (signal) =>
    api.get<{ items: CustomerEnrollment[] }>(`/customers/${customerId}/journeys`, undefined, signal),
  );
  return (
    <Card size="small" title={t('messaging.journeyPanel.title')} data-testid="customer-journeys">
      <ErrorAlert error={remote.error} onRetry={remote.reload} />
      <List<CustomerEnrollment>
        size="small"
        loading={remote.loading && !remote.data}
        dataSource={remote.data?.items ?? []}
        locale={{ emptyText: t('messaging.journeyPanel.empty') }}
        renderItem={(e) => (
          <List.Item key={e.id} data-testid={`customer-journey-${e.journeyId}`}>
            <Flex vertical gap={2} style={{ width: '100%' }}>
              <Flex gap={8} align="center" wrap>
                <Link to={`/journeys/${e.journeyId}`}>{e.journeyName}</Link>
                <Tag color={STATE_COLORS[e.state]} bordered={false}>{t(`messaging.journeyPanel.states.${e.state}`)}</Tag>
                {e.variant && <Tag bordered={false}>{t('messaging.journeyPanel.variant', { variant: e.variant })}</Tag>}
                {e.convertedAt && <Tag color="gold" bordered={false}>{t('messaging.journeyPanel.converted')}</Tag>}
              </Flex>
              <Typography.Text data-testid={`customer-journey-why-${e.journeyId}`}>{explain(t, e, timeZone)}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('messaging.journeyPanel.entered', { at: formatDateTime(e.enteredAt, timeZone), version: e.version })}
                {e.endedAt && ` · ${t('messaging.journeyPanel.ended', { at: formatDateTime(e.endedAt, timeZone) })}`}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
