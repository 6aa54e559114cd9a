import type { Category, Priority } from './classifier.js';

/**
 * The cue lexicon. Phrases are written as a caller says them; the tokenizer segments them the same
 * way it segments calls, so "燃气味" and "燃气 的 味道" need only the parts, not every spelling.
 *
 * Weights: 3 = names the problem outright, 2 = names the thing that is broken, 1 = a hint that
 * needs support from another cue before the call is classified.
 */

/** A cue is a phrase, or several phrases that must all occur in one sentence. */
export interface Cue {
  /** Every part must match; each part lists interchangeable phrases. */
  parts: readonly (readonly string[])[];
  /** For combos: the most tokens allowed between neighbouring parts. */
  near: number;
  /** null for danger cues that say "how bad" but not "what": fire, injuries, someone trapped. */
  category: Category | null;
  weight: number;
  priority: Priority | null;
  /** A topic cue says what the call is about; negating it ("没有煤气味") does not change the topic. */
  topic: boolean;
  /** Where a danger cue with no category goes when nothing else in the call names one. */
  fallback: Category | null;
}

const ANYWHERE = 99;

function phrases(category: Category | null, weight: number, priority: Priority | null, terms: readonly string[]): Cue[] {
  return terms.map((term) => ({
    parts: [[term]],
    near: ANYWHERE,
    category,
    weight,
    priority,
    topic: priority === null,
    fallback: null,
  }));
}

/** Words naming the service involved; they set the category and nothing else. */
const topic = (category: Category, weight: number, terms: readonly string[]) => phrases(category, weight, null, terms);

/** Words naming a problem; they set category and priority and can be negated. */
const problem = (category: Category, priority: Priority, weight: number, terms: readonly string[]) =>
  phrases(category, weight, priority, terms);

/** All parts in one sentence, each within `near` tokens of another part. */
function combo(
  category: Category,
  priority: Priority,
  weight: number,
  parts: readonly (readonly string[])[],
  near = ANYWHERE,
): Cue {
  return { parts, near, category, weight, priority, topic: false, fallback: null };
}

/** Danger with no service attached: the category comes from the rest of the call. */
function danger(fallback: Category, terms: readonly string[]): Cue[] {
  return terms.map((term) => ({
    parts: [[term]],
    near: ANYWHERE,
    category: null,
    weight: 1,
    priority: 'P1' as const,
    topic: false,
    fallback,
  }));
}

// ---- shared word families ------------------------------------------------------------------

