import type { ReactNode } from 'react';
import { Button, Flex, Popconfirm, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../format.ts';
import { useLookups } from '../lookups.tsx';
import type { MergeData, TimelineItem } from '../types.ts';

type Props = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** A readable name for an event type: known types by label, custom ones by their name. */
export function eventLabel(t: TFunction, type: string | null): string {
  if (!type) return t('customers.timeline.event');
  if (type.startsWith('custom.')) return t('customers.timeline.customEvent', { type: type.slice('custom.'.length) });
  const label = t(`customers.events.${type}`, { defaultValue: '' });
  return typeof label === 'string' && label ? label : type;
}

/** The one line that says what happened in an event, from its known properties. */
function eventDetail(t: TFunction, type: string, p: Props): string {
  if (type.startsWith('order.')) {
    const parts = [str(p.platform) && t(`customers.platforms.${str(p.platform)}`, { defaultValue: str(p.platform) }), str(p.orderNo) && `#${str(p.orderNo)}`];
    if (typeof p.paidFen === 'number') parts.push(t('customers.timeline.paid', { amount: formatFen(p.paidFen) }));
    if (typeof p.refundFen === 'number') parts.push(t('customers.timeline.refund', { amount: formatFen(p.refundFen) }));
    if (str(p.store)) parts.push(str(p.store));
    return parts.filter(Boolean).join(' · ');
  }
  const first = ['name', 'title', 'text', 'url', 'groupId', 'couponId', 'productId', 'liveId', 'posterId', 'questionnaireId', 'activityId', 'staffUserId']
    .map((k) => str(p[k]))
    .find(Boolean);
  if (first) return first;
  const rest = Object.entries(p)
    .filter(([, v]) => typeof v !== 'object')
    .slice(0, 3)
    .map(([k, v]) => `${k}: ${String(v)}`);
  return rest.join(' · ');
}

function CustomerLink({ id }: { id: number }) {
  return (
    <Link to={`/customers/${id}`} data-testid={`customer-link-${id}`}>
      #{id}
    </Link>
  );
}

interface EntryProps {
  item: TimelineItem;
  canMerge: boolean;
  onUndo(mergeId: string): Promise<void>;
}

/** One timeline entry rendered by its kind: event (orders included), note, consent, merge, undo. */
export function TimelineEntry({ item, canMerge, onUndo }: EntryProps): ReactNode {
  const { t } = useTranslation();
  const { ownerLabel } = useLookups();
  const data = (item.data ?? {}) as Props;
  switch (item.kind) {
    case 'event': {
      if (item.type === 'tag.added' || item.type === 'tag.removed') return <TagEventEntry type={item.type} properties={(data.properties ?? {}) as Props} />;
      const detail = eventDetail(t, item.type ?? '', (data.properties ?? {}) as Props);
      return (
        <Flex vertical data-testid="timeline-event">
          <Typography.Text strong>{eventLabel(t, item.type)}</Typography.Text>
          {detail && <Typography.Text type="secondary" ellipsis={{ tooltip: detail }} style={{ maxWidth: 560 }}>{detail}</Typography.Text>}
        </Flex>
      );
    }
    case 'note':
      return (
        <Flex vertical data-testid="timeline-note">
          <Typography.Text strong>{t('customers.timeline.note')}</Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{str(data.body)}</Typography.Paragraph>
          {str(data.authorUserId) && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('customers.timeline.by', { who: ownerLabel(str(data.authorUserId)) })}
            </Typography.Text>
          )}
        </Flex>
      );
    case 'consent':
      return (
        <Flex vertical data-testid="timeline-consent">
          <Typography.Text strong>{t('customers.timeline.consent', { status: t(`customers.consent.${item.type ?? 'unknown'}`, { defaultValue: item.type ?? '' }) })}</Typography.Text>
          <Typography.Text type="secondary">
            {t(`customers.purposes.${str(data.purpose)}`, { defaultValue: str(data.purpose) })} ·{' '}
            {t(`customers.consentChannels.${str(data.channel)}`, { defaultValue: str(data.channel) })}
          </Typography.Text>
        </Flex>
      );
    case 'merge':
      return <MergeEntry reason={item.type} data={data as unknown as MergeData} canMerge={canMerge} onUndo={onUndo} />;
    case 'unmerge': {
      const m = data as unknown as MergeData;
      return (
        <Flex vertical data-testid="timeline-unmerge">
          <Typography.Text strong>{t('customers.timeline.unmerge')}</Typography.Text>
          <Typography.Text type="secondary">
            <CustomerLink id={m.mergedId} /> ↔ <CustomerLink id={m.survivorId} />
            {m.undoneBy && ` · ${t('customers.timeline.by', { who: m.undoneBy })}`}
          </Typography.Text>
        </Flex>
      );
    }
    default:
      return null;
  }
}

/** A tag given or taken: which tag, how (by hand, by a rule, import, sync) and why when not by hand. */
function TagEventEntry({ type, properties: p }: { type: 'tag.added' | 'tag.removed'; properties: Props }) {
  const { t } = useTranslation();
  const name = str(p.tagName) || str(p.tagId);
  const source = str(p.source);
  const reason = str(p.reason);
  const detail = [
    source && t('tagging.timeline.source', { source: t(`tagging.sources.${source}`, { defaultValue: source }) }),
    reason && t(`tagging.timeline.reasons.${reason}`, { defaultValue: reason }),
  ].filter(Boolean).join(' · ');
  return (
    <Flex vertical data-testid="timeline-tag">
      <Typography.Text strong>{t(type === 'tag.added' ? 'tagging.timeline.added' : 'tagging.timeline.removed', { name })}</Typography.Text>
      {detail && <Typography.Text type="secondary">{detail}</Typography.Text>}
    </Flex>
  );
}

/** A merge with its reason, and undo while it stands. */
export function MergeEntry({ reason, data, canMerge, onUndo }: { reason: string | null; data: MergeData; canMerge: boolean; onUndo(mergeId: string): Promise<void> }) {
  const { t } = useTranslation();
  return (
    <Flex vertical data-testid="timeline-merge">
      <Flex gap={8} align="center" wrap>
        <Typography.Text strong>{t('customers.timeline.merge')}</Typography.Text>
        <Tag bordered={false}>{t(`customers.mergeReasons.${reason ?? 'manual'}`, { defaultValue: reason ?? '' })}</Tag>
        {data.undoneAt && (
          <Tag color="orange" bordered={false} data-testid="merge-undone">
            {t('customers.timeline.undone')}
          </Tag>
        )}
      </Flex>
      <Typography.Text type="secondary">
        <CustomerLink id={data.mergedId} /> {t('customers.timeline.mergedInto')} <CustomerLink id={data.survivorId} />
      </Typography.Text>
      {canMerge && !data.undoneAt && (
        <Popconfirm
          title={t('customers.merge.undoConfirm', { from: `#${data.mergedId}`, to: `#${data.survivorId}` })}
          okText={t('customers.merge.undo')}
          cancelText={t('common.cancel')}
          onConfirm={() => onUndo(data.mergeId)}
        >
          <Button size="small" style={{ alignSelf: 'flex-start', marginTop: 4 }} data-testid={`undo-merge-${data.mergeId}`}>
            {t('customers.merge.undo')}
          </Button>
        </Popconfirm>
      )}
    </Flex>
  );
}
