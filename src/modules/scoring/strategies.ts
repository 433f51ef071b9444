/**
 * Suggested strategies per RFM class and lifecycle stage, in both console languages. The
 * lifecycle texts follow the playbooks of SPEC C4/C5 (welcome and two touches in the silent
 * stage, recommendations in growth, KOC co-creation when active, membership and repurchase
 * reminders in decline); the RFM texts are the classic actions for each class.
 */
import type { BusinessStage, DaysStage, RfmClass, StageStage } from './scoring.schemas.ts';

export interface StrategyText {
  zh: string;
  en: string;
}

export const RFM_STRATEGIES: Record<RfmClass, StrategyText> = {
  important_value: {
    zh: '最优质客户：专属客服、新品优先体验与会员专属权益，保持忠诚，邀请成为 KOC。',
    en: 'Best customers: a dedicated advisor, early access to new products and member-only benefits; keep them loyal and invite them to become KOCs.',
  },
  important_develop: {
    zh: '近期消费且金额高但频次低：复购提醒、搭配推荐与储值/会员计划，提升购买频次。',
    en: 'Recent, high-spending but infrequent: repurchase reminders, bundle recommendations and stored-value or membership plans to raise frequency.',
  },
  important_keep: {
    zh: '高频高额但近期未购：一对一私聊关怀与专属福利，主动唤回，防止流失。',
    en: 'Frequent, high-spending but not buying lately: one-on-one care and an exclusive offer to bring them back before they drift away.',
  },
  important_retain: {
    zh: '曾经高额消费但久未购买且频次低：重点挽回，了解流失原因，大额券或新品召回。',
    en: 'Spent a lot once, long ago and rarely: win them back — ask why they left, send a high-value coupon or a new-product recall.',
  },
  general_value: {
    zh: '近期高频但金额低：满减、组合套餐与升级款推荐，提升客单价。',
    en: 'Recent and frequent but low spend: threshold discounts, bundles and upgrade recommendations to raise the order value.',
  },
  general_develop: {
    zh: '新客或近期低频低额：新人礼包、进群引导与社群内容培育，促成复购。',
    en: 'New or recent, infrequent and low spend: welcome gift, group invitation and community content to earn the second order.',
  },
  general_keep: {
    zh: '频次较高但近期未购且金额低：签到积分与社群活动低成本促活。',
    en: 'Fairly frequent, not buying lately, low spend: low-cost reactivation with check-in points and community activities.',
  },
  general_retain: {
    zh: '低价值且有流失风险：自动化低成本触达，控制打扰频率，必要时放弃投入。',
    en: 'Low value and at risk: low-cost automated touches with a strict frequency cap; stop investing if they do not respond.',
  },
};

export const DAYS_STRATEGIES: Record<DaysStage, StrategyText> = {
  silent: {
    zh: '沉默期：企业微信自动欢迎语，7 天内 2 次互动提醒（如“您关注的商品已降价”）。',
    en: 'Silent: an automatic WeCom welcome message and two touches within 7 days (e.g. "the product you viewed dropped in price").',
  },
  growth: { zh: '成长期：个性化产品推荐，邀请参与社群话题讨论。', en: 'Growth: personalised product recommendations and community topic discussions.' },
  active: { zh: '活跃期：培养 KOC，设计用户共创活动（如“晒单有奖”）。', en: 'Active: grow KOCs and run co-creation activities (e.g. rewarded order photos).' },
  decline: { zh: '衰退期：会员升级计划或复购提醒，延长生命周期。', en: 'Decline: a membership upgrade or repurchase reminders to extend the lifecycle.' },
};

export const STAGE_STRATEGIES: Record<StageStage, StrategyText> = {
  reached: { zh: '触达：欢迎语与新手福利，快速建立认知。', en: 'Reached: a welcome message and a newcomer benefit to build awareness quickly.' },
  converted: { zh: '转化：限时优惠与信任背书，强化再次购买意愿。', en: 'Converted: limited-time offers and social proof to strengthen the intent to buy again.' },
  active: { zh: '活跃：社群活动与内容激励，保持参与度。', en: 'Active: community activities and content rewards to keep them engaged.' },
  silent: { zh: '沉默：主动触达唤醒，推送其关注商品的优惠。', en: 'Silent: reach out to wake them up with offers on what they looked at.' },
  churned: { zh: '流失：怀旧内容与回归礼唤醒记忆，控制打扰频率。', en: 'Churned: nostalgic content and a come-back gift, with a strict frequency cap.' },
};

export const BUSINESS_STRATEGIES: Record<BusinessStage, StrategyText> = {
  new: { zh: '新进用户：新人礼包、进群引导，促成首单。', en: 'New: a welcome gift and group invitation to earn the first order.' },
  first_purchase: { zh: '首购用户：使用指导与复购提醒，搭配推荐。', en: 'First purchase: usage tips, repurchase reminders and complementary products.' },
  repeat: { zh: '复购用户：积分制度与会员权益，提升忠诚度。', en: 'Repeat: points and member benefits to build loyalty.' },
  vip: { zh: 'VIP 用户：专属客服、新品优先体验与核心群专属权益。', en: 'VIP: a dedicated advisor, early access to new products and core-group privileges.' },
};