const GAS = [
  '煤气', '燃气', '天然气', '液化气', '燃汽', '煤汽', '煤气罐', '液化气罐', '燃气罐', '燃气表', '燃气灶', '煤气灶',
  '燃气管', '燃气管道', '煤气管道', '天然气管道', '燃气公司', '燃气热水器', '调压箱', '燃气阀门', '供气', '燃气卡',
  '燃气软管', '燃气报警器', '煤气报警器', 'gas', 'gas meter', 'gas stove', 'gas pipe',
];
const SMELL = [
  '味', '味道', '气味', '味儿', '怪味', '臭味', '臭', '臭鸡蛋', '臭鸡蛋味', '闻到', 'smell', 'smelling', 'smelled', 'odor', 'odour',
  'stink',
];
const LEAKING = ['漏', '在漏', '漏了', '泄漏', '泄露', '喷气', 'leak', 'leaking', 'hissing', 'hiss'];
const WATER_PIPE = [
  '水管', '自来水管', '主水管', '总水管', '供水管', '进水管', '管子', '总管', '水表', '接头', '管道', 'pipe', 'water main', 'main',
];
/** A crack that seeps is not a burst: "裂了" alone is left out on purpose. */
const BURST = ['爆', '爆了', '爆裂', '爆列', '破裂', '破了', '崩开', '崩了', 'burst', 'broke', 'broken'];
const FLOOD = [
  '淹', '淹了', '淹到', '全淹了', '进水了', '水漫', '漫到', '往下灌', '到处都是', '全是水', '水还在涨', '往上涨', '越来越深', 'flooding',
  'flooded', 'flood', 'pouring', 'gushing', 'everywhere', 'rising', 'spraying', 'filling up', 'ankle deep',
  'knee deep',
];
const HEATING_PIPE = [
  '暖气片', '暖气管', '暖气管道', '暖气主管', '供热管', '供热管网', '热力管道', '地暖管', '暖气阀门', 'radiator', 'heating pipe',
];
const HEATING = [
  '暖气', '暖气片', '供暖', '供热', '地暖', '暖气管', '热力公司', '换热站', '供热站', '采暖', '暧气', '集中供暖', '供热管网',
  '分水器', '回水管', '暖气管道', '暖气主管', '供热管', '热力管道', '地暖管', '暖气阀门', '锅炉',
  'radiator', 'heating', 'central heating', 'boiler', 'furnace', 'heater',
];
const LIFT = ['电梯', '电悌', '轿厢', 'lift', 'elevator'];
const INSIDE_STUCK = [
  '困', '被困', '困住', '困着', '关在', '被关', '关着', '关住', '锁在里面', '在里面', 'is inside', 'are inside', 'still inside', '卡住', '卡在', '出不来', '出不去', '里面有人',
  '有人在里面', '里面有', '喊救命', 'stuck', 'trapped',
];
const BROKEN = [
  '坏', '坏了', '停运', '不动', '失灵', '关不上', '又坏', '故障', 'out of order', 'out of service', 'broken', 'not working',
];
const WIRE = ['电线', '高压线', '电缆', '线', '电线杆', '电杆', '线杆', 'power line', 'wire', 'cable', 'pole'];
const WIRE_DOWN = [
  '断', '断了', '掉', '掉下来', '掉在', '垂', '耷拉', '刮断', '泡着', '倒了', '倒', '歪', '撞歪', 'down', 'downed', 'fallen',
  'puddle',
];
const CHILD_OR_ELDER = [
  '孩子', '小孩', '儿子', '女儿', '老人', '老太太', '老头', '奶奶', '爷爷', '俺爹', '俺娘', '我爸', '我妈', 'son', 'daughter', 'child',
  'kid', 'mother', 'father', '老年痴呆', '痴呆', '智障', 'dementia',
];
const MISSING = [
  '走丢', '走失', '失踪', '不见了', 'missing', "didn't come home", "hasn't come home", 'wandered off', 'last seen',
];
/** Only a missing person when said of one: "找不到阀门" is not. */
const UNREACHABLE = ['没回家', '没回来', '找不到', '没找到', '联系不上', '打不通'];

