import { Tag, Typography } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdLawFinding } from './types.ts';

/** A text with its advertising-law findings marked (red: blocked, orange: warning). */
export function Highlighted({ text, findings, testId }: { text: string; findings: readonly AdLawFinding[]; testId?: string }) {
  const sorted = [...findings].filter((f) => f.start >= 0 && f.end <= text.length && f.end > f.start).sort((a, b) => a.start - b.start);
  const parts: { text: string; finding?: AdLawFinding }[] = [];
  let at = 0;
  for (const f of sorted) {
    if (f.start < at) continue;
    if (f.start > at) parts.push({ text: text.slice(at, f.start) });
    parts.push({ text: text.slice(f.start, f.end), finding: f });
    at = f.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return (
    <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={testId}>
      {parts.map((p, i) =>
        p.finding ? (
          <mark
            key={i}
            data-testid={`adlaw-mark-${p.finding.tier}`}
            style={{ background: p.finding.tier === 'block' ? '#ffccc7' : '#ffe7ba', padding: '0 2px', borderRadius: 2 }}
          >
            {p.text}
          </mark>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </div>
  );
}

/** The findings as a list of terms with their tier. */
export function FindingTags({ findings, testId }: { findings: readonly AdLawFinding[]; testId?: string }) {
  const { t } = useTranslation();
  if (!findings.length) return <Typography.Text type="secondary">{t('messaging.adLaw.none')}</Typography.Text>;
  const unique = [...new Map(findings.map((f) => [`${f.tier}:${f.term}`, f])).values()];
  return (
    <span data-testid={testId}>
      {unique.map((f) => (
        <Tag key={`${f.tier}:${f.term}`} color={f.tier === 'block' ? 'red' : 'orange'} bordered={false}>
          {t('messaging.adLaw.finding', { tier: t(`messaging.adLaw.${f.tier}`), term: f.term })}
        </Tag>
      ))}
    </span>
  );
}
