import { useState } from 'react';
import { Button, Card, Flex, List, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { messagingApi } from '../../messaging/api.ts';
import { MessageDrawer } from '../../messaging/MessageDrawer.tsx';
import { STATUS_COLORS, StatusTag, whyNotSent } from '../../messaging/reasons.tsx';
import type { Message, MessageStatus } from '../../messaging/types.ts';

const PAGE = 20;

/** Every message to this customer, newest first, with its status and why it was not sent. */
export function MessagesCard({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { workspace, timeZone } = useSession();
  const [open, setOpen] = useState<string | null>(null);
  const remote = useRemote(`customer-messages:${workspace?.id ?? ''}:${customerId}`, (signal) => messagingApi.ofCustomer(customerId, null, PAGE, signal));
  const [more, setMore] = useState<{ items: Message[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const items = [...(remote.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : (remote.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await messagingApi.ofCustomer(customerId, cursor, PAGE);
      setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };
  const now = new Date();

  return (
    <Card
      size="small"
      title={t('messaging.profile.title')}
      data-testid="customer-messages"
      extra={<Link to={`/messaging?customer=${customerId}`}>{t('messaging.profile.openOutbox')}</Link>}
    >
      <ErrorAlert error={remote.error ?? moreError} onRetry={remote.reload} />
      {remote.data && remote.data.summary.length > 0 && (
        <Flex gap={6} wrap style={{ marginBottom: 8 }} data-testid="customer-messages-summary">
          {remote.data.summary.map((s) => (
            <Tag key={`${s.status}:${s.reason ?? ''}`} color={STATUS_COLORS[s.status as MessageStatus] ?? 'default'} bordered={false}>
              {t(`messaging.status.${s.status}`, { defaultValue: s.status })}
              {s.reason && ` · ${t(`messaging.reasonNames.${s.reason}`, { defaultValue: s.reason })}`} {s.count}
            </Tag>
          ))}
        </Flex>
      )}
      <List<Message>
        size="small"
        loading={remote.loading && !remote.data}
        dataSource={items}
        locale={{ emptyText: t('messaging.profile.empty') }}
        renderItem={(m) => {
          const why = whyNotSent(t, m, timeZone, now);
          return (
            <List.Item key={m.id} onClick={() => setOpen(m.id)} style={{ cursor: 'pointer' }} data-testid={`customer-message-${m.id}`}>
              <Flex vertical gap={2} style={{ width: '100%' }}>
                <Flex gap={8} align="center" wrap>
                  <StatusTag status={m.status} testId={`customer-message-status-${m.id}`} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(m.createdAt, timeZone)} · {t(`messaging.channels.${m.channel}`, { defaultValue: m.channel })} · {t(`messaging.sources.${m.source.kind}`, { defaultValue: m.source.kind })}
                    {m.source.step && ` · ${m.source.step}`}
                  </Typography.Text>
                </Flex>
                {why && (
                  <Typography.Text type={m.status === 'held' ? 'warning' : 'danger'} data-testid={`customer-message-why-${m.id}`}>
                    {t('messaging.profile.why', { why })}
                  </Typography.Text>
                )}
                {m.body && (
                  <Typography.Text ellipsis style={{ maxWidth: '100%' }}>
                    {m.body}
                  </Typography.Text>
                )}
              </Flex>
            </List.Item>
          );
        }}
      />
      {cursor && (
        <Flex justify="center">
          <Button size="small" onClick={() => void loadMore()} loading={loadingMore}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
      <MessageDrawer messageId={open} onClose={() => setOpen(null)} onChanged={remote.reload} />
    </Card>
  );
}
