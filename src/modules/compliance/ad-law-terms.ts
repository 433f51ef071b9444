/**
 * Advertising-law word lists, written for Siyu from the PRC Advertising Law (广告法, 2021
 * revision) and common enforcement practice. Two tiers:
 *
 * - block: terms the statute itself forbids. Art. 9(3) bans "国家级、最高级、最佳等用语"
 *   (absolute superlatives); Art. 9(2) bans using state organs or their staff; Art. 16 and
 *   Art. 17 ban efficacy guarantees, cure and effective rates for medical products and any
 *   claim of treating disease for other goods; Art. 28 covers false claims such as "万能".
 * - warn: terms market regulators commonly cite as 极限词 in practice, which are lawful in
 *   some contexts ("第一次购买", "独家专访") and so need a human look, not a hard stop.
 *
 * ALLOWED phrases neutralise a warn match they fully contain ("第一次" is not a ranking).
 * Extend the lists here (see "Advertising law" in docs/messaging.md) or per workspace in the messaging settings.
 */

/** Statutory terms: a message containing one is not sent. */
export const BLOCK_TERMS: readonly string[] = [
  // Art. 9(3): 国家级 / 最高级 / 最佳 and terms of the same kind.
  '国家级', '世界级', '全球级', '宇宙级', '国际级', '最高级', '最佳', '最好', '最优', '最优秀', '最强',
  '最高端', '最顶级', '最先进', '最权威', '最低价', '最便宜', '顶级', '极品', '独一无二', '绝无仅有',
  '史无前例', '空前绝后', '前无古人', '全国第一', '世界第一', '全球第一', '全网第一', '中国第一',
  '天下第一', '行业第一', '销量第一', '排名第一', '第一品牌', 'NO.1', 'TOP1', '全网最低', '史上最低',
  // Art. 9(2): state organs, their staff and their names.
  '国家机关推荐', '国家领导人推荐', '领导人推荐', '国家部委推荐',
  // Art. 16 / Art. 17: efficacy guarantees, cure and effective rates, disease treatment.
  '100%有效', '百分之百有效', '根治', '药到病除', '保证治愈', '包治百病', '永不复发', '无副作用',
  '治愈率', '有效率', '一次见效', '立即见效',
  // Art. 28: plainly false claims.
  '万能', '包治',
];

/** Practice terms: recorded on the message as a warning; the message is sent. */
export const WARN_TERMS: readonly string[] = [
  '第一', '首个', '首家', '首款', '首发', '首选', '独家', '唯一', '绝对', '最新', '最大', '最先',
  '最热', '最高', '最低', '最受欢迎', '最流行', '最具', '极致', '完美', '至尊', '巅峰', '王牌',
  '冠军', '领袖品牌', '领导品牌', '领先', '权威', '特供', '专供', '驰名商标', '免检', '秒杀全网',
  '万人疯抢', '抢疯了', '仅此一次', '最后一波', '永久', '纯天然', '零风险', '无效退款', '疗效',
  '治疗', '抗癌', '防癌', '延年益寿', '国家认证', '官方推荐', '史上', '全网', '点击领奖', '恭喜获奖',
];

/** Ordinary phrases that contain a warn term without being a claim. */
export const ALLOWED_PHRASES: readonly string[] = [
  '第一次', '第一时间', '第一步', '第一天', '第一期', '第一批', '第一单', '第一件', '第一口', '第一周',
  '第一个月', '最新款', '最新消息', '最后一天', '最后一次', '唯一码', '永久免费退换',
];
