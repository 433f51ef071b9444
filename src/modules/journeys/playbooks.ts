/**
 * Built-in playbooks (SPEC C5): editable templates a workspace turns into a journey with one
 * action. Lifecycle playbooks address customers on WeCom 1-on-1 (`wecom`, delivered by the
 * outbox driver until the WeCom connector is set up); group SOPs post to groups on schedules
 * (channel `group`, recorded by the outbox driver until the WeCom connector delivers them).
 * Messages use template variables: `{nickname|亲}` falls back when the customer has no
 * nickname; `{coupon}` is a placeholder the operator fills in the step's variables. Pure data.
 */
import type { JourneyDefinitionInput } from './journeys.schemas.ts';

export interface Playbook {
  key: string;
  category: 'lifecycle' | 'group_sop';
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  definition: JourneyDefinitionInput;
}

const paid = { type: 'order_stat' as const, metric: 'paid_order_count' as const, op: 'gte' as const, value: 1 };
const exitOnPurchase = [{ type: 'event' as const, eventType: 'order.paid' }, { type: 'opted_out' as const }];
const goal = (withinDays: number) => ({ eventType: 'order.paid', withinDays });
const wecom = (id: string, text: string, next: string | null, name?: string) => ({ id, type: 'send' as const, channel: 'wecom', content: { text }, next, ...(name ? { name } : {}) });
const groupPost = (id: string, text: string, next: string | null, name?: string) => ({ id, type: 'send' as const, channel: 'group', content: { text }, next, ...(name ? { name } : {}) });
const groups = (cron: string) => ({ type: 'schedule' as const, cron, audience: { type: 'groups' as const, groupIds: [] } });

