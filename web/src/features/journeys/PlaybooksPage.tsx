import { useState } from 'react';
import { App, Button, Card, Checkbox, Col, Flex, Input, Modal, Row, Select, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api/client.ts';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { journeysApi } from './api.ts';
import { triggerSummary } from './editor/summary.ts';
import { issueText } from './issues.ts';
import type { Issue, Playbook } from './types.ts';

function UseModal({ playbook, onClose }: { playbook: Playbook; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const [name, setName] = useState(playbook.name[lang]);
  const [activate, setActivate] = useState(false);
  const forGroups = playbook.category === 'group_sop';
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<Issue[] | null>(null);
  const submit = async () => {
    setBusy(true);
    try {
      const ids = groupIds.map((g) => g.trim()).filter(Boolean);
      const j = await journeysApi.fromPlaybook(playbook.key, { name: name.trim() || playbook.name[lang], activate, ...(forGroups && ids.length ? { groupIds: ids } : {}) });
      message.success(activate ? t('journeys.playbooks.createdActive') : t('journeys.playbooks.created'));
      navigate(`/journeys/${j.id}/edit`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.fieldDetails.length) setRefused(err.fieldDetails);
      else message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('journeys.playbooks.useTitle', { name: playbook.name[lang] })}
      okText={activate ? t('journeys.playbooks.createAndActivate') : t('journeys.playbooks.create')}
      okButtonProps={{ loading: busy, 'data-testid': 'playbook-submit' }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
    >
      <Flex vertical gap={12}>
        <Input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="playbook-name" />
        {forGroups && (
          <Flex vertical gap={4}>
            <Typography.Text>{t('journeys.playbooks.groups')}</Typography.Text>
            <Select
              mode="tags"
              open={false}
              value={groupIds}
              onChange={(v: string[]) => { setGroupIds(v); setRefused(null); }}
              tokenSeparators={[',', '，', ' ']}
              placeholder={t('journeys.playbooks.groupsPlaceholder')}
              data-testid="playbook-groups"
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('journeys.playbooks.groupsHelp')}</Typography.Text>
          </Flex>
        )}
        <Checkbox checked={activate} onChange={(e) => { setActivate(e.target.checked); setRefused(null); }} data-testid="playbook-activate">
          {t('journeys.playbooks.activateNow')}
        </Checkbox>
        {refused && (
          <Flex vertical data-testid="playbook-refused">
            <Typography.Text type="danger">{t('journeys.playbooks.refused')}</Typography.Text>
            {refused.map((d, i) => (
              <Typography.Text key={i} type="danger" style={{ fontSize: 12 }}>
                {(d.field ?? '').replace(/^definition\./, '')}: {issueText(t, d)}
              </Typography.Text>
            ))}
          </Flex>
        )}
      </Flex>
    </Modal>
  );
}

/** The built-in playbooks; "use" makes a journey from one (optionally live at once) and opens it in the editor. */
export function PlaybooksPage() {
  const { t, i18n } = useTranslation();
  const { workspace, can } = useSession();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const list = useRemote(`journey-playbooks:${workspace?.id ?? ''}`, (signal) => journeysApi.playbooks(signal));
  const [using, setUsing] = useState<Playbook | null>(null);
  return (
    <div data-testid="playbook-list">
      <Typography.Paragraph type="secondary">{t('journeys.playbooks.intro')}</Typography.Paragraph>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Row gutter={[16, 16]}>
        {(list.data?.items ?? []).map((p) => (
          <Col key={p.key} xs={24} md={12} xl={8}>
            <Card
              size="small"
              title={p.name[lang]}
              extra={<Tag bordered={false} color={p.category === 'lifecycle' ? 'blue' : 'purple'}>{t(`journeys.playbooks.categories.${p.category}`)}</Tag>}
              style={{ height: '100%' }}
              data-testid={`playbook-${p.key}`}
              actions={
                can('journeys.write')
                  ? [
                      <Button key="use" type="link" onClick={() => setUsing(p)} data-testid={`playbook-use-${p.key}`}>
                        {t('journeys.playbooks.use')}
                      </Button>,
                    ]
                  : undefined
              }
            >
              <Typography.Paragraph>{p.description[lang]}</Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {triggerSummary(t, p.definition.trigger)} · {t('journeys.playbooks.steps', { count: p.definition.steps.length })}
              </Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      {using && <UseModal key={using.key} playbook={using} onClose={() => setUsing(null)} />}
    </div>
  );
}
