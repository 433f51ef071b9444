import { useState } from 'react';
import { Button, Flex, Segmented, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { customersApi } from '../api.ts';
import type { MergeReview } from '../types.ts';
import { usePaged } from '../usePaged.ts';
import { ReviewCard } from './ReviewCard.tsx';

const PAGE_SIZE = 10;
type Status = 'open' | 'merged' | 'dismissed';

/** Merge review: links Siyu did not make by itself, for an operator to merge or dismiss. */
export function MergeReviewPage() {
  const { t } = useTranslation();
  const { workspace } = useSession();
  const [status, setStatus] = useState<Status>('open');
  const [kind, setKind] = useState<string | undefined>(undefined);
  const key = `reviews:${workspace?.id ?? ''}:${status}:${kind ?? ''}`;
  const paged = usePaged<MergeReview, string>(key, (cursor, signal) => customersApi.reviews(status, kind, cursor, PAGE_SIZE, signal));
  // Decided reviews leave the open list at once; the next load agrees with the server.
  const [decided, setDecided] = useState<Set<string>>(new Set());
  const items = status === 'open' ? paged.items.filter((r) => !decided.has(r.id)) : paged.items;

  return (
    <div data-testid="merge-reviews">
      <Typography.Paragraph type="secondary">{t('customers.reviews.intro')}</Typography.Paragraph>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          data-testid="review-status"
          options={(['open', 'merged', 'dismissed'] as const).map((s) => ({ value: s, label: t(`customers.reviews.status.${s}`) }))}
        />
        <Select
          allowClear
          value={kind}
          onChange={(k?: string) => setKind(k)}
          placeholder={t('customers.reviews.allKinds')}
          aria-label={t('customers.reviews.kind')}
          style={{ width: 200 }}
          options={['strong_conflict', 'weak_link'].map((k) => ({ value: k, label: t(`customers.reviews.kinds.${k}`) }))}
        />
      </Flex>
      <ErrorAlert error={paged.error} onRetry={paged.reload} />
      {!paged.loading && items.length === 0 && (
        <Typography.Text type="secondary" data-testid="reviews-empty">
          {t('customers.reviews.empty')}
        </Typography.Text>
      )}
      <Flex vertical gap={16}>
        {items.map((r) => (
          <ReviewCard key={r.id} review={r} onDecided={() => setDecided((prev) => new Set(prev).add(r.id))} />
        ))}
      </Flex>
      <Flex justify="center" style={{ marginTop: 16 }}>
        {paged.hasMore && (
          <Button onClick={paged.loadMore} loading={paged.loadingMore} data-testid="reviews-load-more">
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
    </div>
  );
}
