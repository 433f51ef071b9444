/**
 * Strings of the messaging area: outbox, dead letters, templates, settings, why-not-sent (top-level key `messaging`).
 * The English object must have exactly the same keys.
 */
export const messagingZh = {
  sections: {
    outbox: '发送记录',
    deadLetters: '失败重投',
    templates: '消息模板',
    settings: '发送设置',
  },
};

export const messagingEn: typeof messagingZh = {
  sections: {
    outbox: 'Outbox',
    deadLetters: 'Dead letters',
    templates: 'Templates',
    settings: 'Settings',
  },
};
