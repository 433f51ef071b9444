import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Flex, Result, Row, Select, Spin, Statistic, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api/client.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { journeysApi } from '../api.ts';
import { exitReasonText, issueText } from '../issues.ts';
import { TRIGGER_NODE } from '../editor/definition.ts';
import { FlowCanvas } from '../editor/FlowCanvas.tsx';
import { useJourneyLookups } from '../editor/lookups.ts';
import { JourneyActions } from '../JourneyActions.tsx';
import { StatusTag } from '../StatusTag.tsx';
import type { Journey } from '../types.ts';
import { EnrollmentsCard } from './EnrollmentsCard.tsx';
import { FunnelTable, percent } from './FunnelTable.tsx';
import { VariantsCard } from './VariantsCard.tsx';

function Detail({ journey, onChanged }: { journey: Journey; onChanged(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { workspace, timeZone, can } = useSession();
  const lookups = useJourneyLookups();
  const ws = workspace?.id ?? '';
  const [version, setVersion] = useState<number | 'all'>('all');
  const [refresh, setRefresh] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const versions = useRemote(`journey-versions:${ws}:${journey.id}:${journey.latestVersion}`, (signal) => journeysApi.versions(journey.id, signal));
  const statsKey = `journey-stats:${ws}:${journey.id}:${version}:${refresh}:${journey.updatedAt}`;
  const stats = useRemote(statsKey, (signal) => journeysApi.stats(journey.id, version === 'all' ? undefined : version, signal));
  const shown = version === 'all' ? journey.definition : (versions.data?.items.find((v) => v.version === version)?.definition ?? journey.definition);
  const byStep = useMemo(() => new Map((stats.data?.steps ?? []).map((s) => [s.id, s])), [stats.data]);
  const totals = stats.data?.totals;
  const writer = can('journeys.write');

  return (
    <div data-testid="journey-detail">
      <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/journeys')} style={{ marginBottom: 12 }}>
        {t('journeys.common.back')}
      </Button>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={12} align="center" wrap>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="journey-title">
            {journey.name}
          </Typography.Title>
          <StatusTag status={journey.status} />
          {journey.playbook && <Tag bordered={false}>{t('journeys.detail.fromPlaybook')}</Tag>}
          <Select<number | 'all'>
            value={version}
            onChange={setVersion}
            style={{ width: 220 }}
            data-testid="version-select"
            options={[
              { value: 'all', label: t('journeys.detail.allVersions') },
              ...(versions.data?.items ?? []).map((v) => ({
                value: v.version,
                label: `v${v.version}${v.isLive ? ` · ${t('journeys.detail.live')}` : v.activatedAt ? '' : ` · ${t('journeys.detail.draft')}`}`,
              })),
            ]}
          />
          <Flex gap={8} style={{ marginLeft: 'auto' }}>
            <Button icon={<ReloadOutlined />} onClick={() => setRefresh((r) => r + 1)} data-testid="journey-refresh">
              {t('journeys.detail.refresh')}
            </Button>
            {writer && (
              <>
                <Button icon={<EditOutlined />} onClick={() => navigate(`/journeys/${journey.id}/edit`)} data-testid="journey-edit">
                  {t('journeys.detail.edit')}
                </Button>
                <JourneyActions journey={journey} size="middle" onDone={onChanged} />
              </>
            )}
          </Flex>
        </Flex>
        {journey.description && <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{journey.description}</Typography.Paragraph>}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('journeys.detail.meta', {
            version: journey.latestVersion,
            activated: journey.activatedAt ? formatDateTime(journey.activatedAt, timeZone) : t('common.never'),
            updated: formatDateTime(journey.updatedAt, timeZone),
          })}
        </Typography.Text>
      </Card>
      {journey.issues.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="journey-detail-issues"
          title={t('journeys.detail.issues', { count: journey.issues.length })}
          description={journey.issues.slice(0, 5).map((i, k) => (
            <div key={k}>
              {(i.field ?? '').replace(/^definition\./, '')}: {issueText(t, i)}
            </div>
          ))}
        />
      )}
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      {totals && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="journey-totals">
          <Row gutter={16}>
            {(['entered', 'active', 'waiting', 'completed', 'exited', 'converted'] as const).map((k) => (
              <Col key={k} xs={12} md={4}>
                <Statistic title={t(`journeys.totals.${k}`)} value={totals[k]} valueRender={() => <span data-testid={`total-${k}`}>{totals[k].toLocaleString()}</span>} />
              </Col>
            ))}
          </Row>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="total-rate">
            {stats.data?.goal
              ? t('journeys.totals.goal', { eventType: stats.data.goal.eventType, days: stats.data.goal.withinDays, rate: percent(totals.conversionRate) })
              : t('journeys.totals.noGoal')}
          </Typography.Text>
          {stats.data && stats.data.exitReasons.length > 0 && (
            <Flex gap={4} wrap style={{ marginTop: 8 }} data-testid="exit-reasons">
              {stats.data.exitReasons.map((r) => (
                <Tag key={r.reason} bordered={false}>
                  {exitReasonText(t, r.reason)} {r.count}
                </Tag>
              ))}
            </Flex>
          )}
        </Card>
      )}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={11}>
          <FlowCanvas
            definition={shown}
            stats={byStep}
            entered={totals?.entered}
            selected={selected}
            onSelect={(id) => setSelected(id === TRIGGER_NODE ? null : id)}
            tagName={lookups.tagName}
            segmentName={lookups.segmentName}
            height={560}
          />
        </Col>
        <Col xs={24} xl={13}>
          <Card size="small" title={t('journeys.funnel.title')} loading={stats.loading && !stats.data}>
            <FunnelTable steps={stats.data?.steps ?? []} onPickStep={setSelected} />
          </Card>
        </Col>
      </Row>
      <VariantsCard variants={stats.data?.variants ?? []} />
      <EnrollmentsCard journeyId={journey.id} steps={shown.steps} refresh={refresh} step={selected ?? undefined} onStep={(id) => setSelected(id ?? null)} />
    </div>
  );
}

/** `/journeys/:journeyId`: the funnel on the canvas and as a table, A/B results, versions and the customers in it. */
export function JourneyDetailPage() {
  const { t } = useTranslation();
  const { journeyId } = useParams();
  const { workspace } = useSession();
  const [version, setVersion] = useState(0);
  const loaded = useRemote(`journey:${workspace?.id ?? ''}:${journeyId}:${version}`, (signal) => journeysApi.get(journeyId!, signal));
  if (loaded.error && !loaded.data) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) return <Result status="404" title={t('journeys.detail.notFound')} />;
    return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  }
  if (!loaded.data) return <Spin />;
  return <Detail journey={loaded.data} onChanged={() => setVersion((v) => v + 1)} />;
}
