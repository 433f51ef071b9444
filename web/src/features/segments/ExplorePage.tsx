import { Button, Card, Collapse, Flex, Result, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { usePaged } from '../customers/usePaged.ts';
import { segmentsApi } from './api.ts';
import { CustomerTable } from './CustomerTable.tsx';
import { localDay } from './days.ts';
import { RuleEditor } from './rule/RuleEditor.tsx';
import { asRootGroup, decodeRule } from './rule/tree.ts';
import type { Rule } from './rule/types.ts';
import { useRuleLookups } from './rule/useRuleLookups.ts';
import type { CustomerRow } from './types.ts';

const PAGE_SIZE = 50;

function Explore({ rule, encoded }: { rule: Rule; encoded: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { workspace, timeZone, can } = useSession();
  const lookups = useRuleLookups();
  const key = `${workspace?.id ?? ''}:${encoded}`;
  const count = useRemote(`explore-count:${key}`, (signal) => segmentsApi.preview(rule, 0, signal));
  const paged = usePaged<CustomerRow, number>(`explore:${key}`, (cursor, signal) => segmentsApi.previewCustomers(rule, cursor, PAGE_SIZE, signal));
  return (
    <Card
      data-testid="explore"
      title={
        <Flex gap={8} align="baseline">
          <span>{t('segmentBuilder.explore.title')}</span>
          <Typography.Text type="secondary" data-testid="explore-count">
            {count.data ? t('segmentBuilder.explore.count', { n: count.data.count.toLocaleString() }) : ''}
          </Typography.Text>
        </Flex>
      }
      extra={
        can('segments.write') && (
          <Button icon={<SaveOutlined />} onClick={() => navigate(`/segments/new?rule=${encoded}`)} data-testid="explore-save">
            {t('segmentBuilder.explore.saveAsSegment')}
          </Button>
        )
      }
    >
      <Collapse
        size="small"
        style={{ marginBottom: 16 }}
        items={[{ key: 'rule', label: t('segmentBuilder.explore.rule'), children: <RuleEditor rule={asRootGroup(rule)} lookups={lookups} today={localDay(timeZone)} disabled /> }]}
      />
      <ErrorAlert error={count.error ?? paged.error} onRetry={() => (count.reload(), paged.reload())} />
      <CustomerTable<CustomerRow> paged={paged} testId="explore-customers" />
    </Card>
  );
}

/** `/segments/explore?rule=<base64url(JSON)>`: the customers a rule matches now, with their count. */
export function ExplorePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const encoded = params.get('rule') ?? '';
  const rule = decodeRule(encoded);
  if (!rule) return <Result status="warning" title={t('segmentBuilder.explore.badLink')} data-testid="explore-bad-link" />;
  return <Explore key={encoded} rule={rule} encoded={encoded} />;
}
