import { useState } from 'react';
import { App, Button, Card, Col, Flex, Popconfirm, Radio, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../app/api/errors.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { customersApi } from '../api.ts';
import { useLookups } from '../lookups.tsx';
import type { MergeReview } from '../types.ts';
import { ReviewSide } from './ReviewSide.tsx';

interface ReviewIdentity {
  type: string;
  scope?: string;
  value: string;
}

/** The identities a review names as its evidence, whatever key the reason stores them under. */
export function reviewIdentities(details: unknown): ReviewIdentity[] {
  const d = (details ?? {}) as { via?: unknown; identities?: unknown };
  const list = Array.isArray(d.via) ? d.via : Array.isArray(d.identities) ? d.identities : [];
  return list.filter((i): i is ReviewIdentity => typeof i === 'object' && i !== null && typeof (i as ReviewIdentity).type === 'string');
}

/** One review: why it was raised, both customers side by side, and the decision. */
export function ReviewCard({ review, onDecided }: { review: MergeReview; onDecided(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can, timeZone } = useSession();
  const { identityLabel } = useLookups();
  const a = review.customerA;
  const b = review.customerB;
  const [survivor, setSurvivor] = useState(Math.min(a.id, b.id));
  const [busy, setBusy] = useState<string | null>(null);
  const reason = String((review.details as { reason?: unknown } | null)?.reason ?? '');
  const evidence = reviewIdentities(review.details);
  const open = review.status === 'open';
  const canDecide = open && can('customers.merge');

  const resolve = async (action: 'merge' | 'dismiss') => {
    setBusy(action);
    try {
      const r = await customersApi.resolveReview(review.id, action, action === 'merge' ? survivor : undefined);
      const other = survivor === a.id ? b.id : a.id;
      message.success(r.status === 'merged' ? t('customers.reviews.merged', { from: `#${other}`, to: `#${survivor}` }) : t('customers.reviews.dismissed'));
      onDecided();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card
      size="small"
      data-testid={`review-${review.id}`}
      title={
        <Flex gap={8} align="center" wrap>
          <Tag color={review.kind === 'strong_conflict' ? 'red' : 'gold'} bordered={false}>
            {t(`customers.reviews.kinds.${review.kind}`, { defaultValue: review.kind })}
          </Tag>
          <span data-testid="review-reason">{t(`customers.reviews.reasons.${reason}`, { defaultValue: reason || review.kind })}</span>
        </Flex>
      }
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(review.createdAt, timeZone)}
          {review.decidedAt && ` · ${t(`customers.reviews.status.${review.status}`)} ${formatDateTime(review.decidedAt, timeZone)}`}
        </Typography.Text>
      }
    >
      {evidence.length > 0 && (
        <Flex gap={6} wrap align="center" style={{ marginBottom: 12 }} data-testid="review-evidence">
          <Typography.Text type="secondary">{t('customers.reviews.evidence')}</Typography.Text>
          {evidence.map((i) => (
            <Tag key={`${i.type}:${i.scope ?? ''}:${i.value}`} bordered={false} color="blue">
              {identityLabel(i.type)}: {i.value}
            </Tag>
          ))}
        </Flex>
      )}
      <Radio.Group value={survivor} onChange={(e) => setSurvivor(e.target.value as number)} style={{ width: '100%' }} disabled={!canDecide}>
        <Row gutter={16}>
          {[a, b].map((c) => (
            <Col key={c.id} xs={24} md={12}>
              <ReviewSide customer={c} evidence={evidence} chooser={canDecide ? <Radio value={c.id} data-testid={`review-keep-${c.id}`}>{t('customers.reviews.keep')}</Radio> : null} />
            </Col>
          ))}
        </Row>
      </Radio.Group>
      {canDecide && (
        <Flex gap={8} justify="flex-end" style={{ marginTop: 12 }}>
          <Button onClick={() => resolve('dismiss')} loading={busy === 'dismiss'} disabled={busy !== null} data-testid="review-dismiss">
            {t('customers.reviews.dismiss')}
          </Button>
          <Popconfirm
            title={t('customers.reviews.mergeConfirm', { from: `#${survivor === a.id ? b.id : a.id}`, to: `#${survivor}` })}
            okText={t('customers.reviews.merge')}
            cancelText={t('common.cancel')}
            onConfirm={() => resolve('merge')}
          >
            <Button type="primary" loading={busy === 'merge'} disabled={busy !== null} data-testid="review-merge">
              {t('customers.reviews.merge')}
            </Button>
          </Popconfirm>
        </Flex>
      )}
    </Card>
  );
}
