import { useState } from 'react';
import { Alert, App, Button, Flex, Input, Modal, Popconfirm, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api/client.ts';
import { describeError } from '../../app/api/errors.ts';
import { journeysApi, type JourneyAction } from './api.ts';
import { issueText } from './issues.ts';
import type { Journey, JourneySummary } from './types.ts';

const ACTIONS: Record<string, JourneyAction[]> = {
  draft: ['activate'],
  active: ['pause', 'stop'],
  paused: ['resume', 'stop'],
  stopped: ['activate'],
};

/** Activate, pause, resume or stop a journey, each after a confirmation; stop asks for a reason. */
export function JourneyActions({ journey, onDone, size = 'small' }: { journey: JourneySummary; onDone(j: Journey): void; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState<JourneyAction | null>(null);
  const [stopping, setStopping] = useState(false);
  const [reason, setReason] = useState('');
  const [stopError, setStopError] = useState<string | null>(null);
  const run = async (action: JourneyAction, why?: string) => {
    setBusy(action);
    try {
      const j = await journeysApi.act(journey.id, action, why);
      message.success(t(`journeys.actions.done.${action}`));
      onDone(j);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.fieldDetails.length) {
        modal.error({
          title: t('journeys.editor.activateRefused'),
          content: (
            <Flex vertical data-testid="activate-refused">
              {err.fieldDetails.map((d, i) => (
                <Typography.Text key={i}>
                  {(d.field ?? '').replace(/^definition\./, '')}: {issueText(t, d)}
                </Typography.Text>
              ))}
            </Flex>
          ),
        });
      } else if (action === 'stop') {
        setStopError(describeError(t, err));
      } else {
        message.error(describeError(t, err));
      }
      return false;
    } finally {
      setBusy(null);
    }
  };
  const stop = async () => {
    if (busy) return;
    setStopError(null);
    if (await run('stop', reason.trim() || undefined)) {
      setStopping(false);
      setReason('');
    }
  };
  return (
    <Flex gap={6} onClick={(e) => e.stopPropagation()}>
      {(ACTIONS[journey.status] ?? []).map((action) =>
        action === 'stop' ? (
          <Button key={action} size={size} danger loading={busy === action} onClick={() => setStopping(true)} data-testid={`journey-${action}-${journey.id}`}>
            {t(`journeys.actions.${action}`)}
          </Button>
        ) : (
          <Popconfirm
            key={action}
            title={t(`journeys.actions.confirm.${action}`, { name: journey.name })}
            okText={t(`journeys.actions.${action}`)}
            cancelText={t('common.cancel')}
            onConfirm={() => run(action)}
            okButtonProps={{ 'data-testid': 'confirm-ok' }}
          >
            <Button size={size} loading={busy === action} data-testid={`journey-${action}-${journey.id}`}>
              {t(`journeys.actions.${action}`)}
            </Button>
          </Popconfirm>
        ),
      )}
      <Modal
        open={stopping}
        title={t('journeys.actions.confirm.stop', { name: journey.name })}
        okText={t('journeys.actions.stop')}
        okButtonProps={{ danger: true, loading: busy === 'stop', 'data-testid': 'stop-ok' }}
        cancelText={t('common.cancel')}
        onCancel={() => {
          setStopping(false);
          setStopError(null);
        }}
        onOk={stop}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('journeys.actions.stopExplain')}</Typography.Paragraph>
        <Input value={reason} maxLength={200} placeholder={t('journeys.actions.stopReason')} onChange={(e) => setReason(e.target.value)} onPressEnter={stop} data-testid="stop-reason" />
        {stopError && <Alert type="error" showIcon title={stopError} style={{ marginTop: 12 }} data-testid="stop-error" />}
      </Modal>
    </Flex>
  );
}
