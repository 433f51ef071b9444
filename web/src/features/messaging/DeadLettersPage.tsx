import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Typography } from 'antd';
import { RedoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePaged } from '../customers/usePaged.ts';
import { messagingApi } from './api.ts';
import { MessageDrawer } from './MessageDrawer.tsx';
import { MessageTable } from './MessageTable.tsx';
import type { Message, ReplayResult } from './types.ts';

const PAGE = 50;

/** Messages whose delivery gave up: last error and attempts; replay one or the selected ones. */
export function DeadLettersPage() {
  const { t } = useTranslation();
  const { message: toast } = App.useApp();
  const { workspace, can } = useSession();
  const canReplay = can('messages.send');
  const list = usePaged<Message, string>(`dead-letters:${workspace?.id ?? ''}`, (cursor, signal) => messagingApi.deadLetters(cursor, PAGE, signal));
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const replay = async (ids: string[], marker: string) => {
    setBusy(marker);
    try {
      const r = await messagingApi.replay(ids);
      setResult(r);
      setSelected([]);
      list.reload();
    } catch (err) {
      toast.error(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card
      title={t('messaging.deadLetters.title')}
      data-testid="dead-letters"
      extra={
        canReplay && (
          <Button type="primary" icon={<RedoOutlined />} disabled={selected.length === 0} loading={busy === 'selected'} onClick={() => replay(selected, 'selected')} data-testid="replay-selected">
            {t('messaging.deadLetters.replaySelected', { n: selected.length })}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('messaging.deadLetters.intro')}</Typography.Paragraph>
      {result && (
        <Alert
          type={result.skipped.length ? 'warning' : 'success'}
          showIcon
          closable={{ onClose: () => setResult(null) }}
          style={{ marginBottom: 16 }}
          data-testid="replay-result"
          title={t('messaging.deadLetters.result', { replayed: result.replayed.length, skipped: result.skipped.length })}
          description={result.skipped.length ? t('messaging.deadLetters.skippedHint') : t('messaging.deadLetters.replayedHint')}
        />
      )}
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <MessageTable
        items={list.items}
        loading={list.loading}
        emptyText={t('messaging.deadLetters.empty')}
        onOpen={(m) => setOpen(m.id)}
        {...(canReplay ? { rowSelection: { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } } : {})}
        extra={[
          { title: t('messaging.detail.attempts'), key: 'attempts', render: (m) => <span data-testid={`dead-attempts-${m.id}`}>{m.attempts}</span> },
          {
            title: t('messaging.detail.lastError'),
            key: 'lastError',
            render: (m) => (
              <Typography.Text type="danger" ellipsis style={{ maxWidth: 240 }} data-testid={`dead-error-${m.id}`}>
                {m.lastError ?? ''}
              </Typography.Text>
            ),
          },
          ...(canReplay
            ? [{
                title: t('common.actions'),
                key: 'actions',
                render: (m: Message) => (
                  <Button
                    size="small"
                    loading={busy === m.id}
                    onClick={(e) => {
                      e.stopPropagation();
                      void replay([m.id], m.id);
                    }}
                    data-testid={`replay-${m.id}`}
                  >
                    {t('messaging.deadLetters.replay')}
                  </Button>
                ),
              }]
            : []),
        ]}
      />
      {list.hasMore && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void list.loadMore()} loading={list.loadingMore}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
      <MessageDrawer messageId={open} onClose={() => setOpen(null)} onChanged={list.reload} />
    </Card>
  );
}
