import { useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Flex, Popconfirm, Result, Spin, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, DownloadOutlined, EditOutlined, PauseCircleOutlined, PlayCircleOutlined, ReloadOutlined, TagsOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api/client.ts';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { segmentsApi } from './api.ts';
import { localDay } from './days.ts';
import { RuleEditor } from './rule/RuleEditor.tsx';
import { asRootGroup } from './rule/tree.ts';
import { useRuleLookups } from './rule/useRuleLookups.ts';
import { SegmentActivity } from './SegmentActivity.tsx';
import { StatusTag } from './SegmentListPage.tsx';
import { TagMembersModal } from './TagMembersModal.tsx';
import type { Segment } from './types.ts';

function Actions({ segment, onChanged }: { segment: Segment; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { can } = useSession();
  const lookups = useRuleLookups();
  const [busy, setBusy] = useState(false);
  const [tagging, setTagging] = useState(false);
  const canWrite = can('segments.write');

  const run = async (action: () => Promise<unknown>, done: string, after: () => void) => {
    setBusy(true);
    try {
      await action();
      message.success(done);
      after();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const paused = segment.status === 'paused';
  return (
    <Flex gap={8} wrap>
      {can('data.export') && (
        <Button icon={<DownloadOutlined />} href={segmentsApi.membersCsvHref(segment.id)} download data-testid="segment-export">
          {t('segmentBuilder.detail.export')}
        </Button>
      )}
      {canWrite && can('tags.write') && (
        <Button icon={<TagsOutlined />} onClick={() => setTagging(true)} data-testid="segment-tag-all">
          {t('segmentBuilder.detail.tagAll')}
        </Button>
      )}
      {canWrite && (
        <>
          <Button icon={<EditOutlined />} onClick={() => navigate(`/segments/${segment.id}/edit`)} data-testid="segment-edit">
            {t('segmentBuilder.detail.edit')}
          </Button>
          <Button
            icon={paused ? <PlayCircleOutlined /> : <PauseCircleOutlined />}
            loading={busy}
            onClick={() =>
              run(() => segmentsApi.update(segment.id, { status: paused ? 'active' : 'paused' }), paused ? t('segmentBuilder.detail.resumed') : t('segmentBuilder.detail.paused'), onChanged)
            }
            data-testid="segment-toggle-status"
          >
            {paused ? t('segmentBuilder.detail.resume') : t('segmentBuilder.detail.pause')}
          </Button>
          <Popconfirm
            title={t('segmentBuilder.detail.deleteConfirm', { name: segment.name })}
            okText={t('common.delete')}
            okButtonProps={{ danger: true, 'data-testid': 'confirm-delete-segment' }}
            onConfirm={() => run(() => segmentsApi.remove(segment.id), t('segmentBuilder.detail.deleted'), () => navigate('/segments'))}
          >
            <Button danger icon={<DeleteOutlined />} data-testid="segment-delete">
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </>
      )}
      {tagging && <TagMembersModal segment={segment} lookups={lookups} open={tagging} onClose={() => setTagging(false)} />}
    </Flex>
  );
}

/** One saved segment: what it is, its rule, members and history, and what can be done with it. */
export function SegmentDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { segmentId = '' } = useParams();
  const { workspace, timeZone } = useSession();
  const lookups = useRuleLookups();
  const loaded = useRemote(`segment:${workspace?.id ?? ''}:${segmentId}`, (signal) => segmentsApi.get(segmentId, signal));
  const segment = loaded.data;
  // A new or changed rule is evaluated in the background: look again until it is done.
  const evaluating = !!segment && !segment.evaluatedAt && segment.status === 'active';
  const { reload } = loaded;
  useEffect(() => {
    if (!evaluating) return;
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [evaluating, reload]);
  if (loaded.error instanceof ApiError && loaded.error.status === 404) return <Result status="404" title={t('segmentBuilder.detail.notFound')} data-testid="segment-not-found" />;
  if (!segment) return loaded.error ? <ErrorAlert error={loaded.error} onRetry={loaded.reload} /> : <Spin />;
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <div data-testid="segment-detail">
      <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/segments')} style={{ marginBottom: 8 }}>
        {t('segmentBuilder.common.back')}
      </Button>
      <ErrorAlert error={loaded.error} onRetry={loaded.reload} />
      <Card
        title={
          <Flex gap={8} align="center">
            <span data-testid="segment-title">{segment.name}</span>
            <StatusTag segment={segment} />
          </Flex>
        }
        extra={<Actions segment={segment} onChanged={loaded.reload} />}
        style={{ marginBottom: 16 }}
      >
        {segment.description && <Typography.Paragraph type="secondary">{segment.description}</Typography.Paragraph>}
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('segmentBuilder.list.members')}>
            {segment.evaluatedAt ? (
              <strong data-testid="segment-member-count">{segment.memberCount.toLocaleString()}</strong>
            ) : (
              <Flex gap={4} align="center">
                <Tag bordered={false} data-testid="segment-computing">
                  {t('segmentBuilder.list.computing')}
                </Tag>
                <Button size="small" type="text" icon={<ReloadOutlined />} onClick={loaded.reload} aria-label={t('common.retry')} data-testid="segment-refresh" />
              </Flex>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('segmentBuilder.list.lastChange')}>
            <span data-testid="segment-last-change">{segment.lastChangeAt ? formatDateTime(segment.lastChangeAt, timeZone) : dash}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('segmentBuilder.detail.evaluatedAt')}>{segment.evaluatedAt ? formatDateTime(segment.evaluatedAt, timeZone) : dash}</Descriptions.Item>
          <Descriptions.Item label={t('segmentBuilder.detail.created')}>
            {formatDateTime(segment.createdAt, timeZone)}
            {segment.createdBy ? ` · ${segment.createdBy}` : ''}
          </Descriptions.Item>
        </Descriptions>
        {segment.status === 'paused' && <Typography.Paragraph type="warning">{t('segmentBuilder.detail.pausedNote')}</Typography.Paragraph>}
        {segment.isTimeRelative && <Typography.Paragraph type="secondary">{t('segmentBuilder.detail.timeRelative')}</Typography.Paragraph>}
        <RuleEditor rule={asRootGroup(segment.rule)} lookups={lookups} today={localDay(timeZone)} disabled />
      </Card>
      <Card>
        <SegmentActivity segment={segment} />
      </Card>
    </div>
  );
}
