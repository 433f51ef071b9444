import { AutoComplete, Button, Card, Col, Flex, Form, Input, InputNumber, Row, Segmented, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { eventLabel } from '../../customers/profile/TimelineEntry.tsx';
import { FILTER_OPS, type FilterOp } from '../types.ts';

/** Property names offered while typing (the known event properties); any other may be typed. */
const PROPERTY_SUGGESTIONS = ['category', 'productId', 'sku', 'name', 'priceFen', 'activityId', 'groupId', 'couponId', 'campaignId', 'liveId', 'posterId', 'questionnaireId', 'url', 'title', 'channelCode', 'target'];
const PROPERTY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface Props {
  /** The condition's index in the form list. */
  name: number;
  eventTypes: readonly string[];
  onRemove?: () => void;
}

/** One condition of a rule: an event counted in a window (with property filters), or paid orders. */
export function ConditionFields({ name, eventTypes, onRemove }: Props) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const type = Form.useWatch(['conditions', name, 'type'], form) as 'event' | 'order' | undefined;
  const id = `condition-${name}`;
  const typeOptions = eventTypes.map((value) => ({ value, label: `${eventLabel(t, value)} · ${value}` }));
  return (
    <Card
      size="small"
      data-testid={id}
      title={t('tagging.form.condition', { index: name + 1 })}
      extra={
        onRemove && (
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('tagging.form.removeCondition')} data-testid={`${id}-remove`} />
        )
      }
    >
      <Form.Item name={[name, 'type']} label={t('tagging.form.type')}>
        <Segmented
          data-testid={`${id}-type`}
          options={(['event', 'order'] as const).map((value) => ({ value, label: t(`tagging.form.types.${value}`) }))}
        />
      </Form.Item>
      {type === 'order' ? (
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name={[name, 'category']} label={t('tagging.form.category')}>
              <Input maxLength={200} placeholder={t('tagging.form.anyValue')} data-testid={`${id}-category`} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={[name, 'productId']} label={t('tagging.form.productId')}>
              <Input maxLength={200} placeholder={t('tagging.form.anyValue')} data-testid={`${id}-product`} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={[name, 'minAmountYuan']} label={t('tagging.form.minAmount')}>
              <InputNumber min={0.01} step={1} precision={2} placeholder={t('tagging.form.anyValue')} style={{ width: '100%' }} data-testid={`${id}-min-amount`} />
            </Form.Item>
          </Col>
        </Row>
      ) : (
        <>
          <Form.Item
            name={[name, 'eventType']}
            label={t('tagging.form.eventType')}
            extra={t('tagging.form.eventTypeHelp')}
            rules={[{ required: true, whitespace: true, message: t('tagging.form.eventTypeRequired') }]}
          >
            <AutoComplete
              options={typeOptions}
              showSearch={{ filterOption: (input, option) => String(option?.label ?? '').toLowerCase().includes(input.trim().toLowerCase()) }}
            >
              <Input maxLength={100} data-testid={`${id}-event-type`} />
            </AutoComplete>
          </Form.Item>
          <Form.Item label={t('tagging.form.filters')} style={{ marginBottom: 8 }}>
            <Form.List name={[name, 'filters']}>
              {(fields, { add, remove }) => (
                <Flex vertical gap={8}>
                  {fields.map((f) => (
                    <FilterRow key={f.key} condition={name} name={f.name} onRemove={() => remove(f.name)} />
                  ))}
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add({ op: 'eq', value: '' })} style={{ alignSelf: 'flex-start' }} data-testid={`${id}-add-filter`}>
                    {t('tagging.form.addFilter')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Form.Item>
        </>
      )}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name={[name, 'minCount']} label={t('tagging.form.minCount')} rules={[{ required: true, message: t('tagging.form.minCountRequired') }]}>
            <InputNumber min={1} max={10_000} precision={0} style={{ width: '100%' }} data-testid={`${id}-min-count`} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name={[name, 'windowDays']} label={t('tagging.form.windowDays')} extra={t('tagging.form.windowHelp')}>
            <InputNumber min={1} max={3650} precision={0} placeholder={t('tagging.form.windowEver')} style={{ width: '100%' }} data-testid={`${id}-window-days`} />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}

/** property · comparison · value; the value input follows the comparison. */
function FilterRow({ condition, name, onRemove }: { condition: number; name: number; onRemove(): void }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const path = ['conditions', condition, 'filters', name];
  const op = (Form.useWatch([...path, 'op'], form) as FilterOp | undefined) ?? 'eq';
  const id = `condition-${condition}-filter-${name}`;
  const required = { required: true, message: t('tagging.form.valueRequired') };
  let value;
  if (op === 'exists') value = null;
  else if (op === 'in') value = <Select mode="tags" notFoundContent={null} placeholder={t('tagging.form.valuesPlaceholder')} tokenSeparators={[',', '，']} data-testid={`${id}-value`} />;
  else if (op === 'gte' || op === 'lte') value = <InputNumber style={{ width: '100%' }} data-testid={`${id}-value`} />;
  else value = <Input maxLength={200} data-testid={`${id}-value`} />;
  return (
    <Flex gap={8} align="flex-start" data-testid={id}>
      <Form.Item
        name={[name, 'property']}
        style={{ marginBottom: 0, width: 180 }}
        rules={[
          { required: true, whitespace: true, message: t('tagging.form.propertyRequired') },
          { pattern: PROPERTY_RE, message: t('tagging.form.propertyFormat') },
        ]}
      >
        <AutoComplete options={PROPERTY_SUGGESTIONS.map((p) => ({ value: p }))} showSearch={{ filterOption: (input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}>
          <Input placeholder={t('tagging.form.property')} aria-label={t('tagging.form.property')} data-testid={`${id}-property`} />
        </AutoComplete>
      </Form.Item>
      <Form.Item name={[name, 'op']} style={{ marginBottom: 0, width: 150 }}>
        <Select
          aria-label={t('tagging.form.op')}
          data-testid={`${id}-op`}
          options={FILTER_OPS.map((o) => ({ value: o, label: t(`tagging.ops.${o}`) }))}
          onChange={(next: FilterOp) => form.setFieldValue([...path, 'value'], next === 'in' ? [] : next === 'exists' || next === 'gte' || next === 'lte' ? undefined : '')}
        />
      </Form.Item>
      {value && (
        <Form.Item name={[name, 'value']} style={{ marginBottom: 0, flex: 1 }} rules={[required]}>
          {value}
        </Form.Item>
      )}
      <Button type="text" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('common.delete')} data-testid={`${id}-remove`} />
    </Flex>
  );
}
