/**
 * The demo brand: a fictional skincare/beauty brand (澜序 LANXU) with its products, the
 * acquisition channels and lures of SPEC C7 with their shares, its sales platforms and stores,
 * and its advisors. Plain data; the generator draws from it.
 */

export const BRAND = { nameZh: '澜序', nameEn: 'LANXU' } as const;

export type Category = '洁面' | '水乳' | '精华' | '面霜' | '面膜' | '防晒' | '彩妆' | '小样/试用装' | '礼盒';

export interface Product {
  sku: string;
  productId: string;
  name: string;
  category: Category;
  /** List price in fen. */
  priceFen: number;
}

const p = (sku: string, name: string, category: Category, yuan: number): Product => ({
  sku,
  productId: `P${sku.slice(2, 6)}`,
  name,
  category,
  priceFen: Math.round(yuan * 100),
});

export const PRODUCTS: readonly Product[] = [
  p('LX1001-120', '氨基酸温和洁面乳 120g', '洁面', 89),
  p('LX1002-150', '净澈洁面慕斯 150ml', '洁面', 109),
  p('LX1101-150', '玻尿酸保湿爽肤水 150ml', '水乳', 149),
  p('LX1102-100', '神经酰胺修护乳 100ml', '水乳', 169),
  p('LX1201-30', '玻尿酸补水精华 30ml', '精华', 259),
  p('LX1202-30', '烟酰胺焕亮精华 30ml', '精华', 299),
  p('LX1203-30', '视黄醇抗初老精华 30ml', '精华', 369),
  p('LX1204-50', '积雪草修护精华 50ml', '精华', 459),
  p('LX1301-50', '神经酰胺修护面霜 50g', '面霜', 329),
  p('LX1302-50', '水光保湿面霜 50g', '面霜', 199),
  p('LX1303-50', '多肽紧致面霜 50g', '面霜', 499),
  p('LX1401-5', '补水保湿面膜 5片', '面膜', 99),
  p('LX1402-10', '积雪草修护面膜 10片', '面膜', 169),
  p('LX1403-100', '清洁泥膜 100g', '面膜', 139),
  p('LX1501-50', '轻透防晒乳 SPF50+ 50ml', '防晒', 139),
  p('LX1502-150', '户外防晒喷雾 150ml', '防晒', 119),
  p('LX1601-35', '丝绒雾面口红', '彩妆', 159),
  p('LX1602-15', '轻薄持妆气垫', '彩妆', 239),
  p('LX1603-01', '自然眉笔', '彩妆', 69),
  p('LX1604-08', '控油定妆散粉', '彩妆', 129),
  p('LX1701-07', '修护精华小样 7ml', '小样/试用装', 19.9),
  p('LX1702-15', '修护面霜小样 15g', '小样/试用装', 29.9),
  p('LX1703-05', '明星产品旅行装', '小样/试用装', 49),
  p('LX1801-01', '修护精华礼盒', '礼盒', 699),
  p('LX1802-01', '节日限定礼盒', '礼盒', 899),
  p('LX1803-01', '明星全家福礼盒', '礼盒', 1299),
];

export const CATEGORIES: readonly Category[] = ['洁面', '水乳', '精华', '面霜', '面膜', '防晒', '彩妆', '小样/试用装', '礼盒'];

/** How often a category appears on an order line, for an ordinary buyer and for a VIP. */
export const CATEGORY_WEIGHTS: Record<'regular' | 'vip', readonly (readonly [Category, number])[]> = {
  regular: [
    ['洁面', 14], ['水乳', 10], ['精华', 18], ['面霜', 12], ['面膜', 16], ['防晒', 10], ['彩妆', 10], ['小样/试用装', 8], ['礼盒', 2],
  ],
  vip: [
    ['洁面', 8], ['水乳', 10], ['精华', 26], ['面霜', 20], ['面膜', 12], ['防晒', 6], ['彩妆', 8], ['小样/试用装', 2], ['礼盒', 8],
  ],
};

