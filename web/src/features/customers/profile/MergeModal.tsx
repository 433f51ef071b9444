import { useRef, useState } from 'react';
import { Alert, App, Button, Descriptions, Modal, Result, Select, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../app/api/errors.ts';
import { useSession } from '../../../app/auth/useAuth.ts';
import { customersApi } from '../api.ts';
import { channelLabel, customerName, formatDate, formatFen, looksLikePhone } from '../format.ts';
import type { CustomerProfile, CustomerSummary, MergeResult } from '../types.ts';

interface Props {
  open: boolean;
  survivor: CustomerProfile;
  onClose(): void;
  /** Called after a merge or its undo, so the profile and timeline reload. */
  onChanged(): void;
}

/**
 * Manual merge: find another customer by name or phone, confirm, and merge them into this one
 * (this customer survives). The result offers an immediate undo.
 */
export function MergeModal({ open, survivor, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { timeZone } = useSession();
  const [options, setOptions] = useState<CustomerSummary[]>([]);
  const [searching, setSearching] = useState(false);
  const [picked, setPicked] = useState<CustomerSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<MergeResult | null>(null);
  const [undone, setUndone] = useState(false);
  const seq = useRef(0);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Typing searches after a pause; only the latest search may fill the options.
  const search = (text: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void runSearch(text), 250);
  };
  const runSearch = async (text: string) => {
    const input = text.trim().slice(0, 100);
    const mine = ++seq.current;
    if (!input) return setOptions([]);
    setSearching(true);
    try {
      const page = await customersApi.list(looksLikePhone(input) ? { phone: input } : { q: input }, null, 20);
      if (mine === seq.current) setOptions(page.items.filter((c) => c.id !== survivor.id));
    } catch {
      if (mine === seq.current) setOptions([]);
    } finally {
      if (mine === seq.current) setSearching(false);
    }
  };

  const reset = () => {
    setOptions([]);
    setPicked(null);
    setResult(null);
    setUndone(false);
  };
  const close = () => {
    reset();
    onClose();
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
      onChanged();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const merge = () => run(async () => setResult(await customersApi.merge(survivor.id, picked!.id)));
  const undo = () =>
    run(async () => {
      await customersApi.undoMerge(result!.mergeId);
      setUndone(true);
      message.success(t('customers.merge.undoneOk'));
    });

  const footer = result
    ? [
        !undone && (
          <Button key="undo" onClick={undo} loading={busy} data-testid="merge-result-undo">
            {t('customers.merge.undo')}
          </Button>
        ),
        <Button key="done" type="primary" onClick={close} data-testid="merge-done">
          {t('common.close')}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button key="merge" type="primary" danger disabled={!picked} loading={busy} onClick={merge} data-testid="merge-confirm">
          {t('customers.merge.confirm')}
        </Button>,
      ];

  return (
    <Modal open={open} title={t('customers.merge.title')} onCancel={close} footer={footer} destroyOnHidden width={620}>
      <div data-testid="merge-modal">
        {result ? (
          <Result
            status={undone ? 'info' : 'success'}
            title={undone ? t('customers.merge.undoneOk') : t('customers.merge.done')}
            subTitle={t('customers.merge.doneDetail', { from: `#${result.mergedId}`, to: `#${result.survivorId}` })}
            data-testid="merge-result"
          />
        ) : (
          <>
            <Typography.Paragraph type="secondary">{t('customers.merge.intro', { name: customerName(survivor), id: `#${survivor.id}` })}</Typography.Paragraph>
            <Select<number>
              showSearch={{ filterOption: false, onSearch: search }}
              value={picked?.id}
              placeholder={t('customers.merge.searchPlaceholder')}
              notFoundContent={searching ? <Spin size="small" /> : t('customers.merge.noMatch')}
              onChange={(id) => setPicked(options.find((c) => c.id === id) ?? null)}
              style={{ width: '100%' }}
              aria-label={t('customers.merge.search')}
              data-testid="merge-search"
              options={options.map((c) => ({
                value: c.id,
                label: `${customerName(c)}${c.mobile ? ` · ${c.mobile}` : ''} · #${c.id}`,
              }))}
            />
            {picked && (
              <>
                <Descriptions
                  size="small"
                  bordered
                  column={1}
                  style={{ marginTop: 16 }}
                  data-testid="merge-picked"
                  items={[
                    { key: 'name', label: t('customers.columns.name'), children: `${customerName(picked)} · #${picked.id}` },
                    { key: 'mobile', label: t('customers.columns.mobile'), children: picked.mobile ?? '—' },
                    { key: 'channel', label: t('customers.columns.channel'), children: channelLabel(t, picked.sourceChannel) || '—' },
                    { key: 'joined', label: t('customers.columns.joined'), children: formatDate(picked.joinedAt, timeZone) || '—' },
                    { key: 'paid', label: t('customers.columns.paidAmount'), children: `${formatFen(picked.paidAmountFen)} · ${t('customers.merge.orders', { count: picked.paidOrderCount })}` },
                  ]}
                />
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginTop: 16 }}
                  title={t('customers.merge.warning', { from: `${customerName(picked)} #${picked.id}`, to: `${customerName(survivor)} #${survivor.id}` })}
                />
              </>
            )}
          </>
        )}
      </div>
    </Modal>
  );
}
