/**
 * Strings of the journeys area: list, flow editor, stats, playbooks (top-level key `journeys`).
 * The English object must have exactly the same keys.
 */
export const journeysZh = {
  sections: {
    list: '旅程',
    playbooks: '预置玩法',
  },
};

export const journeysEn: typeof journeysZh = {
  sections: {
    list: 'Journeys',
    playbooks: 'Playbooks',
  },
};
