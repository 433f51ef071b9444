import { Card, Col, Flex, Row, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { NAV } from '../../app/nav.tsx';
import { workspaceLabel } from '../../components/workspaceLabel.ts';

/** Where to start: the workspace you are in and every area with its state. */
export default function OverviewPage() {
  const { t } = useTranslation();
  const { me, workspace, can, timeZone } = useSession();
  const areas = NAV.filter((e) => e.key !== 'overview' && e.key !== 'settings' && (!e.permission || can(e.permission)));
  return (
    <div data-testid="overview">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('overview.welcome', { name: me.user.name })}
      </Typography.Title>
      {workspace && (
        <Typography.Paragraph type="secondary">
          {t('overview.intro', {
            workspace: workspaceLabel(t, workspace),
            role: t(`roles.${workspace.role}`, { defaultValue: workspace.role }),
            timeZone,
          })}
        </Typography.Paragraph>
      )}
      <Typography.Title level={5}>{t('overview.areasTitle')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {areas.map((area) => (
          <Col key={area.key} xs={24} md={12} xl={8}>
            <Link to={`/${area.path}`} data-testid={`overview-area-${area.key}`}>
              <Card hoverable size="small" style={{ height: '100%' }}>
                <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
                  <Typography.Text strong>
                    <span style={{ marginRight: 8 }}>{area.icon}</span>
                    {t(area.labelKey)}
                  </Typography.Text>
                  <Tag color={area.available ? 'green' : 'default'} bordered={false}>
                    {area.available ? t('overview.available') : t('overview.notAvailable')}
                  </Tag>
                </Flex>
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }}>
                  {t(`areas.${area.key}`)}
                </Typography.Paragraph>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </div>
  );
}
