import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Modal, Radio, Switch, Typography } from 'antd';
import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { tagsApi } from '../api.ts';
import { reasonText } from '../../../app/api/errors.ts';
import { describeTagError } from '../errors.ts';
import { TagSelect } from '../TagSelect.tsx';
import type { PreviewResult, TagRule } from '../types.ts';
import { ConditionFields } from './ConditionFields.tsx';
import { emptyRuleValues, fieldErrorsOf, fromRule, NEW_CONDITION, toDefinition, type RuleFormValues } from './rule-form.ts';

const MAX_CONDITIONS = 10;
const SAMPLE_SHOWN = 5;

interface Props {
  /** The rule being edited; null to create one. */
  rule: TagRule | null;
  eventTypes: readonly string[];
  onClose(): void;
  onSaved(rule: TagRule): void;
}

const keyOf = (values: RuleFormValues) => JSON.stringify(toDefinition(values));

/**
 * Creates or edits a tag rule (mount it with a key per rule: it starts from the rule). A
 * changed definition is previewed (how many customers hold it now) before it can be saved;
 * server problems are shown on the fields they name.
 */
export function RuleFormModal({ rule, eventTypes, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const [initial] = useState(() => (rule ? fromRule(rule) : emptyRuleValues()));
  const [initialKey] = useState(() => (rule ? keyOf(initial) : null));
  const [preview, setPreview] = useState<{ key: string; result: PreviewResult } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [tagName, setTagName] = useState<string | null>(rule?.tagName ?? null);
  const currentKey = Form.useWatch((values: RuleFormValues) => keyOf(values), { form, preserve: true });
  const isDefinitionSaved = initialKey !== null && currentKey === initialKey;
  const isPreviewed = preview !== null && preview.key === currentKey;
  const canSave = isDefinitionSaved || isPreviewed;

  /** Puts the server's field problems on the fields; anything else becomes a message. */
  const report = (err: unknown) => {
    const fields = fieldErrorsOf(err, (reason, msg) => reasonText(t, reason, msg, 'tagging'));
    if (fields.length) {
      // Paths come from the server; the form's types cannot know them statically.
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      form.scrollToField(fields[0]!.name as Parameters<typeof form.scrollToField>[0]);
    } else {
      message.error(describeTagError(t, err));
    }
  };

  const runPreview = async () => {
    const valid = await form.validateFields([['match'], ['conditions']], { recursive: true }).then(
      () => true,
      () => false,
    );
    if (!valid) return;
    const definition = toDefinition(form.getFieldsValue(true) as RuleFormValues);
    setBusy('preview');
    try {
      const result = await tagsApi.preview(definition);
      setPreview({ key: JSON.stringify(definition), result });
    } catch (err) {
      setPreview(null);
      report(err);
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    const valid = await form.validateFields({ recursive: true }).then(
      () => true,
      () => false,
    );
    if (!valid || !canSave) return;
    const values = form.getFieldsValue(true) as RuleFormValues;
    const description = values.description?.trim() ?? '';
    const base = { name: (values.name ?? '').trim(), tagId: values.tagId!, enabled: values.enabled ?? true };
    setBusy('save');
    try {
      const saved = rule
        ? await tagsApi.patchRule(rule.id, { ...base, description: description || null, ...(isDefinitionSaved ? {} : { definition: toDefinition(values) }) })
        : await tagsApi.createRule({ ...base, ...(description ? { description } : {}), definition: toDefinition(values) });
      message.success(t(rule ? 'tagging.form.saved' : 'tagging.form.created'));
      onSaved(saved);
    } catch (err) {
      report(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      open
      width={820}
      title={rule ? t('tagging.form.editTitle', { name: rule.name }) : t('tagging.form.createTitle')}
      onCancel={onClose}
      footer={
        <Flex justify="space-between" align="center" gap={12}>
          <Button icon={<EyeOutlined />} onClick={runPreview} loading={busy === 'preview'} data-testid="rule-preview">
            {t('tagging.form.preview')}
          </Button>
          <Flex gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" onClick={save} loading={busy === 'save'} disabled={!canSave} data-testid="rule-form-submit">
              {t('tagging.form.save')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Form<RuleFormValues> form={form} layout="vertical" initialValues={initial} data-testid="rule-form">
        <Flex gap={12}>
          <Form.Item name="name" label={t('tagging.form.name')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('tagging.form.name') }) }]}>
            <Input maxLength={100} placeholder={t('tagging.form.namePlaceholder')} data-testid="rule-form-name" />
          </Form.Item>
          <Form.Item name="tagId" label={t('tagging.form.tag')} style={{ width: 260 }} rules={[{ required: true, message: t('tagging.form.tagRequired') }]}>
            <TagSelect onChange={(_, tag) => setTagName(tag?.name ?? null)} style={{ width: '100%' }} data-testid="rule-form-tag" />
          </Form.Item>
        </Flex>
        <Form.Item name="description" label={t('tagging.form.description')}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
        <Form.Item name="match" label={t('tagging.form.match')}>
          <Radio.Group data-testid="rule-form-match">
            <Radio value="all">{t('tagging.form.matchAll')}</Radio>
            <Radio value="any">{t('tagging.form.matchAny')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.List name="conditions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={12} style={{ marginBottom: 16 }}>
              {fields.map((f) => (
                <ConditionFields key={f.key} name={f.name} eventTypes={eventTypes} onRemove={fields.length > 1 ? () => remove(f.name) : undefined} />
              ))}
              {fields.length < MAX_CONDITIONS && (
                <Button icon={<PlusOutlined />} onClick={() => add({ ...NEW_CONDITION, filters: [] })} style={{ alignSelf: 'flex-start' }} data-testid="rule-add-condition">
                  {t('tagging.form.addCondition')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
        <Form.Item name="enabled" label={t(rule ? 'tagging.rules.enabled' : 'tagging.form.enabled')} valuePropName="checked">
          <Switch data-testid="rule-form-enabled" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="rule-removal-note">
          {t('tagging.form.removalNote')}
        </Typography.Paragraph>
      </Form>
      {isPreviewed ? (
        <Alert
          type="info"
          showIcon
          data-testid="rule-preview-result"
          title={
            <span data-testid="rule-preview-count">
              {tagName ? t('tagging.form.previewResultTag', { count: preview.result.count, tag: tagName }) : t('tagging.form.previewResult', { count: preview.result.count })}
            </span>
          }
          description={
            preview.result.sample.length > 0 && (
              <Flex gap={8} wrap>
                <span>{t('tagging.form.previewSample')}</span>
                {preview.result.sample.slice(0, SAMPLE_SHOWN).map((id) => (
                  <Link key={id} to={`/customers/${id}`} target="_blank">
                    #{id}
                  </Link>
                ))}
              </Flex>
            )
          }
        />
      ) : (
        !isDefinitionSaved && (
          <Alert type={preview ? 'warning' : 'info'} showIcon data-testid="rule-preview-hint" title={t(preview ? 'tagging.form.previewStale' : 'tagging.form.previewHint')} />
        )
      )}
    </Modal>
  );
}