export const CUES: readonly Cue[] = [
  // ---- gas -----------------------------------------------------------------------------------
  ...topic('gas', 2, GAS),
  combo('gas', 'P1', 3, [GAS, SMELL]),
  combo('gas', 'P1', 3, [GAS, LEAKING]),
  combo('gas', 'P1', 3, [['报警器', '燃气报警器', '煤气报警器', 'alarm'], ['响', '在响', '一直响', 'going off', 'beeping']]),
  ...problem('gas', 'P1', 3, [
    '漏气', '跑气', '串气', '漏燃气', '嘶嘶', '呲呲', '一氧化碳', '煤气中毒', 'carbon monoxide', 'gas leak',
  ]),
  ...problem('gas', 'P3', 2, ['打不着火', '点不着', '打不着']),
  ...problem('gas', 'P2', 3, [
    '停气', '没气', '没有气', '断气', '没燃气', '没有燃气', '不通气', '没法用气',
    'no gas', 'cut off', 'low gas pressure', 'barely light',
  ]),
  combo('gas', 'P2', 3, [GAS, ['停了', '断了', '都停了', '没有了', '没了', '不来气', '突然断了', '压力特别小', '压力小', '火苗小']], 3),
  combo('gas', 'P2', 2, [GAS, ['做不了饭', '没法做饭', '饭都做不熟', "can't cook", 'supply']]),

  // ---- power ---------------------------------------------------------------------------------
  ...topic('power', 2, [
    '电线', '电缆', '变压器', '电表', '电表箱', '电箱', '配电箱', '配电房', '电闸', '总闸', '插座', '路灯', '声控灯',
    '电压', '供电', '供电局', '供电所', '电线杆', '高压线', '充电桩', '电工', '景观灯', '灯泡', '楼道灯', '变电站',
    '箱式变电站', '三相电', '用电', '电费', '变电箱', '电房', '短路', '电杆',
    'electricity', 'electrical', 'power', 'transformer', 'breaker', 'street light', 'streetlight', 'lamp',
    'power line', 'electricity meter', 'fuse box', 'fuse', 'consumer unit',
  ]),
  ...topic('power', 1, ['灯', '不亮', '电器', '充电', 'light', 'wire']),
  ...topic('power', 2, ['一闪一闪', '闪', '闪烁', 'flicker', 'flickering']),
  combo('power', 'P1', 3, [WIRE, ['树', '树枝', '大树', '搭在', 'tree', 'branch']]),
  combo('power', 'P1', 3, [WIRE, WIRE_DOWN]),
  ...problem('power', 'P1', 3, [
    '冒火花', '火花', '电火花', '火星子', '火星', '冒火', '触电', '电着了', '电到', '电倒', '电晕', '电伤', '电击', '被电击', '漏电', '噼啪', '噼里啪啦',
    'spark', 'sparking', 'electric shock', 'electrocuted', 'electrocution', 'got a shock', 'got a bad shock', 'got shocked', 'live wire',
  ]),
  ...problem('power', 'P2', 3, [
    '停电', '断电', '没电', '没有电', '木有电', '跳闸', '跳匝', '推不上去', '时有时无', '缺了一相', '缺相', '电压不稳', '不稳',
    'power cut', 'power outage', 'outage', 'blackout', 'no power', 'no electricity', 'lost power', 'power out',
    'without power', 'in darkness', 'cutting out', "won't reset",
  ]),
  combo('power', 'P2', 3, [['power', 'electricity', 'light', 'lights'], ['out', 'went out', 'gone', 'cut', 'off']], 3),
  combo('power', 'P2', 2, [
    ['楼', '整栋楼', '楼上楼下', '屋子', '整个', 'building', 'whole'],
    ['黑了', '都黑了', '黑着', '黑乎乎', '黑咕隆咚', 'dark'],
  ], 3),
  ...problem('power', 'P3', 2, ['计划停电', '停电通知']),

  // ---- water ---------------------------------------------------------------------------------
  ...topic('water', 2, [
    '自来水', '水管', '水龙头', '水表', '水压', '下水道', '污水', '排水', '地漏', '水箱', '总阀', '消防栓', '供水',
    '二次供水', '自来水管', '水表井', '阀门井', '直饮水', '水质', '下水', '疏通', '管道疏通',
    'water', 'tap', 'sewer', 'drain', 'faucet', 'plumbing', 'water main', 'hydrant', 'shutoff valve',
  ]),
  ...topic('water', 1.5, ['漏水', '渗水', '滴水', '冒水', '水', 'pipe', 'leak', 'leaking']),
  combo('water', 'P1', 3, [WATER_PIPE, BURST]),
  combo('water', 'P1', 3, [['水', '水管', '自来水', 'water', '消防栓'], FLOOD]),
  ...problem('water', 'P1', 2, ['水管爆', '爆管', '水柱', 'burst pipe', 'water main burst']),
  ...problem('water', 'P2', 3, [
    '停水', '断水', '没水', '没有水', '木有水', '没得水', '没自来水', '没有自来水', '不出水', '没来水', '水都上不来',
    'no water', 'no running water', 'no water pressure',
  ]),
  combo('water', 'P2', 3, [['水', '自来水', '滴水'], ['没了', '没有了', '停了', '都没有', '都没有了']], 2),
  combo('water', 'P2', 2, [['水', '自来水', '水龙头', 'water', 'tap'], [
    '发黄', '黄色', '黄的', '浑浊', '浑', '泥汤', '发臭', '臭', '消毒水味', '铁锈味', '汽油味', '虫子', '沙子', '黑色', '白色',
    'brown', 'black', 'yellow', 'dirty', 'cloudy',
  ]]),
  ...problem('water', 'P2', 2, [
    '往上冒', '粪水', '污水井', '返水', '脏水', '倒灌', '堵了', '堵住', '渗到楼下', '漏到楼下', '往下滴水', '往下流', '漏得挺厉害',
    'backing up', 'sewage',
  ]),
  ...problem('water', 'P3', 2, ['计划停水']),

  // ---- heating -------------------------------------------------------------------------------
  ...topic('heating', 3, HEATING),
  combo('heating', 'P1', 3, [HEATING_PIPE, [...BURST, '喷', '喷出来', '流了一地', 'gushing', 'flooding']]),
  // Hot water escaping from the heating scalds and floods.
  combo('heating', 'P1', 3, [['热水', '开水', '烫水', 'hot water'], ['冒', '冒出来', '喷', '喷出来', '往外', '流', '漏', 'gushing', 'pouring']]),
  ...problem('heating', 'P1', 2, ['滚烫', '烫水', '蒸汽', '白汽', 'scalding', 'boiling water']),
  ...problem('heating', 'P2', 3, [
    '不热', '冰凉', '凉冰冰', '全凉', '冻得', '冻死', '冻住', '没暖气', '没有暖气', '停暖', '没供暖', '不给热',
    'no heat', 'no heating', 'ice cold', 'stone cold', 'freezing', 'not working', 'stopped working', 'minus',
    "haven't worked", "hasn't worked", "isn't working", "aren't working", "doesn't work", "don't work", 'below zero',
  ]),
  combo('heating', 'P2', 2, [['温度', '热乎气', '热气', 'warmth'], ['没有', '都没有', '没', 'no']], 2),
  ...problem('heating', 'P2', 0.5, ['冷', '好冷', '很冷', '太冷', '冷死', '零下', 'cold']),
  combo('heating', 'P2', 3, [HEATING, ['停了', '都停了', '全停了', '断了', '凉', '不work', 'off', 'down']], 4),
  ...problem('heating', 'P3', 2, ['不太热', '有点凉', '忽高忽低', '时冷时热', '时热时不热', '放气', '太热', 'lukewarm']),

  // ---- emergency repair ----------------------------------------------------------------------
  ...topic('repair', 2, [
    '电梯', '电悌', '轿厢', '门锁', '锁芯', '防盗门', '单元门', '入户门', '卷帘门', '防火门', '闭门器', '门禁', '合页',
    '井盖', '路面', '窟窿', '围墙', '外墙', '墙皮', '瓷砖', '阳台', '栏杆', '护栏', '扶手', '脚手架',
    '广告牌', '大树', '树枝', '行道树', '窗户', '玻璃', '钥匙', '地砖', '台阶', '减速带', '路牌', '长椅', '健身器材',
    '信报箱', '天花板', '石膏板', '屋顶', '房顶', '棚顶', '瓦片', '围挡', '裂缝', '把手',
    'lift', 'elevator', 'door', 'lock', 'manhole', 'pothole', 'tree', 'branch', 'roof', 'wall', 'window',
    'sinkhole', 'railing', 'mailbox', 'balcony', 'ceiling', 'facade', 'scaffolding', '道闸', '雨棚', '遮阳棚', '棚子', '铁架子',
    '招牌', '空调外机', '花盆',
  ]),
  ...topic('repair', 1, ['门', '锁', '树', '坑', '墙', '桥', '路', '楼梯', 'road', '往下掉渣', '撞歪', '松了', '松动', '砖', '不好开']),
  ...topic('repair', 2, ['花坛']),
  combo('repair', 'P1', 3, [LIFT, INSIDE_STUCK]),
  combo('repair', 'P1', 3, [
    ['井盖', 'manhole', 'manhole cover'],
    ['没了', '丢', '丢了', '不见', '不见了', '被偷', '偷了', '翻', '翻了', '没有', '掉进去', 'missing', 'gone', 'open', 'stolen'],
  ]),
  combo('repair', 'P1', 3, [['门', '门锁', '锁', '反锁'], ['孩子', '小孩', '婴儿', '老人'], ['在屋里', '一个人在', '在里面']]),
  ...problem('repair', 'P1', 3, [
    '塌', '塌了', '塌陷', '坍塌', '垮', '冲垮', '要塌', '压塌', '往下掉', '摇摇欲坠', '随时会掉', '随时可能掉', '要掉下来',
    '压住', '压到', '压在', '踩空', '掉下去', '掉进去', '滑坡', '落石', '塌下来', '塌下', '倒塌', '塌方', '大裂缝', '大缝',
    '裂开了', '快掉了', '要掉了', '快掉下来',
    'caved in', 'collapse', 'collapsed', 'falling down',
  ]),
  combo('repair', 'P1', 3, [
    ['balcony', 'wall', 'roof', 'ceiling', 'facade', 'tile', 'piece', 'brick', 'glass', 'sign', 'scaffolding', 'window'],
    ['falling', 'crumbling', 'collapsing', 'about to fall', 'coming down', 'came down'],
  ]),
  combo('repair', 'P2', 3, [LIFT, BROKEN]),
  ...problem('repair', 'P2', 2, ['关不上']),
  combo('repair', 'P2', 3, [['门锁', '锁', '锁芯', '防盗门', '单元门', '入户门', 'lock'], ['坏了', '坏', '打不开', 'broken']], 1),
  ...problem('repair', 'P2', 3, [
    '锁坏了', '打不开', '进不去', '进不去家', '锁在门外', '锁在外面', '钥匙丢了', '钥匙断', '插不进去', '锁住了',
    '挡着路', '挡路', '过不去', '出不去', '刮倒', '倒在', '倒了', '吹裂', '断了', '要倒', '冲倒', '掉了一块',
    '上不了楼', '下不来', '漏雨', '绊倒', '掉下来', '大坑',
    'locked out', 'blocking', "can't get through", 'out of order', 'fell', 'fallen', 'came down',
  ]),

  // The door or glass of a utility's own box belongs to that utility, not to emergency repair.
  combo('power', 'P3', 5, [['电箱', '电表箱', '配电箱'], ['门', '玻璃']]),
  combo('water', 'P3', 5, [['水表箱', '水表井'], ['门', '玻璃', '盖子']]),
  combo('gas', 'P3', 5, [['燃气表箱'], ['门', '玻璃']]),

  // ---- police --------------------------------------------------------------------------------
  ...topic('police', 2, ['报警', '报案', '立案', '举报', '民警', '警察', '派出所', '监控', 'police', 'report']),
  combo('police', 'P3', 2, [['声音', '音乐', '动静'], ['很大', '太大', '大', '特别大', '好大']], 2),
  ...topic('police', 1, ['证件', '钱包', '银行卡', 'wallet']),
  ...problem('police', 'P1', 3, [
    '持刀', '拿刀', '拿着刀', '菜刀', '刀', '砍', '捅', '枪', '抢劫', '打架', '打群架', '群殴', '围殴', '打人', '打我',
    '打老婆', '打她', '打他', '在打', '家暴', '动手', '动了刀', '打起来', '跳楼', '往下跳', '要跳', '自杀', '翻车', '车翻', '绑架', '拐',
    '抱走', '带走', '扣在', '不放人', '炸弹', '纵火', '放火', '入室', '进贼', '撬锁', '撬门', '闯入', '砸门', '踹门', '杀了', '砍人',
    '撞人', '撞倒', '冲进人群', '斗殴', '殴打', '打架斗殴', '持械', '棍子', '铁棍', '棍棒', '猥亵', '强奸', '人贩子', '拐卖',
    '离家出走', '劫持', '人质', '拉走', '拽走', '强行带走', 'abducted', 'took my child', '跟踪', '跟着我', '不让我下车', '要出人命', '按在地上', '推下',
    'gun', 'knife', 'knives', 'stabbed', 'beating', 'fighting', 'fight', 'robbery', 'kidnap', 'kidnapped',
    'break in', 'breaking in', 'broke into', 'break into', 'breaking into', 'broken into', 'broke in', 'kick in',
    'trying to get in', 'attacking', 'assault', 'assaulted', 'screaming', 'stab',
    'shooting', 'shot', 'weapon', 'hostage', 'punching', 'hitting', 'burglar', 'burglary', 'intruder',
  ]),
  combo('police', 'P1', 3, [
    ['围着', '几个人', '一群人', '好几个人', '一帮人', 'gang', 'group'],
    ['打', '打我', '打他', '打她', '殴打', 'beating', 'attacking'],
  ], 3),
  combo('police', 'P1', 3, [CHILD_OR_ELDER, [...MISSING, ...UNREACHABLE]]),
  ...problem('police', 'P1', 2, MISSING),
  ...problem('police', 'P2', 3, [
    '偷', '被偷', '偷了', '偷走', '盗', '盗刷', '扒', '顺走', '骗', '被骗', '诈骗', '骗子', '追尾', '刮蹭', '蹭倒',
    '肇事', '闹事', '醉汉', '喝醉', '吵架', '吵起来', '推搡', '推我', '骂人', '逆行', '抛锚', '霸王餐', '撬', '撬痕',
    '保护费', '传销', '抢', '抢包', '被打', '咬', '暴露', '冒充', '威胁', '砸', '砸了', '砸碎', '砸坏', '砸烂', '扔石头', '车祸', '撞车',
    '扎胎', '快打起来', '挨家挨户', '可疑', '不像好人', '跑了', '逃逸', '逃跑', '偷偷', '偷拍', '拉车门', '小偷', '泼油漆',
    '泼了', '骑走', '开走', '拿走', '划了', '划车', '刮花', '形迹可疑',
    '鬼鬼祟祟', '陌生人',
    '盗窃', '被盗', '失窃', '抢走', '交通事故', '事故', '酒驾', '醉驾', '寻衅滋事', '耍流氓', '性骚扰', '骚扰',
    'stolen', 'stole', 'steal', 'theft', 'thief', 'scammed', 'scam', 'fraud', 'pickpocket', 'smashed',
    'rear-ended', 'rear', 'accident', 'crash', 'drunk', 'harass', 'following', 'hit and run', 'banging', 'suspicious',
    'ran off', 'drove off', 'acting strangely', 'strange man', 'scratched', 'mugged', 'robbed', 'shoplifter',
    'shoplifting', 'vandal', 'vandalism', 'threatening',
  ]),
  combo('police', 'P2', 3, [['被'], ['打', '打了']], 2),
  ...phrases('police', 1.5, 'P2', ['撞', '撞了', '被撞', 'hit']),
  ...problem('police', 'P3', 2, [
    '噪音', '太吵', '很吵', '吵', '吵得', '大声', '违章停车', '违停', '占道', '摆摊', '小广告', '乱倒垃圾', '烟花',
    '不牵绳', '炸街', '赌', '赌钱', '乞丐', '黑车', '冒领', '丢了', '捡到', '消防通道', '广场舞', '贴了条', '拉客',
    '乱停', '诈骗电话', '打鸣', '骂他', '冒用', '未成年人', '烧纸', '有意见', '吵到', '吵死', '吵醒', '扰民', '咚咚', '咚咚咚',
    '跑跳', '扔垃圾', '拖走',
    'noise', 'noisy', 'loud', 'party', 'music', 'parking', 'parked', 'graffiti', 'dumping', 'abandoned', 'lost',
    'harassing', 'keyed', 'barking', 'bark', 'barked', 'fireworks',
  ]),

  // ---- danger without a service ----------------------------------------------------------------
  // Fire, injury and being trapped are P1 whatever the service; the rest of the call says which.
  ...danger('police', [
    '着火', '起火', '失火', '火灾', '火苗', '火光', '烧起来', '烧着', '着了', '冒烟', '浓烟', '黑烟', '爆炸', '焦糊味',
    '受伤', '伤者', '流血', '血', '重伤', '伤得很重', '倒地', '躺在地上', '昏迷', '晕倒', '打晕', '没反应', '口吐白沫',
    '不省人事', '没有呼吸', '呼吸困难', '中毒', '窒息', '救命', '快来人', '救护车', '烫伤', '头晕', '迷糊', '哮喘', '砸伤',
    '打伤', '砍伤', '撞伤', '伤人',
    'fire', 'smoke', 'flames', 'explosion', 'exploded', 'blew up', 'hurt', 'injured', 'injury',
    'bleeding', 'unconscious', 'not breathing', 'fainted', 'lying on the ground', 'dizzy', 'asthma', 'panic attack',
    'not responding', 'unresponsive', 'chest pain', 'heart attack', 'seizure', 'choking', 'drowning', '心脏病', '胸口疼',
    '抽搐', '喘不上气', '吐血',
    'ambulance',
  ]),
  ...danger('repair', ['被困', '困在', '出不来', 'trapped', "can't get out", '砸在', '砸到', '砸中']),
  // Rotten eggs is gas in the air, but a water complaint when said of the tap water.
  ...danger('gas', ['臭鸡蛋']),
  combo('police', 'P1', 1, [['人', '有人', '我们', '我'], ['出不来', '出不去', '卡在车里']]),

  // ---- calls no unit can take ------------------------------------------------------------------
  ...phrases('unclassified', 3, null, [
    '社保', '社保卡', '公积金', '医保', '养老保险', '退休金', '失业金', '低保', '补贴', '居住证', '护照', '签证',
    '营业执照', '账单', '水费', '燃气费', '暖气费', '物业费', '话费', '缴费', '交费', '收费标准', '打错了', '打错',
    '按错了', '乱按', '亂按', '打着玩', '试一下', '天气', '几路车', '公交卡', '挂号', '疫苗', '驾照', '年检', '上牌',
    '离婚', '房产证', '图书馆', '门票', '快递到哪', '不给退', '宽带', '断网', '信号', '电视', '菜价', '垃圾分类',
    '市长热线', '出租车', '学区', '接线员', '公租房', '老年卡', '补办', '聊天', '建议', '网上交', '户口', '落户', '办证',
    '手续', '政策', '充值', '客服', '网费', '结婚证', '网',
    'bill', 'statement', 'pension', 'tax', 'wrong number', 'opening hour', 'residence permit', 'feedback',
    'website', 'library', 'testing', 'hola', 'español', 'visa', 'passport', 'invoice', 'refund', 'payment',
    'licence', 'license', 'renew', 'permit', '通行证', '港澳',
  ]),
  ...phrases('unclassified', 1, null, ['投诉', '咨询', '办理', '怎么办理', 'question']),
  // Phrases that contain a cue but mean something else: "手机没电" is not a power cut.
  ...phrases(null, 0, null, ['手机没电', '手机快没电', '电池没电', '电瓶车', '电动车', '电暖器', '热水器', '报警器']),
];

