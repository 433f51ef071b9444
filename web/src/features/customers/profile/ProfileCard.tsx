import { Card, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/auth/useAuth.ts';
import { formatDateTime } from '../../../app/format.ts';
import { channelLabel } from '../format.ts';
import { useLookups } from '../lookups.tsx';
import type { AttributeDefinition, CustomerPatch, CustomerProfile } from '../types.ts';
import { EditableValue, type Editor } from './EditableValue.tsx';

interface Props {
  profile: CustomerProfile;
  canEdit: boolean;
  onPatch(body: CustomerPatch): Promise<void>;
}

type TextField = 'name' | 'nickname' | 'province' | 'city' | 'sourceLure';

/** Profile fields and custom attributes, each value editable in place (PATCH) for users who may write. */
export function ProfileCard({ profile, canEdit, onPatch }: Props) {
  const { t } = useTranslation();
  const { timeZone } = useSession();
  const { members, ownerLabel } = useLookups();
  const text = (field: TextField) => ({
    key: field,
    label: t(`customers.fields.${field}`),
    children: (
      <EditableValue
        display={profile[field]}
        raw={profile[field] ?? ''}
        editor={{ kind: 'text' }}
        canEdit={canEdit}
        label={t(`customers.fields.${field}`)}
        testId={`field-${field}`}
        onSave={(v) => onPatch({ [field]: v || null })}
      />
    ),
  });
  const readOnly = (key: string, value: string | null) => ({
    key,
    label: t(`customers.fields.${key}`),
    children: value ? <span data-testid={`field-${key}`}>{value}</span> : <Typography.Text type="secondary">—</Typography.Text>,
  });
  const genders = ['male', 'female', 'unknown'].map((g) => ({ value: g, label: t(`customers.gender.${g}`) }));

  const items = [
    text('name'),
    text('nickname'),
    {
      key: 'gender',
      label: t('customers.fields.gender'),
      children: (
        <EditableValue
          display={t(`customers.gender.${profile.gender}`, { defaultValue: profile.gender })}
          raw={profile.gender}
          editor={{ kind: 'select', options: genders }}
          canEdit={canEdit}
          label={t('customers.fields.gender')}
          testId="field-gender"
          onSave={(v) => onPatch({ gender: (v || 'unknown') as 'male' | 'female' | 'unknown' })}
        />
      ),
    },
    {
      key: 'birthday',
      label: t('customers.fields.birthday'),
      children: (
        <EditableValue
          display={profile.birthday}
          raw={profile.birthday ?? ''}
          editor={{ kind: 'date' }}
          canEdit={canEdit}
          label={t('customers.fields.birthday')}
          testId="field-birthday"
          onSave={(v) => onPatch({ birthday: v || null })}
        />
      ),
    },
    readOnly('mobile', profile.mobile),
    readOnly('email', profile.email),
    text('province'),
    text('city'),
    {
      key: 'sourceChannel',
      label: t('customers.fields.sourceChannel'),
      children: (
        <EditableValue
          display={profile.sourceChannel ? channelLabel(t, profile.sourceChannel) : null}
          raw={profile.sourceChannel ?? ''}
          editor={{ kind: 'text' }}
          canEdit={canEdit}
          label={t('customers.fields.sourceChannel')}
          testId="field-sourceChannel"
          onSave={(v) => onPatch({ sourceChannel: v || null })}
        />
      ),
    },
    text('sourceLure'),
    {
      key: 'owner',
      label: t('customers.fields.owner'),
      children: (
        <EditableValue
          display={profile.ownerUserId ? ownerLabel(profile.ownerUserId) : null}
          raw={profile.ownerUserId ?? ''}
          editor={{ kind: 'select', allowClear: true, options: members.map((m) => ({ value: m.userId, label: m.name || m.email })) }}
          canEdit={canEdit}
          label={t('customers.fields.owner')}
          testId="field-owner"
          onSave={(v) => onPatch({ ownerUserId: v || null })}
        />
      ),
    },
    readOnly('joinedAt', formatDateTime(profile.joinedAt, timeZone) || null),
    readOnly('createdAt', formatDateTime(profile.createdAt, timeZone)),
  ];

  return (
    <Card size="small" title={t('customers.profile.basics')} data-testid="profile-card">
      <Descriptions column={1} size="small" items={items} />
    </Card>
  );
}

function attributeEditor(def: AttributeDefinition, t: (key: string) => string): Editor {
  switch (def.type) {
    case 'number':
      return { kind: 'number' };
    case 'date':
      return { kind: 'date' };
    case 'boolean':
      return { kind: 'select', allowClear: true, options: ['true', 'false'].map((v) => ({ value: v, label: t(`customers.boolean.${v}`) })) };
    case 'enum':
      return { kind: 'select', allowClear: true, options: def.options.map((o) => ({ value: o, label: o })) };
    default:
      return { kind: 'text', maxLength: 500 };
  }
}

function typed(def: AttributeDefinition | undefined, raw: string): string | number | boolean | null {
  if (raw === '') return null;
  if (def?.type === 'number') return Number(raw);
  if (def?.type === 'boolean') return raw === 'true';
  return raw;
}

function shown(value: unknown, t: (key: string) => string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return t(`customers.boolean.${String(value)}`);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Custom attributes: every defined one (typed editors), plus stored values without a definition. */
export function AttributesCard({ profile, canEdit, onPatch }: Props) {
  const { t } = useTranslation();
  const { attributes, attributeLabel } = useLookups();
  const defined = new Set(attributes.map((a) => a.key));
  const extra = Object.keys(profile.attributes).filter((k) => !defined.has(k));
  const items = [
    ...attributes.map((def) => ({
      key: def.key,
      label: attributeLabel(def.key),
      children: (
        <EditableValue
          display={shown(profile.attributes[def.key], t)}
          raw={profile.attributes[def.key] === undefined || profile.attributes[def.key] === null ? '' : String(profile.attributes[def.key])}
          editor={attributeEditor(def, t)}
          canEdit={canEdit}
          label={attributeLabel(def.key)}
          testId={`attribute-${def.key}`}
          onSave={(v) => onPatch({ attributes: { [def.key]: typed(def, v) } })}
        />
      ),
    })),
    ...extra.map((k) => ({ key: k, label: k, children: <span>{shown(profile.attributes[k], t)}</span> })),
  ];
  return (
    <Card size="small" title={t('customers.profile.attributes')} data-testid="attributes-card">
      {items.length ? <Descriptions column={1} size="small" items={items} /> : <Typography.Text type="secondary">{t('customers.profile.noAttributes')}</Typography.Text>}
    </Card>
  );
}
