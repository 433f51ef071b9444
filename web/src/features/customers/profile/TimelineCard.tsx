import { useState } from 'react';
import { App, Button, Card, Divider, Flex, Input, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../app/api/errors.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { customersApi } from '../api.ts';
import { formatDate, formatTime } from '../format.ts';
import type { TimelineItem, TimelineKind } from '../types.ts';
import type { Paged } from '../usePaged.ts';
import { TimelineEntry } from './TimelineEntry.tsx';

const KIND_COLORS: Record<TimelineKind, string> = { event: 'blue', note: 'gray', consent: 'green', merge: 'purple', unmerge: 'orange' };

function colorOf(item: TimelineItem): string {
  if (item.kind === 'event' && item.type?.startsWith('order.')) return item.type === 'order.refunded' ? 'red' : 'gold';
  if (item.kind === 'event' && item.type?.startsWith('tag.')) return 'cyan';
  return KIND_COLORS[item.kind];
}

/** Consecutive items of the same day in the workspace time zone (items come newest first). */
function groupByDay(items: TimelineItem[], timeZone: string): { day: string; items: TimelineItem[] }[] {
  const groups: { day: string; items: TimelineItem[] }[] = [];
  for (const item of items) {
    const day = formatDate(item.at, timeZone);
    const last = groups.at(-1);
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

interface Props {
  customerId: number;
  timeline: Paged<TimelineItem>;
  canEdit: boolean;
  canMerge: boolean;
  onUndo(mergeId: string): Promise<void>;
}

/** The timeline: events, orders, notes, consent changes and merges, grouped by day. */
export function TimelineCard({ customerId, timeline, canEdit, canMerge, onUndo }: Props) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const groups = groupByDay(timeline.items, timeZone);
  return (
    <Card size="small" title={t('customers.timeline.title')} data-testid="timeline-card">
      {canEdit && <NoteComposer customerId={customerId} onAdded={timeline.reload} />}
      <ErrorAlert error={timeline.error} onRetry={timeline.reload} />
      {!timeline.loading && timeline.items.length === 0 && <Typography.Text type="secondary">{t('customers.timeline.empty')}</Typography.Text>}
      {timeline.loading && timeline.items.length === 0 && <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>}
      {groups.map((g) => (
        <div key={g.day} data-testid="timeline-day">
          <Divider titlePlacement="start" plain style={{ margin: '12px 0' }}>
            <span data-testid="timeline-day-label">{g.day}</span>
          </Divider>
          <Timeline
            items={g.items.map((item) => ({
              key: `${item.kind}:${item.id}`,
              color: colorOf(item),
              content: (
                <Flex gap={12} align="flex-start">
                  <Typography.Text type="secondary" style={{ width: 44, flex: 'none' }}>
                    {formatTime(item.at, timeZone)}
                  </Typography.Text>
                  <TimelineEntry item={item} canMerge={canMerge} onUndo={onUndo} />
                </Flex>
              ),
            }))}
          />
        </div>
      ))}
      <Flex justify="center">
        {timeline.hasMore ? (
          <Button onClick={timeline.loadMore} loading={timeline.loadingMore} data-testid="timeline-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          timeline.items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

function NoteComposer({ customerId, onAdded }: { customerId: number; onAdded(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [body, setBody] = useState('');
  const [saving, setSaving] = useState(false);
  const add = async () => {
    if (!body.trim()) return;
    setSaving(true);
    try {
      await customersApi.addNote(customerId, body.trim());
      setBody('');
      message.success(t('customers.notes.added'));
      onAdded();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Flex vertical gap={8} style={{ marginBottom: 8 }}>
      <Input.TextArea
        value={body}
        onChange={(e) => setBody(e.target.value)}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={5000}
        placeholder={t('customers.notes.placeholder')}
        aria-label={t('customers.notes.label')}
        data-testid="note-input"
      />
      <Button type="primary" onClick={add} loading={saving} disabled={!body.trim()} style={{ alignSelf: 'flex-end' }} data-testid="note-add">
        {t('customers.notes.add')}
      </Button>
    </Flex>
  );
}
