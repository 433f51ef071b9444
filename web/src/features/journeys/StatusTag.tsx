import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { JourneyStatus } from './types.ts';

const COLORS: Record<JourneyStatus, string> = { draft: 'default', active: 'green', paused: 'orange', stopped: 'red' };

export function StatusTag({ status, testId }: { status: JourneyStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} bordered={false} data-testid={testId ?? 'journey-status'}>
      {t(`journeys.status.${status}`)}
    </Tag>
  );
}
