import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { Flex, Tag, Typography } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Step, StepStats } from '../types.ts';
import { STEP_ICONS } from './stepIcons.tsx';

export interface StepNodeData extends Record<string, unknown> {
  step: Step;
  summary: string;
  issues: string[];
  stats?: StepStats | undefined;
  isStart: boolean;
}

export interface TriggerNodeData extends Record<string, unknown> {
  summary: string;
  issues: string[];
  entered?: number | undefined;
}

export type StepNode = Node<StepNodeData, 'step'>;
export type TriggerNode = Node<TriggerNodeData, 'trigger'>;

export const NODE_WIDTH = 230;

function frame(selected: boolean, bad: boolean) {
  return {
    width: NODE_WIDTH,
    background: '#fff',
    borderRadius: 8,
    border: `${selected ? 2 : 1}px solid ${bad ? '#ff4d4f' : selected ? '#1677ff' : 'rgba(5, 5, 5, 0.15)'}`,
    boxShadow: '0 1px 2px rgba(0, 0, 0, 0.06)',
    padding: '8px 10px',
    fontSize: 12,
  } as const;
}

function Issues({ id, issues }: { id: string; issues: string[] }) {
  if (!issues.length) return null;
  return (
    <Flex vertical gap={2} style={{ marginTop: 6 }} data-testid={`node-issues-${id}`}>
      {issues.map((text, i) => (
        <Typography.Text key={i} type="danger" style={{ fontSize: 12, lineHeight: 1.35 }}>
          {text}
        </Typography.Text>
      ))}
    </Flex>
  );
}

function Stat({ id, name, label, value }: { id: string; name: string; label: string; value: number }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {label} <b data-testid={`node-stat-${id}-${name}`}>{value.toLocaleString()}</b>
    </span>
  );
}

function StepStatsLine({ id, stats }: { id: string; stats: StepStats }) {
  const { t } = useTranslation();
  const suppressed = stats.suppressed.reduce((n, r) => n + r.count, 0);
  return (
    <Flex wrap gap={8} style={{ marginTop: 6, paddingTop: 6, borderTop: '1px dashed rgba(5, 5, 5, 0.12)' }}>
      <Stat id={id} name="entered" label={t('journeys.funnel.entered')} value={stats.entered} />
      {stats.waiting > 0 && <Stat id={id} name="waiting" label={t('journeys.funnel.waiting')} value={stats.waiting} />}
      {stats.type === 'send' && <Stat id={id} name="sent" label={t('journeys.funnel.sent')} value={stats.sent} />}
      {suppressed > 0 && <Stat id={id} name="suppressed" label={t('journeys.funnel.suppressed')} value={suppressed} />}
      <Stat id={id} name="converted" label={t('journeys.funnel.converted')} value={stats.converted} />
    </Flex>
  );
}

/** A step on the canvas: its type, name, a summary line, its issues, and (on the detail page) its numbers. */
export function StepNodeView({ id, data, selected }: NodeProps<StepNode>) {
  const { t } = useTranslation();
  const { step } = data;
  const sources =
    step.type === 'branch'
      ? [{ id: 'then', label: t('journeys.step.then') }, { id: 'else', label: t('journeys.step.else') }]
      : step.type === 'split'
        ? step.variants.map((v, i) => ({ id: `v${i}`, label: `${v.key} ${v.weight}%` }))
        : [{ id: 'next', label: '' }];
  return (
    <div style={frame(!!selected, data.issues.length > 0)} data-testid={`node-${id}`} data-type={step.type}>
      <Handle type="target" position={Position.Top} data-testid={`handle-in-${id}`} />
      <Flex align="center" gap={6}>
        {STEP_ICONS[step.type]}
        <Typography.Text strong style={{ fontSize: 12 }}>
          {t(`journeys.stepTypes.${step.type}`)}
        </Typography.Text>
        {data.isStart && (
          <Tag bordered={false} color="blue" style={{ marginInlineEnd: 0, fontSize: 11 }}>
            {t('journeys.step.start')}
          </Tag>
        )}
        <Typography.Text type="secondary" style={{ marginLeft: 'auto', fontSize: 11 }}>
          {id}
        </Typography.Text>
      </Flex>
      {step.name && <div style={{ fontWeight: 500, marginTop: 2 }}>{step.name}</div>}
      <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }} data-testid={`node-summary-${id}`}>
        {data.summary}
      </Typography.Text>
      {data.stats && <StepStatsLine id={id} stats={data.stats} />}
      <Issues id={id} issues={data.issues} />
      {sources.length > 1 && (
        <Flex justify="space-around" style={{ marginTop: 6, fontSize: 11, color: 'rgba(0, 0, 0, 0.45)' }}>
          {sources.map((s) => (
            <span key={s.id}>{s.label}</span>
          ))}
        </Flex>
      )}
      {sources.map((s, i) => (
        <Handle
          key={s.id}
          id={s.id}
          type="source"
          position={Position.Bottom}
          style={{ left: `${((i + 1) / (sources.length + 1)) * 100}%` }}
          data-testid={`handle-out-${id}-${s.id}`}
        />
      ))}
    </div>
  );
}

/** The trigger: what brings customers in; its edge names the first step. */
export function TriggerNodeView({ id, data, selected }: NodeProps<TriggerNode>) {
  const { t } = useTranslation();
  return (
    <div style={{ ...frame(!!selected, data.issues.length > 0), background: '#f0f5ff' }} data-testid="node-trigger">
      <Flex align="center" gap={6}>
        <ThunderboltOutlined />
        <Typography.Text strong style={{ fontSize: 12 }}>
          {t('journeys.trigger.title')}
        </Typography.Text>
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} data-testid="node-summary-trigger">
        {data.summary}
      </Typography.Text>
      {data.entered !== undefined && (
        <div style={{ marginTop: 6 }}>
          <Stat id="trigger" name="entered" label={t('journeys.funnel.entered')} value={data.entered} />
        </div>
      )}
      <Issues id={id === '__trigger' ? 'trigger' : id} issues={data.issues} />
      <Handle type="source" id="start" position={Position.Bottom} data-testid="handle-out-trigger" />
    </div>
  );
}
