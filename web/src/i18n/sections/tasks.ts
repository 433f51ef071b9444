/**
 * Strings of the operator task inbox (top-level key `tasks`).
 * The English object must have exactly the same keys.
 */
export const tasksZh = {
  sections: {
    inbox: '任务收件箱',
  },
};

export const tasksEn: typeof tasksZh = {
  sections: {
    inbox: 'Task inbox',
  },
};
