import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background, Controls, MarkerType, ReactFlow, type Connection, type Edge, type EdgeChange, type NodeChange, type NodeTypes, type ReactFlowInstance,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useTranslation } from 'react-i18next';
import type { JourneyDefinition, StepStats } from '../types.ts';
import { connect, disconnect, layout, pointersOf, removeStep, startOf, TRIGGER_NODE } from './definition.ts';
import { StepNodeView, TriggerNodeView, type StepNode, type TriggerNode } from './FlowNodes.tsx';
import { stepSummary, triggerSummary } from './summary.ts';

const NODE_TYPES: NodeTypes = { step: StepNodeView, trigger: TriggerNodeView };

export interface FlowCanvasProps {
  definition: JourneyDefinition;
  /** Issue texts by node id. */
  issues?: ReadonlyMap<string, string[]>;
  /** Per-step numbers (detail page). */
  stats?: ReadonlyMap<string, StepStats>;
  /** Customers who entered (on the trigger node). */
  entered?: number | undefined;
  selected?: string | null;
  onSelect?(id: string | null): void;
  /** Absent: read-only. */
  onChange?(next: JourneyDefinition): void;
  tagName?(id: string): string | undefined;
  segmentName?(id: string): string | undefined;
  height?: number;
}

const NO_ISSUES: ReadonlyMap<string, string[]> = new Map();

/** The journey as a flow: the trigger, every step, and an edge for every pointer. */
export function FlowCanvas(props: FlowCanvasProps) {
  const { definition: def, issues = NO_ISSUES, stats, entered, selected = null, onSelect, onChange, tagName, segmentName, height = 620 } = props;
  const { t } = useTranslation();
  const editable = !!onChange;
  // Sizes the canvas measured, kept so that nodes rebuilt from the definition stay visible.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);
  const positions = useMemo(() => layout(def), [def]);
  const flow = useRef<ReactFlowInstance<StepNode | TriggerNode> | null>(null);
  const count = def.steps.length;
  // A step added or removed: show the whole flow again, once the new node has been measured.
  useEffect(() => {
    const timer = setTimeout(() => void flow.current?.fitView({ padding: 0.2, maxZoom: 1 }), 60);
    return () => clearTimeout(timer);
  }, [count]);
  const start = startOf(def);

  const nodes = useMemo<(StepNode | TriggerNode)[]>(() => {
    const trigger: TriggerNode = {
      id: TRIGGER_NODE,
      type: 'trigger',
      position: positions.get(TRIGGER_NODE) ?? { x: 0, y: 0 },
      data: { summary: triggerSummary(t, def.trigger, segmentName), issues: issues.get(TRIGGER_NODE) ?? [], entered },
      deletable: false,
      selected: selected === TRIGGER_NODE,
      ...(measured[TRIGGER_NODE] ? { measured: measured[TRIGGER_NODE] } : {}),
    };
    return [
      trigger,
      ...def.steps.map(
        (s): StepNode => ({
          id: s.id,
          type: 'step',
          position: positions.get(s.id) ?? { x: 0, y: 0 },
          data: { step: s, summary: stepSummary(t, s, tagName), issues: issues.get(s.id) ?? [], stats: stats?.get(s.id), isStart: s.id === start },
          deletable: editable,
          selected: selected === s.id,
          ...(measured[s.id] ? { measured: measured[s.id] } : {}),
        }),
      ),
    ];
  }, [def, positions, issues, stats, entered, selected, measured, start, editable, t, tagName, segmentName]);

  const edges = useMemo<Edge[]>(() => {
    const out: Edge[] = [];
    const arrow = { type: MarkerType.ArrowClosed };
    if (start && def.steps.some((s) => s.id === start)) {
      out.push({ id: `${TRIGGER_NODE}|start`, source: TRIGGER_NODE, sourceHandle: 'start', target: start, deletable: false, markerEnd: arrow });
    }
    for (const s of def.steps) {
      for (const p of pointersOf(s)) {
        if (!p.to || !def.steps.some((x) => x.id === p.to)) continue;
        const label =
          s.type === 'branch' ? t(`journeys.step.${p.handle}`) : s.type === 'split' ? s.variants[Number(p.handle.slice(1))]?.key : undefined;
        const id = `${s.id}|${p.handle}`;
        out.push({ id, source: s.id, sourceHandle: p.handle, target: p.to, markerEnd: arrow, deletable: editable, selected: id === selectedEdge, ...(label ? { label } : {}) });
      }
    }
    return out;
  }, [def, start, editable, t, selectedEdge]);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepNode | TriggerNode>[]) => {
      let next = def;
      let sized: Record<string, { width: number; height: number }> | null = null;
      // One click deselects the old node and selects the new one, in either order.
      let picked: string | null | undefined;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          sized = { ...(sized ?? measured), [c.id]: c.dimensions };
        } else if (c.type === 'select') {
          if (c.selected) picked = c.id;
          else if (selected === c.id && picked === undefined) picked = null;
        } else if (c.type === 'position' && c.position && editable) {
          const at = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
          next =
            c.id === TRIGGER_NODE
              ? { ...next, ui: { ...next.ui, trigger: at } }
              : { ...next, steps: next.steps.map((s) => (s.id === c.id ? { ...s, ui: { ...s.ui, ...at } } : s)) };
        } else if (c.type === 'remove' && editable && c.id !== TRIGGER_NODE) {
          next = removeStep(next, c.id);
          if (selected === c.id) picked = null;
        }
      }
      if (picked !== undefined) onSelect?.(picked);
      if (sized) setMeasured(sized);
      if (next !== def) onChange?.(next);
    },
    [def, measured, editable, onChange, onSelect, selected],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let next = def;
      let picked: string | null | undefined;
      for (const c of changes) {
        if (c.type === 'select') {
          if (c.selected) picked = c.id;
          else if (c.id === selectedEdge && picked === undefined) picked = null;
        } else if (c.type === 'remove' && editable) {
          const [source, handle] = c.id.split('|');
          if (source && handle) next = disconnect(next, source, handle);
          picked = null;
        }
      }
      if (picked !== undefined) setSelectedEdge(picked);
      if (next !== def) onChange?.(next);
    },
    [def, editable, onChange, selectedEdge],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (editable && c.source && c.target) onChange?.(connect(def, c.source, c.sourceHandle ?? null, c.target));
    },
    [def, editable, onChange],
  );

  return (
    <div style={{ height, border: '1px solid rgba(5, 5, 5, 0.1)', borderRadius: 8, background: '#fafafa' }} data-testid="journey-canvas">
      <ReactFlow<StepNode | TriggerNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneClick={() => onSelect?.(null)}
        nodesDraggable={editable}
        nodesConnectable={editable}
        elementsSelectable
        deleteKeyCode={editable ? ['Delete', 'Backspace'] : null}
        onInit={(instance) => {
          flow.current = instance;
        }}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
