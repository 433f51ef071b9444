import { Result } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** The honest empty state of an area that is not built yet. */
export function ComingSoon({ area }: { area: string }) {
  const { t } = useTranslation();
  return (
    <Result
      data-testid="coming-soon"
      icon={<ClockCircleOutlined />}
      title={t('comingSoon.title')}
      subTitle={
        <>
          <div style={{ maxWidth: 560, margin: '0 auto' }}>{t(`areas.${area}`)}</div>
          <div style={{ marginTop: 8 }}>{t('comingSoon.hint')}</div>
        </>
      }
    />
  );
}
