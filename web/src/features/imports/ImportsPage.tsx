import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Radio, Select, Typography, Upload } from 'antd';
import { InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import type { UploadFile, UploadProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/api/errors.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePaged } from '../customers/usePaged.ts';
import { importsApi, uploadCsv } from './api.ts';
import { ImportHistory } from './ImportHistory.tsx';
import { ImportRun } from './ImportRun.tsx';
import { EMPTY_MAPPING, MappingChooser, mappingChoice, type MappingState } from './MappingChooser.tsx';
import { PreviewView } from './PreviewView.tsx';
import type { Encoding, ImportKind, ImportView, MappingChoice, Preview } from './types.ts';

const ENCODINGS: Encoding[] = ['auto', 'utf8', 'gbk', 'gb18030'];

interface Run {
  importId: string;
  initial: ImportView | null;
  version: number;
  /** What it was started with here; a rejected run can be started again skipping bad rows. */
  choice: MappingChoice | null;
  encoding: Encoding;
}

/** Data import: upload a platform export, map it, preview it, import it, and follow it to the end. */
export default function ImportsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace } = useSession();
  const ws = workspace?.id ?? '';
  const presets = useRemote(`import-presets:${ws}`, (signal) => importsApi.presets(signal));
  const history = usePaged<ImportView, string>(`imports:${ws}`, (cursor, signal) => importsApi.list(cursor, 10, signal));
  const [kind, setKind] = useState<ImportKind>('orders');
  const [mapping, setMapping] = useState<MappingState>(EMPTY_MAPPING);
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [force, setForce] = useState(false);
  const [current, setCurrent] = useState<ImportView | null>(null);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'start' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [finished, setFinished] = useState<ImportView | null>(null);
  // Several files dropped together go into one import, one after another.
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const importRef = useRef<string | null>(null);

  const reset = () => {
    importRef.current = null;
    chain.current = Promise.resolve();
    setCurrent(null);
    setFiles([]);
    setPreview(null);
    setProblem(null);
    setRun(null);
    setFinished(null);
  };

  const customRequest: UploadProps['customRequest'] = ({ file, onProgress, onSuccess, onError }) => {
    const blob = file as File;
    chain.current = chain.current.then(async () => {
      try {
        const view = await uploadCsv(blob, { workspaceId: ws, kind, fileName: blob.name, ...(importRef.current ? { importId: importRef.current } : {}) }, (percent) => onProgress?.({ percent }));
        importRef.current = view.id;
        setCurrent(view);
        setPreview(null);
        onSuccess?.(view);
      } catch (err) {
        message.error(describeError(t, err));
        onError?.(err as Error);
      }
    });
  };

  const chosen = () => {
    const result = mappingChoice(mapping, presets.data?.items ?? []);
    if (!result.ok) {
      setProblem(t(result.problem));
      return null;
    }
    setProblem(null);
    return result.choice;
  };

  const doPreview = async () => {
    const choice = chosen();
    if (!choice || !current) return;
    setBusy('preview');
    try {
      setPreview(await importsApi.preview(current.id, choice, encoding));
    } catch (err) {
      setPreview(null);
      message.error(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };

  const start = async (importId: string, choice: MappingChoice, enc: Encoding, skip: boolean) => {
    setBusy('start');
    try {
      const view = await importsApi.start(importId, choice, enc, skip, force);
      setFinished(null);
      // The history reloads when the run finishes: one request at a time while it runs.
      setRun((prev) => ({ importId, initial: view, version: (prev?.version ?? 0) + 1, choice, encoding: enc }));
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };

  const doStart = () => {
    const choice = chosen();
    if (choice && current) void start(current.id, choice, encoding, skipBadRows);
  };

  const retryChoice = run?.choice ?? null;
  const started = run !== null && current !== null && run.importId === current.id;
  // A rejected or failed run may be started again (e.g. skipping bad rows); others are done.
  const startable = current !== null && (!started || (finished?.id === current.id && ['rejected', 'failed'].includes(finished.status)));
  const presetNames = new Set((presets.data?.items ?? []).map((p) => p.name));
  return (
    <Flex vertical gap={16} data-testid="imports-page">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('imports.intro')}
      </Typography.Paragraph>
      <ErrorAlert error={presets.error} onRetry={presets.reload} />
      <Card size="small" title={t('imports.upload.title')} extra={current && <Button size="small" icon={<ReloadOutlined />} onClick={reset} data-testid="import-new">{t('imports.upload.new')}</Button>}>
        <Form layout="vertical">
          <Form.Item label={t('imports.upload.kind')}>
            <Radio.Group
              value={kind}
              disabled={current !== null}
              optionType="button"
              onChange={(e) => {
                setKind(e.target.value as ImportKind);
                setMapping(EMPTY_MAPPING);
              }}
              options={(['orders', 'customers'] as const).map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))}
              data-testid="import-kind"
            />
          </Form.Item>
          <Upload.Dragger
            accept=".csv,.txt,text/csv"
            multiple
            fileList={files}
            disabled={started}
            customRequest={customRequest}
            onChange={({ fileList }) => setFiles(fileList)}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('imports.upload.drop')}</p>
            <p className="ant-upload-hint">{t('imports.upload.hint')}</p>
          </Upload.Dragger>
        </Form>
      </Card>
      <Card size="small" title={t('imports.mapping.title')}>
        <Form layout="vertical">
          <MappingChooser kind={kind} presets={presets.data?.items ?? []} value={mapping} disabled={started && !startable} onChange={setMapping} />
          <Form.Item label={t('imports.encoding.label')} extra={t('imports.encoding.hint')}>
            <Select<Encoding>
              value={encoding}
              onChange={setEncoding}
              style={{ width: 200 }}
              aria-label={t('imports.encoding.label')}
              data-testid="import-encoding"
              options={ENCODINGS.map((e) => ({ value: e, label: t(`imports.encoding.${e}`) }))}
            />
          </Form.Item>
          {problem && <Alert type="warning" showIcon title={problem} style={{ marginBottom: 16 }} />}
          <Button onClick={doPreview} loading={busy === 'preview'} disabled={!current} data-testid="import-preview-run">
            {t('imports.preview.run')}
          </Button>
        </Form>
        {preview && (
          <div style={{ marginTop: 16 }}>
            <PreviewView preview={preview} kind={kind} />
          </div>
        )}
      </Card>
      <Card size="small" title={t('imports.start.title')}>
        <Flex vertical gap={8} align="flex-start">
          <Checkbox checked={skipBadRows} onChange={(e) => setSkipBadRows(e.target.checked)} data-testid="import-skip-bad-rows">
            {t('imports.start.skipBadRows')}
          </Checkbox>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('imports.start.skipHint')}
          </Typography.Text>
          <Checkbox checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="import-force">
            {t('imports.start.force')}
          </Checkbox>
          <Button type="primary" onClick={doStart} loading={busy === 'start'} disabled={!startable} data-testid="import-start">
            {t('imports.start.button')}
          </Button>
        </Flex>
      </Card>
      {run && (
        <ImportRun
          key={run.importId}
          importId={run.importId}
          initial={run.initial}
          version={run.version}
          onFinished={(v) => {
            setFinished(v);
            history.reload();
          }}
          onRetrySkipping={retryChoice ? () => void start(run.importId, retryChoice, run.encoding, true) : undefined}
        />
      )}
      <ImportHistory history={history} onOpen={(v) => setRun({ importId: v.id, initial: v, version: 0, choice: v.mappingName && presetNames.has(v.mappingName) ? { mapping: v.mappingName } : null, encoding: v.encoding as Encoding })} />
    </Flex>
  );
}
