import { Alert, Button, Flex, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { CopyButton } from './CopyButton.tsx';

interface Props {
  /** The secret to show; the modal is open while it is set. */
  secret: string | null;
  title: string;
  hint: string;
  testId: string;
  onClose(): void;
}

/** Shows a secret (a new API key, a generated password) exactly once, with a copy button. */
export function OneTimeSecretModal({ secret, title, hint, testId, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      open={secret !== null}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid={`${testId}-done`}>
          {t('members.savedIt')}
        </Button>
      }
    >
      <div data-testid={testId}>
        <Alert type="warning" showIcon title={hint} style={{ marginBottom: 16 }} />
        <Flex gap={8}>
          <Input readOnly value={secret ?? ''} data-testid={`${testId}-value`} style={{ fontFamily: 'monospace' }} />
          <CopyButton text={secret ?? ''} testId={`${testId}-copy`} />
        </Flex>
      </div>
    </Modal>
  );
}