export type ChannelGroup = 'ecommerce' | 'offline' | 'content' | 'wechat' | 'fission';

export interface Channel {
  key: string;
  group: ChannelGroup;
  labelZh: string;
  labelEn: string;
  /** Share of new private-domain customers (percent). */
  share: number;
  lures: readonly (readonly [LureKey, number])[];
}

export type LureKey =
  | 'sample' | 'trial_pack' | 'gift' | 'blind_box' | 'skincare_guide' | 'free_course'
  | 'no_threshold_coupon' | 'cashback' | 'free_shipping' | 'lottery';

export interface Lure {
  key: LureKey;
  kind: 'physical' | 'virtual' | 'rights';
  labelZh: string;
  labelEn: string;
  unitCostFen: number;
}

export const LURES: readonly Lure[] = [
  { key: 'sample', kind: 'physical', labelZh: '小样', labelEn: 'Sample', unitCostFen: 350 },
  { key: 'trial_pack', kind: 'physical', labelZh: '试用装', labelEn: 'Trial pack', unitCostFen: 900 },
  { key: 'gift', kind: 'physical', labelZh: '赠品', labelEn: 'Gift', unitCostFen: 1200 },
  { key: 'blind_box', kind: 'physical', labelZh: '盲盒', labelEn: 'Blind box', unitCostFen: 1500 },
  { key: 'skincare_guide', kind: 'virtual', labelZh: '护肤指南', labelEn: 'Skincare guide', unitCostFen: 0 },
  { key: 'free_course', kind: 'virtual', labelZh: '化妆公开课', labelEn: 'Free make-up course', unitCostFen: 0 },
  { key: 'no_threshold_coupon', kind: 'rights', labelZh: '无门槛券', labelEn: 'No-threshold coupon', unitCostFen: 1000 },
  { key: 'cashback', kind: 'rights', labelZh: '返现红包', labelEn: 'Cash-back', unitCostFen: 500 },
  { key: 'free_shipping', kind: 'rights', labelZh: '包邮券', labelEn: 'Free shipping', unitCostFen: 600 },
  { key: 'lottery', kind: 'rights', labelZh: '抽奖', labelEn: 'Lottery', unitCostFen: 200 },
];

const ch = (key: string, group: ChannelGroup, labelZh: string, labelEn: string, share: number, lures: Channel['lures']): Channel => ({
  key, group, labelZh, labelEn, share, lures,
});

