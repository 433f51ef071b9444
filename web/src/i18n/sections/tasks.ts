/**
 * Strings of the operator task inbox (top-level key `tasks`).
 * The English object must have exactly the same keys.
 */
export const tasksZh = {
  sections: {
    inbox: '任务收件箱',
  },
  boxes: {
    mine: '我的任务',
    pool: '任务池',
  },
  filters: {
    pool: '全部任务池',
    due: '截止时间',
  },
  statusFilter: {
    open: '待处理',
    done: '已完成',
    skipped: '已跳过',
    all: '全部',
  },
  statuses: {
    open: '待处理',
    done: '已完成',
    skipped: '已跳过',
  },
  due: {
    overdue: '已逾期',
    today: '今天到期',
    next_7_days: '7 天内到期',
  },
  counts: {
    open: '待处理',
    overdue: '已逾期',
    dueToday: '今天到期',
    completedToday: '今天已完成',
  },
  kinds: {
    private_chat: '一对一私聊',
    call_back: '电话回访',
    follow_up: '跟进',
    other: '其他',
  },
  outcomes: {
    reached: '已联系上',
    no_answer: '未回复',
    converted: '已下单',
    not_interested: '不感兴趣',
    other: '其他',
  },
  sources: {
    journey: '自动化旅程',
    campaign: '营销活动',
    manual: '手动创建',
  },
  actions: {
    take: '领取',
    done: '完成',
    skip: '跳过',
  },
  complete: {
    doneTitle: '完成任务',
    skipTitle: '跳过任务',
    outcome: '结果',
    outcomeRequired: '请选择结果',
    note: '备注（可选）',
  },
  dueAt: '截止 {{at}}',
  overdue: '已逾期',
  assignee: '负责人：{{name}}',
  pool: '任务池：{{pool}}',
  source: '来源：{{source}}',
  script: '话术建议',
  closedAt: '处理于 {{at}}',
  noteShown: '备注：{{note}}',
  emptyMine: '没有分配给你的任务，可以到任务池领取',
  emptyPool: '任务池里没有待领取的任务',
  taken: '已领取，任务已移到“我的任务”',
  completed: '任务已完成',
  skipped: '任务已跳过',
};

export const tasksEn: typeof tasksZh = {
  sections: {
    inbox: 'Task inbox',
  },
  boxes: {
    mine: 'My tasks',
    pool: 'Pool',
  },
  filters: {
    pool: 'All pools',
    due: 'Due',
  },
  statusFilter: {
    open: 'Open',
    done: 'Done',
    skipped: 'Skipped',
    all: 'All',
  },
  statuses: {
    open: 'Open',
    done: 'Done',
    skipped: 'Skipped',
  },
  due: {
    overdue: 'Overdue',
    today: 'Due today',
    next_7_days: 'Due in 7 days',
  },
  counts: {
    open: 'Open',
    overdue: 'Overdue',
    dueToday: 'Due today',
    completedToday: 'Done today',
  },
  kinds: {
    private_chat: 'Private chat',
    call_back: 'Call back',
    follow_up: 'Follow up',
    other: 'Other',
  },
  outcomes: {
    reached: 'Reached',
    no_answer: 'No answer',
    converted: 'Bought',
    not_interested: 'Not interested',
    other: 'Other',
  },
  sources: {
    journey: 'Journey',
    campaign: 'Campaign',
    manual: 'Created by hand',
  },
  actions: {
    take: 'Take',
    done: 'Done',
    skip: 'Skip',
  },
  complete: {
    doneTitle: 'Complete the task',
    skipTitle: 'Skip the task',
    outcome: 'Outcome',
    outcomeRequired: 'Choose an outcome',
    note: 'Note (optional)',
  },
  dueAt: 'Due {{at}}',
  overdue: 'Overdue',
  assignee: 'Assignee: {{name}}',
  pool: 'Pool: {{pool}}',
  source: 'Source: {{source}}',
  script: 'Suggested script',
  closedAt: 'Closed {{at}}',
  noteShown: 'Note: {{note}}',
  emptyMine: 'No tasks for you; take one from the pool',
  emptyPool: 'No open tasks in the pool',
  taken: 'Taken: the task is now in My tasks',
  completed: 'Task done',
  skipped: 'Task skipped',
};