export const PLAYBOOKS: readonly Playbook[] = [
  {
    key: 'welcome_new_friends',
    category: 'lifecycle',
    name: { zh: '新好友欢迎 + 7 天两次触达', en: 'Welcome new friends + two touches in 7 days' },
    description: {
      zh: '沉默期：加好友即发欢迎语；第 2 天晚上推送浏览商品降价提醒；第 5 天未下单再发一次会员福利。下单即退出。',
      en: 'Silent stage: a welcome message on adding; on day 2 an evening price-drop note on viewed products; on day 5, if no order yet, a member benefit. Leaves on purchase.',
    },
    definition: {
      trigger: { type: 'event', eventType: 'wecom.friend_added' },
      steps: [
        wecom('welcome', '{nickname|亲}，欢迎添加！我是您的专属顾问，有任何问题随时找我～新人专享礼已放进您的账户。', 'wait_1d', '欢迎语'),
        { id: 'wait_1d', type: 'wait', duration: { days: 1 }, next: 'evening', name: '等待 1 天' },
        { id: 'evening', type: 'wait_until', time: '19:30', next: 'touch_1', name: '等到 19:30' },
        wecom('touch_1', '{nickname|亲}，您之前看过的{product|心仪好物}降价啦，今晚下单还有新人价～', 'wait_3d', '触达 1：降价提醒'),
        { id: 'wait_3d', type: 'wait', duration: { days: 3 }, next: 'bought', name: '等待 3 天' },
        { id: 'bought', type: 'branch', condition: paid, then: null, else: 'touch_2', name: '已下单？' },
        wecom('touch_2', '{nickname|亲}，会员福利本周截止：满 199 减 30，戳我领取～', null, '触达 2：会员福利'),
      ],
      reentry: { mode: 'never' },
      exits: exitOnPurchase,
      goal: goal(7),
    },
  },
  {
    key: 'growth_recommendation',
    category: 'lifecycle',
    name: { zh: '成长期个性化推荐', en: 'Growth stage: personalised recommendation' },
    description: {
      zh: '每周五晚对成长期客户推送个性化推荐，A/B 测试两种文案，7 天内下单计为转化。',
      en: 'Every Friday evening, a personalised recommendation to growth-stage customers, A/B testing two copies; an order within 7 days converts.',
    },
    definition: {
      trigger: { type: 'schedule', cron: '0 19 * * 5', audience: { type: 'condition', condition: { type: 'lifecycle_stage', model: 'days', op: 'eq', value: 'growth' } } },
      steps: [
        { id: 'ab', type: 'split', variants: [{ key: 'A', weight: 50, next: 'copy_a' }, { key: 'B', weight: 50, next: 'copy_b' }], name: 'A/B 文案' },
        wecom('copy_a', '{nickname|亲}，根据您的喜好，为您挑了{product|本周新品}，点开看看～', null, '文案 A：推荐'),
        wecom('copy_b', '{nickname|亲}，和您口味相近的老客这周都在回购{product|本周新品}，给您留了一份优惠～', null, '文案 B：社会认同'),
      ],
      reentry: { mode: 'after_days', days: 7 },
      exits: [{ type: 'opted_out' }],
      goal: goal(7),
    },
  },
  {
    key: 'koc_invitation',
    category: 'lifecycle',
    name: { zh: '活跃客户 KOC 邀请与共创', en: 'KOC invitation and co-creation for active customers' },
    description: {
      zh: '每月邀请活跃期且下单 3 次以上的客户参与新品共创；3 天后由专属顾问 1 对 1 跟进。',
      en: 'Monthly, invites active customers with 3+ orders to co-create new products; after 3 days their advisor follows up 1-on-1.',
    },
    definition: {
      trigger: {
        type: 'schedule',
        cron: '0 20 1 * *',
        audience: { type: 'condition', condition: { type: 'and', children: [{ type: 'lifecycle_stage', model: 'days', op: 'eq', value: 'active' }, { ...paid, value: 3 }] } },
      },
      steps: [
        wecom('invite', '{nickname|亲}，感谢一直以来的支持！诚邀您成为品牌体验官，参与新品共创，抢先试用还有专属礼遇～', 'wait_3d', 'KOC 邀请'),
        { id: 'wait_3d', type: 'wait', duration: { days: 3 }, next: 'follow_up', name: '等待 3 天' },
        {
          id: 'follow_up',
          type: 'task',
          kind: 'private_chat',
          title: 'KOC 共创邀请 1 对 1 跟进',
          script: '您好～上次邀请您做品牌体验官，想听听您对新品的想法，方便的话我给您寄一份试用装？',
          assignee: { type: 'owner', fallbackPool: 'advisors' },
          dueInHours: 48,
          next: null,
          name: '顾问跟进',
        },
      ],
      reentry: { mode: 'after_days', days: 30 },
      exits: [{ type: 'opted_out' }],
      goal: null,
    },
  },
  {
    key: 'repurchase_reminder',
    category: 'lifecycle',
    name: { zh: '衰退期复购 / 会员提醒', en: 'Decline stage: repurchase and membership reminder' },
    description: {
      zh: '每周提醒衰退期客户会员权益与复购优惠；5 天后仍未下单，生成回访任务给专属顾问。',
      en: 'Weekly, reminds decline-stage customers of member benefits and a repurchase offer; if no order after 5 days, a call-back task for their advisor.',
    },
    definition: {
      trigger: { type: 'schedule', cron: '0 10 * * 2', audience: { type: 'condition', condition: { type: 'lifecycle_stage', model: 'days', op: 'eq', value: 'decline' } } },
      steps: [
        wecom('remind', '{nickname|亲}，您的会员积分和专属券即将到期，回购{product|常用好物}立享会员价～', 'wait_5d', '复购提醒'),
        { id: 'wait_5d', type: 'wait', duration: { days: 5 }, next: 'bought', name: '等待 5 天' },
        { id: 'bought', type: 'branch', condition: { type: 'order_stat', metric: 'orders_30d', op: 'gte', value: 1 }, then: null, else: 'call_back', name: '近 30 天下单？' },
        {
          id: 'call_back',
          type: 'task',
          kind: 'call_back',
          title: '衰退期客户回访',
          script: '您好，最近用着还好吗？这边给您申请了一张老客专享券，需要的话我帮您下单～',
          assignee: { type: 'owner', fallbackPool: 'advisors' },
          dueInHours: 24,
          next: null,
          name: '回访任务',
        },
      ],
      reentry: { mode: 'after_days', days: 30 },
      exits: exitOnPurchase,
      goal: goal(14),
    },
  },
  {
    key: 'birthday_greeting',
    category: 'lifecycle',
    name: { zh: '生日祝福 + 生日券', en: 'Birthday greeting with a coupon' },
    description: {
      zh: '生日当天 9:00 送上祝福与生日券（{coupon} 为占位变量，在步骤变量中填写券面）。2 月 29 日生日在平年 2 月 28 日发送。',
      en: 'At 09:00 on the birthday, a greeting with a birthday coupon ({coupon} is a placeholder set in the step variables). 29 February birthdays are greeted on 28 February in other years.',
    },
    definition: {
      trigger: { type: 'date', attribute: 'birthday', at: '09:00' },
      steps: [
        { id: 'greeting', type: 'send', channel: 'wecom', content: { text: '{nickname|亲}，生日快乐！🎂 送您一张{coupon}生日券，7 天内有效，愿新的一岁闪闪发光～' }, variables: { coupon: '满 199 减 50' }, next: null, name: '生日祝福' },
      ],
      reentry: { mode: 'always' },
      exits: [{ type: 'opted_out' }],
      goal: goal(7),
    },
  },
  {
    key: 'win_back',
    category: 'lifecycle',
    name: { zh: '流失风险挽回', en: 'Win-back for churn risk' },
    description: {
      zh: '对 RFM 重要挽留 / 一般挽留或沉默客户，A/B 测试优惠券与关怀两种挽回文案；7 天未回购则转人工回访。',
      en: 'For RFM retain classes or silent customers, A/B tests a coupon against a caring message; without a purchase in 7 days a person calls back.',
    },
    definition: {
      trigger: {
        type: 'schedule',
        cron: '0 20 * * 3',
        audience: {
          type: 'condition',
          condition: { type: 'or', children: [{ type: 'rfm_class', op: 'in', value: ['important_retain', 'general_retain'] }, { type: 'lifecycle_stage', model: 'stage', op: 'eq', value: 'silent' }] },
        },
      },
      steps: [
        { id: 'ab', type: 'split', variants: [{ key: 'coupon', weight: 50, next: 'coupon' }, { key: 'care', weight: 50, next: 'care' }], name: 'A/B：优惠 vs 关怀' },
        { id: 'coupon', type: 'send', channel: 'wecom', content: { text: '{nickname|亲}，好久不见！为您准备了一张{coupon}回归券，本周有效～' }, variables: { coupon: '无门槛 20 元' }, next: 'wait_7d', name: '回归券' },
        wecom('care', '{nickname|亲}，好久不见，最近还好吗？上次的{product|产品}用着怎么样，有任何问题都可以找我～', 'wait_7d', '关怀问候'),
        { id: 'wait_7d', type: 'wait', duration: { days: 7 }, next: 'call_back', name: '等待 7 天' },
        {
          id: 'call_back',
          type: 'task',
          kind: 'call_back',
          title: '流失风险客户人工回访',
          script: '您好，好久没见您回来了，想了解一下是哪里没做好？这边可以为您申请老客关怀礼～',
          assignee: { type: 'owner', fallbackPool: 'advisors' },
          dueInHours: 48,
          next: null,
          name: '人工回访',
        },
      ],
      reentry: { mode: 'after_days', days: 60 },
      exits: exitOnPurchase,
      goal: goal(14),
    },
  },
  {
    key: 'sop_morning_evening',
    category: 'group_sop',
    name: { zh: '社群 SOP：早报 / 晚报', en: 'Group SOP: morning and evening posts' },
    description: {
      zh: '每天 8:30 发早报、20:30 发晚报。添加要发送的群后启用（群发记录在发件箱中，接入企业微信连接器后由其发出）。',
      en: 'Every day a morning post at 08:30 and an evening post at 20:30. Add the groups before enabling (posts are recorded in the outbox until the WeCom connector delivers them).',
    },
    definition: {
      trigger: groups('30 8 * * *'),
      steps: [
        groupPost('morning', '早安☀️ 今日好物推荐与穿搭/护肤小贴士，回复“1”领取今日福利～', 'until_evening', '早报'),
        { id: 'until_evening', type: 'wait_until', time: '20:30', next: 'evening', name: '等到 20:30' },
        groupPost('evening', '晚安🌙 今日群内精选问答与晒单回顾，明天见～', null, '晚报'),
      ],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'sop_weekly_live',
    category: 'group_sop',
    name: { zh: '社群 SOP：每周直播预告', en: 'Group SOP: weekly live notice' },
    description: { zh: '每周三 10:00 发直播预告，19:30 开播提醒。', en: 'Every Wednesday a live notice at 10:00 and a starting reminder at 19:30.' },
    definition: {
      trigger: groups('0 10 * * 3'),
      steps: [
        groupPost('notice', '📣 本周直播预告：今晚 19:30 新品首发 + 群友专属秒杀，记得预约哦～', 'until_live', '直播预告'),
        { id: 'until_live', type: 'wait_until', time: '19:30', next: 'live', name: '等到 19:30' },
        groupPost('live', '🔴 直播开始啦！点击进入直播间，前 100 名下单送小样～', null, '开播提醒'),
      ],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'sop_daily_benefit',
    category: 'group_sop',
    name: { zh: '社群 SOP：每日福利', en: 'Group SOP: daily benefit' },
    description: { zh: '每天 12:00 发布群友专属福利。', en: 'Every day at 12:00 a members-only benefit.' },
    definition: {
      trigger: groups('0 12 * * *'),
      steps: [groupPost('benefit', '🎁 今日群友福利：{benefit|限时 9.9 元秒杀}，数量有限，先到先得～', null, '每日福利')],
      reentry: { mode: 'always' },
    },
  },
  {
    key: 'sop_biweekly_checkin',
    category: 'group_sop',
    name: { zh: '社群 SOP：双周打卡活动', en: 'Group SOP: biweekly check-in' },
    description: {
      zh: '每月 1 日和 15 日 9:00 发起 7 天打卡挑战（五段 cron 无法精确表示“每两周”，以每月两次近似）。',
      en: 'On the 1st and 15th of each month at 09:00, starts a 7-day check-in challenge (a five-field cron cannot say "every two weeks"; twice a month approximates it).',
    },
    definition: {
      trigger: groups('0 9 1,15 * *'),
      steps: [
        groupPost('kickoff', '💪 7 天打卡挑战开始！每天在群里晒出打卡图，连续 7 天送积分和好礼～', 'day_7', '打卡开始'),
        { id: 'day_7', type: 'wait', duration: { days: 7 }, next: 'wrap_up', name: '等待 7 天' },
        groupPost('wrap_up', '🏆 打卡挑战结束！恭喜坚持下来的群友，奖励已发放，下期见～', null, '打卡总结'),
      ],
      reentry: { mode: 'always' },
    },
  },
];

export function findPlaybook(key: string): Playbook | undefined {
  return PLAYBOOKS.find((p) => p.key === key);
}