/** SPEC C7 channels; the shares sum to 100. */
export const CHANNELS: readonly Channel[] = [
  ch('ecom_service_chat', 'ecommerce', '电商客服引导', 'E-commerce service chat', 7, [['no_threshold_coupon', 5], ['sample', 3], ['free_shipping', 2]]),
  ch('ecom_post_payment', 'ecommerce', '支付后页面', 'Post-payment page', 6, [['cashback', 4], ['no_threshold_coupon', 4], ['lottery', 2]]),
  ch('ecom_package_card', 'ecommerce', '包裹卡', 'Package card', 14, [['cashback', 6], ['sample', 3], ['no_threshold_coupon', 3], ['lottery', 1]]),
  ch('ecom_sms', 'ecommerce', '短信', 'SMS', 4, [['no_threshold_coupon', 6], ['cashback', 2]]),
  ch('ecom_ai_call', 'ecommerce', 'AI 外呼', 'AI call', 5, [['gift', 4], ['cashback', 3], ['no_threshold_coupon', 2]]),
  ch('store_counter_qr', 'offline', '门店台卡', 'Store counter QR', 7, [['sample', 5], ['gift', 3], ['no_threshold_coupon', 2]]),
  ch('store_staff_badge', 'offline', '导购工牌', 'Staff badge', 5, [['sample', 4], ['trial_pack', 3], ['gift', 2]]),
  ch('store_poster', 'offline', '门店海报', 'Store poster', 3, [['lottery', 4], ['sample', 3], ['blind_box', 2]]),
  ch('content_xiaohongshu', 'content', '小红书', 'Xiaohongshu', 9, [['trial_pack', 4], ['skincare_guide', 4], ['sample', 3]]),
  ch('content_douyin', 'content', '抖音', 'Douyin', 8, [['trial_pack', 4], ['no_threshold_coupon', 3], ['lottery', 2]]),
  ch('content_zhihu', 'content', '知乎', 'Zhihu', 2, [['skincare_guide', 6], ['free_course', 2]]),
  ch('content_bilibili', 'content', '哔哩哔哩', 'Bilibili', 2, [['free_course', 4], ['blind_box', 3], ['sample', 2]]),
  ch('content_weibo', 'content', '微博', 'Weibo', 2, [['lottery', 5], ['sample', 2]]),
  ch('wechat_search', 'wechat', '微信搜一搜', 'WeChat search', 4, [['no_threshold_coupon', 4], ['skincare_guide', 2]]),
  ch('wechat_oa_menu', 'wechat', '公众号菜单', 'Official account menu', 5, [['no_threshold_coupon', 3], ['free_course', 2], ['lottery', 2]]),
  ch('wechat_moments_ads', 'wechat', '朋友圈广告', 'Moments ads', 6, [['trial_pack', 5], ['sample', 3], ['no_threshold_coupon', 2]]),
  ch('fission', 'fission', '老带新裂变', 'Referral (fission)', 11, [['no_threshold_coupon', 4], ['gift', 3], ['blind_box', 2], ['cashback', 1]]),
];

export type Platform = 'tmall' | 'jd' | 'douyin' | 'miniprogram' | 'offline';

export const PLATFORMS: Record<Platform, { store: string; identityType: string | null }> = {
  tmall: { store: '澜序官方旗舰店', identityType: 'taobao_buyer_id' },
  jd: { store: '澜序京东自营旗舰店', identityType: 'jd_buyer_id' },
  douyin: { store: '澜序抖音官方旗舰店', identityType: 'douyin_buyer_id' },
  miniprogram: { store: '澜序小程序商城', identityType: null },
  offline: { store: '', identityType: 'member_card' },
};

export const OFFLINE_STORES: readonly string[] = [
  '上海静安嘉里中心店', '上海环球港店', '北京朝阳大悦城店', '杭州湖滨银泰店', '广州天河正佳店', '深圳万象天地店', '成都太古里店', '南京德基广场店',
];

/** The WeCom corp and WeChat apps of the brand: identities are scoped by them. */
export const WECOM_CORP_ID = 'ww7a1c5e3d9b2f4086';
export const MINIPROGRAM_APP_ID = 'wx3f8e2a6c4d1b9075';
export const OFFICIAL_ACCOUNT_APP_ID = 'wx9b4d7e1f2a6c3058';

export interface Advisor {
  key: string;
  name: string;
  email: string;
  /** Their WeCom userid: who a customer added. */
  wecomUserId: string;
}

/** Operator users of the demo workspace who own customers as their advisors (导购). */
export const ADVISORS: readonly Advisor[] = [
  { key: 'wang', name: '导购小王', email: 'advisor.wang@demo.siyu.local', wecomUserId: 'WangXiaoMei' },
  { key: 'li', name: '导购小李', email: 'advisor.li@demo.siyu.local', wecomUserId: 'LiTingTing' },
  { key: 'zhang', name: '导购小张', email: 'advisor.zhang@demo.siyu.local', wecomUserId: 'ZhangYue' },
  { key: 'chen', name: '顾问陈姐', email: 'advisor.chen@demo.siyu.local', wecomUserId: 'ChenJing' },
  { key: 'liu', name: '顾问刘老师', email: 'advisor.liu@demo.siyu.local', wecomUserId: 'LiuFang' },
  { key: 'zhao', name: '店长小赵', email: 'advisor.zhao@demo.siyu.local', wecomUserId: 'ZhaoLei' },
];
