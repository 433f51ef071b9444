import { useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Spin, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { formatDateTime } from '../../app/format.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { messagingApi } from './api.ts';
import { DriversCard } from './DriversCard.tsx';
import { applyNestedFieldErrors, clearFieldErrors } from './fieldErrors.ts';
import { CHANNELS, type Caps, type Channel, type MessagingSettings, type Quota, type SettingsView } from './types.ts';

/** The form holds every channel; channels without any limit are left out when saving. */
type SettingsForm = Omit<MessagingSettings, 'caps' | 'quotas'> & {
  caps: { all: Caps; channels: Record<Channel, Caps> };
  quotas: Record<Channel, Quota>;
};

const NO_CAPS: Caps = { daily: null, weekly: null, monthly: null };
const NO_QUOTA: Quota = { perMinute: null, perHour: null, perDay: null };
const CAP_KEYS = ['daily', 'weekly', 'monthly'] as const;
const QUOTA_KEYS = ['perMinute', 'perHour', 'perDay'] as const;

function toForm(s: MessagingSettings): SettingsForm {
  const each = <T,>(map: Partial<Record<Channel, T>>, none: T) => Object.fromEntries(CHANNELS.map((c) => [c, map[c] ?? none])) as Record<Channel, T>;
  return { ...s, caps: { all: s.caps.all, channels: each(s.caps.channels, NO_CAPS) }, quotas: each(s.quotas, NO_QUOTA) };
}

function someLimit(values: object): boolean {
  return Object.values(values).some((v) => v !== null && v !== undefined);
}

const orNull = (v: unknown) => (typeof v === 'number' ? v : null);

function fromForm(f: SettingsForm): MessagingSettings {
  const channels: Partial<Record<Channel, Caps>> = {};
  const quotas: Partial<Record<Channel, Quota>> = {};
  for (const c of CHANNELS) {
    const caps = f.caps.channels[c];
    if (caps && someLimit(caps)) channels[c] = { daily: orNull(caps.daily), weekly: orNull(caps.weekly), monthly: orNull(caps.monthly) };
    const q = f.quotas[c];
    if (q && someLimit(q)) quotas[c] = { perMinute: orNull(q.perMinute), perHour: orNull(q.perHour), perDay: orNull(q.perDay) };
  }
  const all = { daily: orNull(f.caps.all.daily), weekly: orNull(f.caps.all.weekly), monthly: orNull(f.caps.all.monthly) };
  return { ...f, caps: { all, channels }, quotas };
}

/** Caps, quiet hours, quotas, drivers per channel, delivery retries and extra ad-law terms (workspace.manage). */
export function SettingsPage() {
  const { workspace } = useSession();
  const remote = useRemote(`messaging-settings:${workspace?.id ?? ''}`, (signal) => messagingApi.settings(signal));
  const [saved, setSaved] = useState<SettingsView | null>(null);
  const view = saved ?? remote.data;
  if (!view) return remote.error ? <ErrorAlert error={remote.error} onRetry={remote.reload} /> : <Spin />;
  return (
    <Flex vertical gap={16} data-testid="messaging-settings">
      <SettingsFormCard view={view} onSaved={setSaved} />
      <DriversCard
        view={view}
        onSaved={() => {
          setSaved(null);
          remote.reload();
        }}
      />
    </Flex>
  );
}

function SettingsFormCard({ view, onSaved }: { view: SettingsView; onSaved(v: SettingsView): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { timeZone } = useSession();
  const [form] = Form.useForm<SettingsForm>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const limitHint = t('messaging.settings.noLimit');

  const save = async (values: SettingsForm) => {
    setBusy(true);
    setProblems([]);
    try {
      const next = await messagingApi.saveSettings(fromForm(values));
      onSaved(next);
      message.success(t('common.saved'));
    } catch (err) {
      const { placed, rest } = applyNestedFieldErrors(t, form, err);
      setProblems(placed === 0 && rest.length === 0 ? [describeError(t, err)] : rest);
    } finally {
      setBusy(false);
    }
  };
  const num = (name: (string | number)[], label: string, testId: string, max = 1_000_000) => (
    <Form.Item name={name} label={label} style={{ marginBottom: 12 }}>
      <InputNumber<number> min={1} max={max} precision={0} placeholder={limitHint} style={{ width: '100%' }} data-testid={testId} />
    </Form.Item>
  );
  const usage = (channel: Channel, kind: string) => view.usage.find((u) => u.channel === channel && u.kind === kind)?.used ?? 0;
  const driverOptions = view.availableDrivers.map((d) => ({ value: d, label: t(`messaging.drivers.${d}`) }));

  return (
    <Card
      title={t('messaging.settings.title')}
      extra={view.updatedAt && <Typography.Text type="secondary">{t('messaging.settings.updatedAt', { at: formatDateTime(view.updatedAt, timeZone) })}</Typography.Text>}
    >
      <Form<SettingsForm> form={form} layout="vertical" initialValues={toForm(view.settings)} onFinish={save} onValuesChange={() => clearFieldErrors(form)} data-testid="settings-form">
        <Typography.Title level={5}>{t('messaging.settings.caps')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('messaging.settings.capsHint')}</Typography.Paragraph>
        <Row gutter={12}>
          <Col span={4}><Typography.Text strong>{t('messaging.settings.allChannels')}</Typography.Text></Col>
          {CAP_KEYS.map((k) => (
            <Col span={6} key={k}>{num(['caps', 'all', k], t(`messaging.settings.${k}`), `caps-all-${k}`)}</Col>
          ))}
        </Row>
        {CHANNELS.map((c) => (
          <Row gutter={12} key={c}>
            <Col span={4}><Typography.Text>{t(`messaging.channels.${c}`)}</Typography.Text></Col>
            {CAP_KEYS.map((k) => (
              <Col span={6} key={k}>{num(['caps', 'channels', c, k], t(`messaging.settings.${k}`), `caps-${c}-${k}`)}</Col>
            ))}
          </Row>
        ))}

        <Typography.Title level={5}>{t('messaging.settings.quietHours')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('messaging.settings.quietHoursHint', { timeZone: view.timeZone })}</Typography.Paragraph>
        <Flex gap={16} align="start" wrap>
          <Form.Item name={['quietHours', 'enabled']} label={t('messaging.settings.quietEnabled')} valuePropName="checked">
            <Switch data-testid="quiet-enabled" />
          </Form.Item>
          <Form.Item name={['quietHours', 'start']} label={t('messaging.settings.quietStart')}>
            <Input placeholder="22:00" style={{ width: 120 }} data-testid="quiet-start" />
          </Form.Item>
          <Form.Item name={['quietHours', 'end']} label={t('messaging.settings.quietEnd')}>
            <Input placeholder="08:00" style={{ width: 120 }} data-testid="quiet-end" />
          </Form.Item>
        </Flex>

        <Typography.Title level={5}>{t('messaging.settings.quotas')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('messaging.settings.quotasHint')}</Typography.Paragraph>
        {CHANNELS.map((c) => (
          <Row gutter={12} key={c}>
            <Col span={4}><Typography.Text>{t(`messaging.channels.${c}`)}</Typography.Text></Col>
            {QUOTA_KEYS.map((k) => (
              <Col span={6} key={k}>
                {num(['quotas', c, k], `${t(`messaging.settings.${k}`)}${usage(c, k.replace('per', '').toLowerCase()) ? ` · ${t('messaging.settings.used', { n: usage(c, k.replace('per', '').toLowerCase()) })}` : ''}`, `quota-${c}-${k}`)}
              </Col>
            ))}
          </Row>
        ))}

        <Typography.Title level={5}>{t('messaging.settings.drivers')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('messaging.settings.driversHint')}</Typography.Paragraph>
        <Row gutter={12}>
          {CHANNELS.map((c) => (
            <Col span={6} key={c}>
              <Form.Item name={['drivers', c]} label={t(`messaging.channels.${c}`)}>
                <Select options={driverOptions} data-testid={`driver-${c}`} />
              </Form.Item>
            </Col>
          ))}
        </Row>

        <Typography.Title level={5}>{t('messaging.settings.delivery')}</Typography.Title>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name={['delivery', 'maxAttempts']} label={t('messaging.settings.maxAttempts')} extra={t('messaging.settings.maxAttemptsHint')}>
              <InputNumber<number> precision={0} style={{ width: '100%' }} data-testid="delivery-max-attempts" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['delivery', 'backoffSeconds']} label={t('messaging.settings.backoffSeconds')} extra={t('messaging.settings.backoffHint')}>
              <InputNumber<number> precision={0} style={{ width: '100%' }} data-testid="delivery-backoff" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['delivery', 'timeoutMs']} label={t('messaging.settings.timeoutMs')}>
              <InputNumber<number> precision={0} style={{ width: '100%' }} data-testid="delivery-timeout" />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>{t('messaging.settings.adLaw')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('messaging.settings.adLawHint')}</Typography.Paragraph>
        <Form.Item name={['adLaw', 'blockTerms']} label={t('messaging.settings.blockTerms')}>
          <Select mode="tags" open={false} suffixIcon={null} placeholder={t('messaging.settings.termsPlaceholder')} data-testid="adlaw-block" />
        </Form.Item>
        <Form.Item name={['adLaw', 'warnTerms']} label={t('messaging.settings.warnTerms')}>
          <Select mode="tags" open={false} suffixIcon={null} placeholder={t('messaging.settings.termsPlaceholder')} data-testid="adlaw-warn" />
        </Form.Item>
        <Form.Item
          name={['adLaw', 'useDictionary']}
          label={t('messaging.settings.useDictionary')}
          valuePropName="checked"
          extra={view.dictionary.available ? t('messaging.settings.dictionaryWords', { n: view.dictionary.words }) : t('messaging.settings.dictionaryMissing')}
        >
          <Switch data-testid="adlaw-dictionary" />
        </Form.Item>

        {problems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="settings-error" title={problems.join(t('errors.listSeparator'))} />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
