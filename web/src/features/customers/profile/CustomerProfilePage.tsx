import { useState } from 'react';
import { Alert, App, Button, Col, Flex, Result, Row, Spin, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api/client.ts';
import { describeError } from '../../../app/api/errors.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { customersApi } from '../api.ts';
import { channelLabel, CONSENT_COLORS, customerName } from '../format.ts';
import type { CustomerPatch, CustomerProfile, TimelineItem } from '../types.ts';
import { usePaged } from '../usePaged.ts';
import { ConsentCard } from './ConsentCard.tsx';
import { IdentitiesCard } from './IdentitiesCard.tsx';
import { JourneysCard } from './JourneysCard.tsx';
import { MergeHistoryCard } from './MergeHistoryCard.tsx';
import { MergeModal } from './MergeModal.tsx';
import { MessagesCard } from './MessagesCard.tsx';
import { AttributesCard, ProfileCard } from './ProfileCard.tsx';
import { StatsCard } from './StatsCard.tsx';
import { TagsCard } from './TagsCard.tsx';
import { TimelineCard } from './TimelineCard.tsx';

const TIMELINE_PAGE = 30;

/** The customer profile: who the customer is, what they did and bought, and the operator's actions on them. */
export function CustomerProfilePage() {
  const { t } = useTranslation();
  const { customerId } = useParams();
  const id = Number(customerId);
  if (!Number.isSafeInteger(id) || id <= 0) return <Result status="404" title="404" subTitle={t('customers.profile.notFound')} />;
  return <Profile key={id} id={id} />;
}

function Profile({ id }: { id: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const { workspace, can } = useSession();
  const ws = workspace?.id ?? '';
  const remote = useRemote(`customer:${ws}:${id}`, (signal) => customersApi.profile(id, signal));
  const timeline = usePaged<TimelineItem, string>(`timeline:${ws}:${id}`, (cursor, signal) => customersApi.timeline(id, cursor, TIMELINE_PAGE, signal));
  const [saved, setSaved] = useState<CustomerProfile | null>(null);
  const [merging, setMerging] = useState(false);
  // Merges move tags between customers: remount the tags card to load them again.
  const [tagsVersion, setTagsVersion] = useState(0);
  // A save answers with the new profile: show it until the next load.
  const profile = saved && remote.data && saved.updatedAt >= remote.data.updatedAt ? saved : remote.data;
  const canEdit = can('customers.write');
  const canMerge = can('customers.merge');

  const reloadAll = () => {
    setSaved(null);
    remote.reload();
    timeline.reload();
    setTagsVersion((v) => v + 1);
  };
  const patch = async (body: CustomerPatch) => {
    try {
      setSaved(await customersApi.patch(id, body));
      message.success(t('common.saved'));
    } catch (err) {
      message.error(describeError(t, err));
      throw err;
    }
  };
  const recordConsent = async (status: 'granted' | 'denied') => {
    try {
      setSaved(await customersApi.recordConsent(id, status));
      timeline.reload();
      message.success(t('customers.consentAction.recorded'));
    } catch (err) {
      message.error(describeError(t, err));
      throw err;
    }
  };
  const undo = async (mergeId: string) => {
    try {
      const r = await customersApi.undoMerge(mergeId);
      message.success(t('customers.merge.undoneDetail', { id: `#${r.restoredId}` }));
      reloadAll();
    } catch (err) {
      message.error(describeError(t, err));
    }
  };

  if (remote.error instanceof ApiError && remote.error.status === 404) {
    return <Result status="404" title="404" subTitle={t('customers.profile.notFound')} data-testid="customer-not-found" />;
  }
  if (!profile) return remote.error ? <ErrorAlert error={remote.error} onRetry={remote.reload} /> : <Spin data-testid="profile-loading" />;
  const active = profile.mergedInto === null;

  return (
    <div data-testid="customer-profile">
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Flex align="center" gap={12} wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => (location.key === 'default' ? navigate('/customers') : navigate(-1))} aria-label={t('customers.profile.back')} />
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="profile-name">
            {customerName(profile)}
          </Typography.Title>
          <Typography.Text type="secondary">#{profile.id}</Typography.Text>
          {profile.nickname && profile.name && <Typography.Text type="secondary">{profile.nickname}</Typography.Text>}
          <Tag color={CONSENT_COLORS[profile.consentStatus]} bordered={false}>
            {t(`customers.consent.${profile.consentStatus}`, { defaultValue: profile.consentStatus })}
          </Tag>
          {profile.sourceChannel && <Tag bordered={false}>{channelLabel(t, profile.sourceChannel)}</Tag>}
        </Flex>
        {canMerge && active && (
          <Button icon={<MergeCellsOutlined />} onClick={() => setMerging(true)} data-testid="merge-open">
            {t('customers.merge.open')}
          </Button>
        )}
      </Flex>
      {!active && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="merged-banner"
          title={t('customers.profile.mergedAway', { id: `#${profile.mergedInto}` })}
          action={<Link to={`/customers/${profile.mergedInto}`}>{t('customers.profile.openSurvivor')}</Link>}
        />
      )}
      <ErrorAlert error={remote.error} onRetry={remote.reload} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Flex vertical gap={16}>
            {profile.stats && <StatsCard stats={profile.stats} />}
            {can('messages.read') && <MessagesCard customerId={id} />}
            {can('journeys.read') && <JourneysCard customerId={id} />}
            <TimelineCard customerId={id} timeline={timeline} canEdit={canEdit} canMerge={canMerge} onUndo={undo} />
          </Flex>
        </Col>
        <Col xs={24} xl={9}>
          <Flex vertical gap={16}>
            <ProfileCard profile={profile} canEdit={canEdit && active} onPatch={patch} />
            {can('tags.read') && <TagsCard key={tagsVersion} customerId={id} canEdit={can('tags.write') && active} onChanged={timeline.reload} />}
            <IdentitiesCard identities={profile.identities} />
            <AttributesCard profile={profile} canEdit={canEdit && active} onPatch={patch} />
            <ConsentCard profile={profile} canEdit={canEdit && active} onRecord={recordConsent} />
            <MergeHistoryCard items={timeline.items} partial={timeline.hasMore} canMerge={canMerge} onUndo={undo} />
          </Flex>
        </Col>
      </Row>
      <MergeModal open={merging} survivor={profile} onClose={() => setMerging(false)} onChanged={reloadAll} />
    </div>
  );
}