/** Words that negate a cue when they come just before it: "没有煤气味", "nobody hurt". */
export const NEGATORS: ReadonlySet<string> = new Set([
  '没', '没有', '不', '无', '未', '别', '木有', '没得', '莫得', '冇', '并没有', '不再', '没再', '没人', '没有人', '并未',
  'no', 'not', 'never', 'nobody', 'none', 'without', "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "won't",
]);

/** Tokens that turn a following negator into something else: "不知道谁家漏气了" is still a leak. */
export const NEGATION_BLOCKERS: ReadonlySet<string> = new Set([
  '知道', '晓得', '清楚', '确定', '敢', '停', '断', '知', '管', '会', '能', '让', '给', '恢复',
]);

/** The problem is over: cues in the same scope no longer say it is urgent. */
export const RESOLVED: readonly string[] = [
  '修好了', '修好', '已经好了', '现在好了', '恢复了', '恢复正常', '来电了', '来水了', '来气了', '已经来电', '散了',
  '没味了', '没味道了', '没有味道了', '已经没有了', '已经没了', '灭了', '熄灭', '扑灭', '救出来了', '救出来', '已经出来了',
  '找到了', '已经走了', '处理好了', '解决了', '没事了', '接好了', '误报', '不冒了', '不漏了', '止住了',
  'fixed', 'restored', 'back on', 'is back', 'gone', 'got out', 'has stopped', 'have stopped', 'put out', 'all fine',
  'sorted', 'resolved', 'false alarm', 'found',
];

/** Softeners: a P2 problem said with one of these in its clause is routine. */
export const DIMINISHERS: readonly string[] = [
  '有点', '有点儿', '有些', '稍微', '一点点', '不太', '不多', '不厉害', '不严重', '不急', '不着急', '不影响', '偶尔',
  'a bit', 'a little', 'slightly', 'not serious', 'not urgent', 'small', 'weak',
];

/** Anything that happened a while ago is a report, not an emergency. */
export const STALE: readonly string[] = [
  '上周', '上礼拜', '上星期', '上个月', '去年', '前几天', '前段时间',
  'last week', 'last month', 'last year', 'days ago', 'weeks ago',
];

/** Only part of the service is affected: "地暖有一个房间不热，其他正常". */
export const PARTIAL: readonly string[] = [
  '其他正常', '其他都正常', '其它正常', '别的都正常', '其他还行', 'the others are fine', 'others are fine', 'the rest are fine',
];

/** Questions about a problem rather than reports of one. */
export const ENQUIRY: readonly string[] = [
  '想问', '想问问', '想问一下', '想问下', '请问', '咨询', '怎么申请', '能不能', '可以吗', '想申请', '想预约', '预约',
  'how do i', 'i want to ask', 'i\'d like to book', 'book',
];
