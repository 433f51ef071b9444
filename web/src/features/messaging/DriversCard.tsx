import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Form, Input, Row, Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { OneTimeSecretModal } from '../../components/OneTimeSecretModal.tsx';
import { messagingApi } from './api.ts';
import { applyNestedFieldErrors, clearFieldErrors } from './fieldErrors.ts';
import type { SettingsView, SmsConfig } from './types.ts';

interface SmsForm extends Omit<SmsConfig, 'headers'> {
  /** One `Name: value` per line. */
  headers: string;
  secret: string;
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** The webhook URL (its signing secret shown once) and the HTTP SMS provider. */
export function DriversCard({ view, onSaved }: { view: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  return (
    <Card title={t('messaging.settings.driverConfig')} data-testid="drivers-card">
      <Row gutter={24}>
        <Col xs={24} xl={10}>
          <WebhookForm view={view} onSaved={onSaved} />
        </Col>
        <Col xs={24} xl={14}>
          <SmsFormView view={view} onSaved={onSaved} />
        </Col>
      </Row>
    </Card>
  );
}

function Configured({ configured, secretSet }: { configured: boolean; secretSet: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4}>
      <Tag color={configured ? 'green' : 'default'} bordered={false}>{configured ? t('messaging.settings.configured') : t('messaging.settings.notConfigured')}</Tag>
      {secretSet && <Tag bordered={false}>{t('messaging.settings.secretSet')}</Tag>}
    </Flex>
  );
}

function WebhookForm({ view, onSaved }: { view: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ url: string; rotateSecret: boolean }>();
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const state = view.drivers.webhook;
  const url = (state.config as { url?: string } | null)?.url ?? '';
  const save = async (v: { url: string; rotateSecret: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await messagingApi.saveWebhook(v.url.trim(), v.rotateSecret);
      message.success(t('common.saved'));
      if (r.secret) setSecret(r.secret);
      onSaved();
    } catch (err) {
      const { placed, rest } = applyNestedFieldErrors(t, form, err);
      if (placed === 0) setError(rest.join(t('errors.listSeparator')) || describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={{ url, rotateSecret: false }} onFinish={save} onValuesChange={() => clearFieldErrors(form)} data-testid="webhook-form">
      <Flex justify="space-between" align="center">
        <Typography.Title level={5}>{t('messaging.drivers.webhook')}</Typography.Title>
        <Configured configured={state.configured} secretSet={state.secretSet} />
      </Flex>
      <Typography.Paragraph type="secondary">{t('messaging.settings.webhookHint')}</Typography.Paragraph>
      <Form.Item name="url" label={t('messaging.settings.url')} rules={[{ required: true, message: t('common.required', { field: t('messaging.settings.url') }) }]}>
        <Input placeholder="https://" data-testid="webhook-url" />
      </Form.Item>
      <Form.Item name="rotateSecret" valuePropName="checked">
        <Checkbox data-testid="webhook-rotate">{t('messaging.settings.rotateSecret')}</Checkbox>
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button htmlType="submit" loading={busy} data-testid="webhook-save">
        {t('common.save')}
      </Button>
      <OneTimeSecretModal secret={secret} title={t('messaging.settings.secretTitle')} hint={t('messaging.settings.secretHint')} testId="webhook-secret" onClose={() => setSecret(null)} />
    </Form>
  );
}

function SmsFormView({ view, onSaved }: { view: SettingsView; onSaved(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SmsForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = view.drivers.sms_http;
  const config = (state.config as SmsConfig | null) ?? null;
  const initial: SmsForm = {
    url: config?.url ?? '',
    method: config?.method ?? 'POST',
    contentType: config?.contentType ?? 'application/json',
    bodyTemplate: config?.bodyTemplate ?? '{"mobile":"{mobile}","text":"{text}"}',
    headers: Object.entries(config?.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n'),
    authHeader: config?.authHeader ?? null,
    successContains: config?.successContains ?? null,
    secret: '',
  };
  const save = async (v: SmsForm) => {
    setBusy(true);
    setError(null);
    try {
      await messagingApi.saveSms({
        url: v.url.trim(),
        method: v.method,
        contentType: v.contentType,
        bodyTemplate: v.bodyTemplate ?? '',
        headers: parseHeaders(v.headers ?? ''),
        authHeader: v.authHeader?.trim() || null,
        successContains: v.successContains?.trim() || null,
        ...(v.secret ? { secret: v.secret } : {}),
      });
      message.success(t('common.saved'));
      form.setFieldValue('secret', '');
      onSaved();
    } catch (err) {
      const { placed, rest } = applyNestedFieldErrors(t, form, err);
      if (placed === 0) setError(rest.join(t('errors.listSeparator')) || describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={initial} onFinish={save} onValuesChange={() => clearFieldErrors(form)} data-testid="sms-form">
      <Flex justify="space-between" align="center">
        <Typography.Title level={5}>{t('messaging.drivers.sms_http')}</Typography.Title>
        <Configured configured={state.configured} secretSet={state.secretSet} />
      </Flex>
      <Typography.Paragraph type="secondary">{t('messaging.settings.smsHint')}</Typography.Paragraph>
      <Flex gap={12}>
        <Form.Item name="method" label={t('messaging.settings.method')} style={{ width: 110 }}>
          <Select options={['POST', 'PUT', 'GET'].map((m) => ({ value: m, label: m }))} />
        </Form.Item>
        <Form.Item name="url" label={t('messaging.settings.url')} style={{ flex: 1 }} rules={[{ required: true, message: t('common.required', { field: t('messaging.settings.url') }) }]}>
          <Input placeholder="https://" data-testid="sms-url" />
        </Form.Item>
      </Flex>
      <Form.Item name="contentType" label={t('messaging.settings.contentType')}>
        <Select options={['application/json', 'application/x-www-form-urlencoded'].map((m) => ({ value: m, label: m }))} />
      </Form.Item>
      <Form.Item name="bodyTemplate" label={t('messaging.settings.bodyTemplate')} extra={t('messaging.settings.bodyTemplateHint')}>
        <Input.TextArea rows={3} data-testid="sms-body" />
      </Form.Item>
      <Form.Item name="headers" label={t('messaging.settings.headers')} extra={t('messaging.settings.headersHint')}>
        <Input.TextArea rows={2} data-testid="sms-headers" />
      </Form.Item>
      <Flex gap={12}>
        <Form.Item name="authHeader" label={t('messaging.settings.authHeader')} style={{ flex: 1 }}>
          <Input placeholder="Authorization" data-testid="sms-auth-header" />
        </Form.Item>
        <Form.Item name="secret" label={t('messaging.settings.secret')} style={{ flex: 1 }} extra={state.secretSet ? t('messaging.settings.secretKeep') : undefined}>
          <Input.Password autoComplete="new-password" data-testid="sms-secret" />
        </Form.Item>
      </Flex>
      <Form.Item name="successContains" label={t('messaging.settings.successContains')}>
        <Input data-testid="sms-success" />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button htmlType="submit" loading={busy} data-testid="sms-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}
