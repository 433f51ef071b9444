import { useState } from 'react';
import { App, Button, Card, Col, Flex, Form, Input, Result, Row, Spin } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api/client.ts';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { segmentsApi } from './api.ts';
import { localDay } from './days.ts';
import { LivePreviewCard } from './LivePreviewCard.tsx';
import { RuleEditor } from './rule/RuleEditor.tsx';
import { asRootGroup, decodeRule, placeProblems, sameRule, type NodeProblem } from './rule/tree.ts';
import type { Group } from './rule/types.ts';
import { useRuleLookups } from './rule/useRuleLookups.ts';
import type { Segment } from './types.ts';
import { usePreview } from './usePreview.ts';

interface Fields {
  name: string;
  description: string;
}

/** Problems the save reply reported, for the rule they were reported on. */
interface SaveProblems {
  rule: string;
  problems: ReadonlyMap<string, NodeProblem[]>;
}

function SegmentBuilder({ segment, initialRule }: { segment?: Segment; initialRule: Group }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { timeZone } = useSession();
  const lookups = useRuleLookups();
  const [form] = Form.useForm<Fields>();
  const [rule, setRule] = useState<Group>(initialRule);
  const [saving, setSaving] = useState(false);
  const [saveProblems, setSaveProblems] = useState<SaveProblems | null>(null);
  const preview = usePreview(rule);
  const ruleText = JSON.stringify(rule);
  const back = segment ? `/segments/${segment.id}` : '/segments';
  const problems = saveProblems?.rule === ruleText && saveProblems.problems.size ? saveProblems.problems : preview.problems;

  const save = async (fields: Fields) => {
    setSaving(true);
    const draft = { name: fields.name.trim(), description: fields.description?.trim() || null, rule };
    try {
      // An unchanged rule is not sent: the server would evaluate the membership again.
      const saved = segment
        ? await segmentsApi.update(segment.id, sameRule(segment.rule, rule) ? { name: draft.name, description: draft.description } : draft)
        : await segmentsApi.create(draft);
      message.success(t('segmentBuilder.builder.saved'));
      navigate(`/segments/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'segment.name_taken') {
        form.setFields([{ name: 'name', errors: [t('segmentBuilder.builder.nameTaken')] }]);
      } else if (err instanceof ApiError && err.status === 400 && err.fieldDetails.some((d) => d.field?.startsWith('rule'))) {
        setSaveProblems({ rule: ruleText, problems: placeProblems(rule, err.fieldDetails) });
        message.error(t('segmentBuilder.builder.fixRule'));
      } else {
        message.error(describeError(t, err));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="segment-builder">
      <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(back)} style={{ marginBottom: 16 }}>
        {t('segmentBuilder.common.back')}
      </Button>
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Card title={segment ? t('segmentBuilder.builder.editTitle') : t('segmentBuilder.builder.createTitle')} style={{ marginBottom: 16 }}>
            <Form<Fields>
              form={form}
              layout="vertical"
              initialValues={{ name: segment?.name ?? '', description: segment?.description ?? '' }}
              onFinish={save}
              requiredMark={false}
            >
              <Form.Item name="name" label={t('segmentBuilder.builder.name')} rules={[{ required: true, whitespace: true, message: t('segmentBuilder.builder.nameRequired') }, { max: 100 }]}>
                <Input maxLength={100} data-testid="segment-name" />
              </Form.Item>
              <Form.Item name="description" label={t('segmentBuilder.builder.description')}>
                <Input.TextArea rows={2} maxLength={1000} data-testid="segment-description" />
              </Form.Item>
              <Form.Item label={t('segmentBuilder.builder.rule')} required>
                <RuleEditor rule={rule} onChange={setRule} problems={problems} lookups={lookups} today={localDay(timeZone)} />
              </Form.Item>
              <Flex gap={8}>
                <Button type="primary" htmlType="submit" loading={saving} disabled={!preview.sendable} data-testid="segment-save">
                  {t('common.save')}
                </Button>
                <Button onClick={() => navigate(back)}>{t('common.cancel')}</Button>
              </Flex>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <LivePreviewCard rule={rule} preview={{ ...preview, problems }} />
        </Col>
      </Row>
    </div>
  );
}

/** Create (`/segments/new`, optionally `?rule=` from the explore page) or edit (`/segments/:id/edit`) a segment. */
export default function SegmentBuilderPage() {
  const { t } = useTranslation();
  const { segmentId } = useParams();
  const [params] = useSearchParams();
  const { workspace } = useSession();
  const loaded = useRemote(segmentId ? `segment:${workspace?.id ?? ''}:${segmentId}` : null, (signal) => segmentsApi.get(segmentId!, signal));
  if (!segmentId) {
    const prefill = decodeRule(params.get('rule'));
    return <SegmentBuilder initialRule={asRootGroup(prefill ?? { type: 'and', children: [{ type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 1 }] })} />;
  }
  if (loaded.error) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) return <Result status="404" title={t('segmentBuilder.detail.notFound')} />;
    return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  }
  if (!loaded.data) return <Spin />;
  return <SegmentBuilder key={loaded.data.id} segment={loaded.data} initialRule={asRootGroup(loaded.data.rule)} />;
}
