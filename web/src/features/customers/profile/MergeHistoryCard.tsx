import { Card, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import type { MergeData, TimelineItem } from '../types.ts';
import { MergeEntry } from './TimelineEntry.tsx';

interface Props {
  items: TimelineItem[];
  /** More timeline pages exist: older merges show up as they load. */
  partial: boolean;
  canMerge: boolean;
  onUndo(mergeId: string): Promise<void>;
}

/** The merges this customer took part in, each undoable while it stands. */
export function MergeHistoryCard({ items, partial, canMerge, onUndo }: Props) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const merges = items.filter((i) => i.kind === 'merge');
  return (
    <Card size="small" title={t('customers.merge.history')} data-testid="merge-history">
      <List
        size="small"
        dataSource={merges}
        locale={{ emptyText: t('customers.merge.noHistory') }}
        renderItem={(m) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(m.at, timeZone)}
              </Typography.Text>
              <MergeEntry reason={m.type} data={m.data as MergeData} canMerge={canMerge} onUndo={onUndo} />
            </div>
          </List.Item>
        )}
      />
      {partial && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('customers.merge.historyPartial')}
        </Typography.Text>
      )}
    </Card>
  );
}
