import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Flex, Input, Result, Spin, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api/client.ts';
import { describeError } from '../../../app/api/errors.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { useRemote } from '../../../app/useRemote.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { localDay } from '../../segments/days.ts';
import { journeysApi } from '../api.ts';
import { issueText } from '../issues.ts';
import { StatusTag } from '../StatusTag.tsx';
import { STEP_TYPES, type Issue, type Journey, type JourneyDefinition, type StepType } from '../types.ts';
import { addStep, newDefinition, placeNew, placeIssues, removeStep, replaceStep, SETTINGS_NODE, TRIGGER_NODE, withoutUi } from './definition.ts';
import { FlowCanvas } from './FlowCanvas.tsx';
import { useJourneyLookups } from './lookups.ts';
import { SettingsPanel } from './SettingsPanel.tsx';
import { STEP_ICONS } from './stepIcons.tsx';
import { StepForm } from './StepForm.tsx';
import { TriggerForm } from './TriggerForm.tsx';
import { useValidation } from './useValidation.ts';

/** Issues a save or an activation answered, for the definition they were answered on. */
interface Answered {
  key: string;
  issues: Issue[];
}

const isLive = (j: Journey | null) => j?.status === 'active' || j?.status === 'paused';

function JourneyEditor({ initial, onCreated }: { initial: Journey | null; onCreated?(id: string): void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const { timeZone } = useSession();
  const lookups = useJourneyLookups();
  const [journey, setJourney] = useState<Journey | null>(initial);
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [def, setDef] = useState<JourneyDefinition>(initial?.definition ?? newDefinition());
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'activate' | null>(null);
  // A loaded journey's issues show at once; live checks take over after the first change.
  const [answered, setAnswered] = useState<Answered | null>(() => (initial ? { key: JSON.stringify(withoutUi(initial.definition)), issues: initial.issues } : null));
  const [saved, setSaved] = useState(() => JSON.stringify({ name: initial?.name ?? '', description: initial?.description ?? '', def: initial?.definition ?? null }));
  const validation = useValidation(def, true);
  const defKey = JSON.stringify(withoutUi(def));
  const issues = answered?.key === defKey ? answered.issues : validation.issues;
  const dirty = JSON.stringify({ name, description, def }) !== saved;
  const today = localDay(timeZone);
  // Closing or reloading the tab with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const text = useCallback((i: Issue) => issueText(t, i), [t]);
  const checkedDef = answered?.key === defKey ? def : (validation.checked ?? def);
  const placed = useMemo(() => placeIssues(checkedDef, issues, def), [checkedDef, issues, def]);
  const nodeTexts = useMemo(() => new Map([...placed].map(([k, v]) => [k, v.map((i) => issueText(t, i, true))])), [placed, t]);
  const selectedIndex = def.steps.findIndex((s) => s.id === selected);
  const selectedStep = def.steps[selectedIndex];

  const add = (type: StepType) => {
    const { def: next, id } = addStep(def, type, selected, placeNew(def, selected));
    setDef(next);
    setSelected(id);
  };

  /** Saves (creates or edits) and returns the journey, or null when it was refused. */
  const persist = async (): Promise<Journey | null> => {
    const trimmed = name.trim();
    if (!trimmed) {
      message.error(t('journeys.editor.nameRequired'));
      return null;
    }
    try {
      const about = description.trim();
      const result = journey
        ? await journeysApi.update(journey.id, { name: trimmed, description: about || null, definition: def })
        : await journeysApi.create({ name: trimmed, description: about || null, definition: def });
      setJourney(result);
      setSaved(JSON.stringify({ name, description, def }));
      if (!journey) {
        onCreated?.(result.id);
        navigate(`/journeys/${result.id}/edit`, { replace: true });
      }
      return result;
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.fieldDetails.length) {
        setAnswered({ key: defKey, issues: err.fieldDetails });
        message.error(t('journeys.editor.fixIssues'));
      } else {
        message.error(describeError(t, err));
      }
      return null;
    }
  };

  const save = async () => {
    setBusy('save');
    const before = journey;
    const result = await persist();
    setBusy(null);
    if (!result) return;
    message.success(
      isLive(before) && result.latestVersion !== before?.latestVersion ? t('journeys.editor.savedVersion', { version: result.latestVersion }) : t('journeys.editor.saved'),
    );
  };

  const activate = async () => {
    setBusy('activate');
    try {
      const current = dirty || !journey ? await persist() : journey;
      if (!current) return;
      const result = await journeysApi.act(current.id, 'activate');
      setJourney(result);
      message.success(t('journeys.editor.activated'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.fieldDetails.length) {
        setAnswered({ key: defKey, issues: err.fieldDetails });
        message.error(t('journeys.editor.activateRefused'));
      } else {
        message.error(describeError(t, err));
      }
    } finally {
      setBusy(null);
    }
  };

  const panelTitle = selectedStep ? t('journeys.editor.stepPanel') : selected === TRIGGER_NODE ? t('journeys.trigger.title') : t('journeys.editor.settingsPanel');
  const canActivate = !journey || journey.status === 'draft' || journey.status === 'stopped';
  const back = journey ? `/journeys/${journey.id}` : '/journeys';

  return (
    <div data-testid="journey-editor">
      <Button
        type="text"
        icon={<ArrowLeftOutlined />}
        onClick={() =>
          dirty
            ? modal.confirm({ title: t('journeys.editor.leaveConfirm'), okText: t('journeys.editor.leave'), cancelText: t('common.cancel'), onOk: () => navigate(back) })
            : navigate(back)
        }
        style={{ marginBottom: 12 }}
        data-testid="journey-editor-back"
      >
        {t('journeys.common.back')}
      </Button>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex gap={12} align="center" wrap>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} placeholder={t('journeys.editor.namePlaceholder')} style={{ width: 280 }} data-testid="journey-name" />
          <Input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={2000}
            placeholder={t('journeys.editor.descriptionPlaceholder')}
            style={{ width: 320 }}
            data-testid="journey-description"
          />
          {journey ? <StatusTag status={journey.status} /> : <Tag bordered={false}>{t('journeys.editor.unsaved')}</Tag>}
          {journey && (
            <Typography.Text type="secondary" data-testid="journey-version">
              {t('journeys.editor.version', { version: journey.latestVersion })}
              {journey.liveVersion ? ` · ${t('journeys.editor.liveVersion', { version: journey.liveVersion })}` : ''}
            </Typography.Text>
          )}
          {dirty && <Typography.Text type="warning">{t('journeys.editor.dirty')}</Typography.Text>}
          <Flex gap={8} style={{ marginLeft: 'auto' }}>
            <Button onClick={save} loading={busy === 'save'} disabled={busy !== null} type={canActivate ? 'default' : 'primary'} data-testid="journey-save">
              {t('common.save')}
            </Button>
            {canActivate && (
              <Button type="primary" onClick={activate} loading={busy === 'activate'} disabled={busy !== null} data-testid="journey-activate">
                {t('journeys.actions.activate')}
              </Button>
            )}
          </Flex>
        </Flex>
        {isLive(journey) && (
          <Alert type="info" showIcon style={{ marginTop: 12 }} data-testid="journey-live-notice" title={t('journeys.editor.liveNotice', { version: (journey?.latestVersion ?? 0) + 1 })} />
        )}
        <div style={{ marginTop: 12 }} data-testid="journey-check" data-pending={String(validation.pending)} data-count={issues.length}>
          {validation.failed ? (
            <Typography.Text type="warning">{t('journeys.editor.checkFailed')}</Typography.Text>
          ) : validation.pending && answered?.key !== defKey ? (
            <Typography.Text type="secondary">{t('journeys.editor.checking')}</Typography.Text>
          ) : issues.length ? (
            <Typography.Text type="danger" data-testid="journey-issue-count">
              {t('journeys.editor.issues', { count: issues.length })}
            </Typography.Text>
          ) : (
            <Typography.Text type="success" data-testid="journey-valid">
              {t('journeys.editor.valid')}
            </Typography.Text>
          )}
        </div>
      </Card>
      <Flex gap={12} align="flex-start">
        <Flex vertical gap={6} style={{ width: 132, flex: 'none' }} data-testid="step-palette">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('journeys.editor.addStep')}
          </Typography.Text>
          {STEP_TYPES.map((type) => (
            <Tooltip key={type} title={t(`journeys.stepHints.${type}`)} placement="right">
              <Button icon={STEP_ICONS[type]} onClick={() => add(type)} style={{ justifyContent: 'flex-start' }} data-testid={`add-step-${type}`}>
                {t(`journeys.stepTypes.${type}`)}
              </Button>
            </Tooltip>
          ))}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {t('journeys.editor.paletteHint')}
          </Typography.Text>
        </Flex>
        <div style={{ flex: 1, minWidth: 0 }}>
          <FlowCanvas
            definition={def}
            issues={nodeTexts}
            selected={selected}
            onSelect={setSelected}
            onChange={setDef}
            tagName={lookups.tagName}
            segmentName={lookups.segmentName}
          />
        </div>
        <Card
          size="small"
          title={panelTitle}
          style={{ width: 400, flex: 'none', maxHeight: 720, overflow: 'auto' }}
          data-testid="journey-panel"
          extra={
            selected ? (
              <Button size="small" type="link" icon={<SettingOutlined />} onClick={() => setSelected(null)} data-testid="open-settings">
                {t('journeys.editor.settingsPanel')}
              </Button>
            ) : null
          }
        >
          {selectedStep ? (
            <StepForm
              key={selectedStep.id}
              step={selectedStep}
              index={selectedIndex}
              steps={def.steps}
              issues={placed.get(selectedStep.id) ?? []}
              issueText={text}
              lookups={lookups}
              today={today}
              disabled={false}
              onChange={(s) => setDef(replaceStep(def, selectedStep.id, s))}
              onRemove={() => {
                setDef(removeStep(def, selectedStep.id));
                setSelected(null);
              }}
            />
          ) : selected === TRIGGER_NODE ? (
            <TriggerForm trigger={def.trigger} issues={placed.get(TRIGGER_NODE) ?? []} issueText={text} lookups={lookups} today={today} disabled={false} onChange={(trigger) => setDef({ ...def, trigger })} />
          ) : (
            <>
              {def.steps.length === 0 && (
                <Alert type="info" showIcon icon={<PlusOutlined />} style={{ marginBottom: 12 }} title={t('journeys.editor.emptyHint')} />
              )}
              <SettingsPanel definition={def} issues={placed.get(SETTINGS_NODE) ?? []} issueText={text} lookups={lookups} today={today} disabled={false} onChange={setDef} />
            </>
          )}
        </Card>
      </Flex>
    </div>
  );
}

/** `/journeys/new` and `/journeys/:journeyId/edit`: the flow editor. */
export default function JourneyEditorPage() {
  const { t } = useTranslation();
  const { journeyId } = useParams();
  const { workspace } = useSession();
  // A journey created here stays in the same editor when the address gains its id.
  const [created, setCreated] = useState<string | null>(null);
  const fresh = !journeyId || journeyId === created;
  const loaded = useRemote(fresh ? null : `journey:${workspace?.id ?? ''}:${journeyId}`, (signal) => journeysApi.get(journeyId!, signal));
  if (fresh) return <JourneyEditor key="new" initial={null} onCreated={setCreated} />;
  if (loaded.error) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) return <Result status="404" title={t('journeys.detail.notFound')} />;
    return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  }
  if (!loaded.data) return <Spin />;
  return <JourneyEditor key={loaded.data.id} initial={loaded.data} />;
}
