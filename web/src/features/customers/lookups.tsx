/**
 * Reference data every customer page needs (identity types, attribute definitions, members
 * as owners), loaded once per workspace and shared through context.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../app/api/types.ts';
import { useSession } from '../../app/auth/useAuth.ts';
import { useRemote } from '../../app/useRemote.ts';
import { customersApi } from './api.ts';
import type { AttributeDefinition, IdentityType } from './types.ts';

export interface Lookups {
  identityTypes: IdentityType[];
  attributes: AttributeDefinition[];
  members: Member[];
  identityLabel(type: string): string;
  attributeLabel(key: string): string;
  ownerLabel(userId: string | null | undefined): string;
}

const LookupsContext = createContext<Lookups | null>(null);

export function LookupsProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const { workspace, can } = useSession();
  const ws = workspace?.id ?? '';
  const types = useRemote(`identity-types:${ws}`, (signal) => customersApi.identityTypes(signal));
  const attributes = useRemote(`attribute-definitions:${ws}`, (signal) => customersApi.attributeDefinitions(signal));
  const members = useRemote(can('members.read') ? `members:${ws}` : null, (signal) => customersApi.members(signal));
  const english = i18n.language === 'en';

  const value = useMemo<Lookups>(() => {
    const typeList = types.data?.items ?? [];
    const attributeList = attributes.data?.items ?? [];
    const memberList = members.data?.items ?? [];
    const typeByKey = new Map(typeList.map((x) => [x.key, x]));
    const attributeByKey = new Map(attributeList.map((x) => [x.key, x]));
    const memberById = new Map(memberList.map((m) => [m.userId, m]));
    return {
      identityTypes: typeList,
      attributes: attributeList,
      members: memberList,
      identityLabel: (type) => {
        const found = typeByKey.get(type);
        return found ? (english ? found.labelEn : found.labelZh) : type;
      },
      attributeLabel: (key) => {
        const found = attributeByKey.get(key);
        return found ? (english ? found.labelEn : found.labelZh) : key;
      },
      ownerLabel: (userId) => {
        if (!userId) return '';
        const m = memberById.get(userId);
        return m ? m.name || m.email : userId.slice(0, 8);
      },
    };
  }, [types.data, attributes.data, members.data, english]);

  return <LookupsContext value={value}>{children}</LookupsContext>;
}

export function useLookups(): Lookups {
  const value = useContext(LookupsContext);
  if (!value) throw new Error('useLookups needs <LookupsProvider>');
  return value;
}
