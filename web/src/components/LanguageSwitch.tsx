import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { LOCALES, isLocale, type Locale } from '../i18n/index.ts';

/** The language switch; each label is written in its own language. */
export function LanguageSwitch({ value, onChange }: { value: Locale; onChange(locale: Locale): void }) {
  const { t } = useTranslation();
  return (
    <Segmented
      data-testid="language-switch"
      aria-label={t('language.label')}
      size="small"
      value={value}
      options={LOCALES.map((locale) => ({ value: locale, label: <span data-testid={`language-${locale}`}>{t(`language.${locale}`)}</span> }))}
      onChange={(next) => {
        if (isLocale(next)) onChange(next);
      }}
    />
  );
}
