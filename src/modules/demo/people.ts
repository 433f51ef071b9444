/** Names, nicknames and places for demo customers: common Chinese surnames and given names. */

/** The most common surnames with approximate relative frequencies. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72], ['李', 71], ['张', 68], ['刘', 54], ['陈', 46], ['杨', 32], ['黄', 25], ['赵', 20], ['吴', 19], ['周', 19],
  ['徐', 15], ['孙', 15], ['马', 12], ['朱', 12], ['胡', 11], ['郭', 11], ['何', 10], ['林', 10], ['高', 10], ['罗', 9],
  ['郑', 9], ['梁', 8], ['谢', 7], ['宋', 7], ['唐', 7], ['许', 6], ['韩', 6], ['冯', 6], ['邓', 6], ['曹', 5],
  ['彭', 5], ['曾', 5], ['肖', 5], ['田', 5], ['董', 5], ['潘', 4], ['袁', 4], ['蔡', 4], ['蒋', 4], ['余', 4],
  ['于', 4], ['杜', 4], ['叶', 4], ['程', 4], ['魏', 3], ['苏', 3], ['吕', 3], ['丁', 3], ['任', 3], ['沈', 3],
  ['欧阳', 1], ['司马', 0.3], ['上官', 0.3],
];

const FEMALE_CHARS = ['静', '丽', '敏', '婷', '雪', '琳', '娜', '佳', '欣', '怡', '悦', '萱', '涵', '思', '雨', '梦', '晓', '蕾', '颖', '倩', '慧', '莉', '芳', '燕', '璐', '瑶', '诗', '可', '心', '妍', '彤', '语', '嘉', '梓', '子', '若', '一', '安', '宁', '楠'];
const MALE_CHARS = ['伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '浩', '宇', '轩', '博', '鹏', '晨', '辰', '俊', '峰', '凯', '子', '一', '文', '泽', '然', '睿'];

/** A given name of one or two characters. */
export function givenName(female: boolean, a: number, b: number, twoChars: boolean): string {
  const pool = female ? FEMALE_CHARS : MALE_CHARS;
  const first = pool[a % pool.length]!;
  if (!twoChars) return first;
  const second = pool[b % pool.length]!;
  return second === first ? `${first}${pool[(b + 1) % pool.length]!}` : `${first}${second}`;
}

/** WeChat-style nicknames: many people use one that is not their name. */
export const NICKNAMES: readonly string[] = [
  '小鹿', '晴天', '柚子', '奶茶不加糖', '橘子汽水', 'momo', 'Amy', 'Cici', 'Lily', 'Coco', '芒果布丁', '一只喵', '夏天的风',
  '云朵', '向日葵', '糖糖', '小确幸', '慢慢来', '爱吃草莓', 'Vivian', 'Grace', 'Sunny', '阿狸', '兔兔', '星星点灯', '半夏',
  '南风', '小太阳', '珊珊', 'Jessica', '木木', '今天也要加油', '桃子', '抹茶控', '护肤小白', '成分党', '熬夜少女', 'Kiki',
];

export interface Region {
  province: string;
  city: string;
  weight: number;
}

/** Where a beauty brand's buyers live: tier-1 and new tier-1 cities weigh most. */
export const REGIONS: readonly Region[] = [
  { province: '上海市', city: '上海市', weight: 11 },
  { province: '北京市', city: '北京市', weight: 9 },
  { province: '广东省', city: '广州市', weight: 7 },
  { province: '广东省', city: '深圳市', weight: 7 },
  { province: '广东省', city: '东莞市', weight: 2 },
  { province: '浙江省', city: '杭州市', weight: 6 },
  { province: '浙江省', city: '宁波市', weight: 2 },
  { province: '江苏省', city: '南京市', weight: 4 },
  { province: '江苏省', city: '苏州市', weight: 4 },
  { province: '四川省', city: '成都市', weight: 5 },
  { province: '湖北省', city: '武汉市', weight: 4 },
  { province: '重庆市', city: '重庆市', weight: 4 },
  { province: '陕西省', city: '西安市', weight: 3 },
  { province: '湖南省', city: '长沙市', weight: 3 },
  { province: '天津市', city: '天津市', weight: 3 },
  { province: '河南省', city: '郑州市', weight: 3 },
  { province: '山东省', city: '青岛市', weight: 2 },
  { province: '山东省', city: '济南市', weight: 2 },
  { province: '福建省', city: '厦门市', weight: 2 },
  { province: '福建省', city: '福州市', weight: 2 },
  { province: '安徽省', city: '合肥市', weight: 2 },
  { province: '辽宁省', city: '沈阳市', weight: 2 },
  { province: '辽宁省', city: '大连市', weight: 1 },
  { province: '云南省', city: '昆明市', weight: 1 },
  { province: '黑龙江省', city: '哈尔滨市', weight: 1 },
  { province: '广西壮族自治区', city: '南宁市', weight: 1 },
  { province: '江西省', city: '南昌市', weight: 1 },
  { province: '河北省', city: '石家庄市', weight: 1 },
];

/** Mobile number prefixes of the three carriers (segment 1xx). */
export const MOBILE_PREFIXES: readonly string[] = [
  '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '178', '182', '183', '187', '188', '198',
  '130', '131', '132', '155', '156', '166', '175', '176', '185', '186',
  '133', '153', '173', '177', '180', '181', '189', '199',
];
