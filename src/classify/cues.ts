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
  /** The harm the cue warns of, when a caller can say it did not happen ("没砸着人", "火倒是没有"). */
  harm: 'injury' | 'fire' | null;
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
    harm: null,
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
  return { parts, near, category, weight, priority, topic: false, fallback: null, harm: null };
}

/** Cues whose urgency is the harm they may do: a caller saying it did not happen lowers them. */
const harming = (harm: 'injury' | 'fire', cues: readonly Cue[]): Cue[] => cues.map((c) => ({ ...c, harm }));

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
    harm: null,
  }));
}

// ---- shared word families ------------------------------------------------------------------

const GAS = [
  '煤气', '燃气', '天然气', '液化气', '煤气罐', '液化气罐', '燃气罐', '燃气表', '燃气灶', '煤气灶',
  '燃气管', '燃气管道', '煤气管道', '天然气管道', '燃气公司', '燃气热水器', '调压箱', '燃气阀门', '供气',
  '燃气软管', '燃气报警器', '煤气报警器', '瓦斯', '软管', '灶台', '灶具', '炉灶', '气罐', 'gas', 'gas meter', 'gas stove',
  'gas pipe', 'gas line', 'stove', 'cooker', 'hob',
];
/** Gas pipework: broken, it leaks, whereas "燃气断了" is only the supply stopping. */
const GAS_PIPE = ['燃气管', '燃气管道', '煤气管道', '天然气管道', '煤气管', '天然气管', '燃气软管', '软管', '气管子', 'gas pipe', 'gas main', 'gas line'];
/** The smell said in one word; the segmenter would otherwise cut "天然气味" as "天然|气味". */
const GAS_SMELL = ['煤气味', '燃气味', '天然气味', '液化气味', '瓦斯味', '煤气味儿', '燃气味儿', 'rotten egg', 'smell of gas', 'smell gas', 'smelled gas'];
const SMELL = [
  '味', '味道', '气味', '味儿', '怪味', '臭味', '臭', '臭鸡蛋', '臭鸡蛋味', '闻到', 'smell', 'smelling', 'smelled', 'odor', 'odour',
  'stink',
];
const LEAKING = ['漏', '在漏', '漏了', '泄漏', '泄露', '喷气', '冒气', '往外冒气', '呼呼', '嗤嗤', 'leak', 'leaking', 'hissing', 'hiss', 'roaring', 'whooshing'];
/** Said of a gas pipe, any of these is a leak. */
const PIPE_BROKEN = [
  '裂了', '裂开', '破了', '断了', '断裂', '挖断', '挖破', '挖坏', '撞断', '撞坏', '咬破', 'cracked', 'damaged', 'broken', 'cut', 'hit', 'ruptured', 'severed',
];
const WATER_PIPE = [
  '水管', '自来水管', '主水管', '总水管', '供水管', '进水管', '管子', '总管', '水表', '接头', '管道', '消防栓', 'pipe', 'water main', 'main', 'hydrant',
];
/** A crack that seeps is not a burst: "裂了" alone is left out on purpose. */
const BURST = ['爆', '爆了', '爆裂', '爆列', '破裂', '破了', '崩开', '崩了', '撞断', '撞坏', '撞爆', 'burst', 'broke', 'broken'];
const FLOOD = [
  '淹', '淹了', '淹到', '全淹了', '进水了', '往外喷', '喷出来', '喷得老高', '喷水', '水漫', '漫到', '往下灌', '到处都是', '全是水', '都是水', '一地的水', '水还在涨', '往上涨', '越来越深', '往屋里灌', '往家里灌', '往里灌', '灌进', '灌进来', 'flooding',
  'flooded', 'flood', 'pouring', 'gushing', 'everywhere', 'rising', 'spraying', 'filling up', 'ankle deep',
  'knee deep',
];
const HEATING_PIPE = [
  '暖气管子', '暖气水管', '供暖管子', '暖气片子', '热水管', '热力管', '供暖管', 'radiator pipe',
  '暖气片', '暖气管', '暖气管道', '暖气主管', '供热管', '供热管网', '热力管道', '地暖管', '暖气阀门', 'radiator', 'heating pipe',
];
const HEATING = [
  '暖气', '暖气片', '供暖', '供热', '地暖', '暖气管', '热力公司', '换热站', '供热站', '采暖', '集中供暖', '供热管网',
  '分水器', '回水管', '暖气管道', '暖气主管', '供热管', '热力管道', '地暖管', '暖气阀门', '锅炉',
  'radiator', 'heating', 'central heating', 'boiler', 'furnace', 'heater',
];
const LIFT = ['电梯', '轿厢', '扶梯', '自动扶梯', '货梯', '直梯', '客梯', '升降梯', '观光梯', 'lift', 'elevator', 'escalator'];
const INSIDE_STUCK = [
  '困', '被困', '困住', '困着', '关在', '被关', '关着', '关住', '锁在里面', '在里面', 'is inside', 'are inside', 'still inside', '卡住', '卡在', '出不来', '出不去', '里面有人',
  '有人在里面', '里面有', '里面有个', '里面有人', '卡在', '卡到', '停在半空', '喊救命', '夹住', '夹着', '卷进去', '夹了', 'stuck',
  'trapped', 'someone inside', 'people inside', 'between floors',
];
const BROKEN = [
  '坏', '坏了', '停运', '不动', '失灵', '关不上', '又坏', '故障', '停了', '都停了', '不走', '不运行', '不能用', '用不了', '乱跑',
  'out of order', 'out of service', 'broken', 'not working', 'stopped',
];
const WIRE = ['电线', '高压线', '电缆', '线', '电线杆', '电杆', '线杆', 'power line', 'wire', 'cable', 'pole'];
const WIRE_DOWN = [
  '断', '断了', '掉', '掉下来', '掉在', '垂', '耷拉', '刮断', '泡着', '倒了', '倒', '歪', '撞歪', 'down', 'downed', 'fallen',
  'puddle', 'came down', 'fell', '挖断', '挖破', '撞断', 'on the road', 'on a car', 'on the car', 'hanging', 'dangling', 'lying',
];
const CHILD_OR_ELDER = [
  '孩子', '小孩', '儿子', '女儿', '老人', '老太太', '老头', '奶奶', '爷爷', '俺爹', '俺娘', '我爸', '我妈', 'son', 'daughter', 'child',
  'kid', 'mother', 'father', '老年痴呆', '痴呆', '智障', 'dementia', '我爹', '我娘', '闺女', '老伴', '老公', '老婆', '学生',
  'wife', 'husband', 'grandma', 'grandpa', 'grandmother', 'grandfather',
];
const MISSING = [
  '走丢', '走失', '失踪', '不见了', 'missing', "didn't come home", "hasn't come home", 'wandered off', 'last seen',
];
/** Only a missing person when said of one: "找不到阀门" is not. */
const UNREACHABLE = ['没回家', '没回来', '找不到', '没找到', '联系不上', '打不通'];

/** What goes wrong with a utility meter: a routine job for that utility. */
const METER_FAULT = [
  '玻璃', '碎了', '坏了', '不显示', '屏幕', '黑屏', '电池', '没电池', '不走', '乱走', '倒转', '看不清', '换', '换一个', '读数', '数字',
  '滴滴', '滴滴叫', '滴滴响', '叫', '门', '门锁', '锁', '盖子', '关不上', 'broken', 'cracked', 'display', 'screen', 'battery', 'beeping',
];
/** Things a person can hit someone with: in a fight they make it a P1. */
const WEAPONS = [
  '刀', '菜刀', '砖头', '板砖', '酒瓶', '啤酒瓶', '瓶子', '铁锹', '斧头', '钢管', '铁棍', '棍子', '棒球棒', '匕首', '剪刀', '锤子', '榔头',
  '扳手', '石头', 'brick', 'bat', 'bottle', 'hammer', 'pipe', 'axe', 'crowbar',
];

export const CUES: readonly Cue[] = [
  // ---- gas -----------------------------------------------------------------------------------
  ...topic('gas', 2, GAS),
  combo('gas', 'P1', 3, [GAS, SMELL]),
  combo('gas', 'P1', 3, [GAS, LEAKING]),
  combo('gas', 'P1', 3, [GAS_PIPE, PIPE_BROKEN], 3),
  ...problem('gas', 'P1', 3, GAS_SMELL),
  // A smell filling a room, with no other source named, is how most gas leaks are reported.
  combo('gas', 'P1', 2, [
    ['厨房', '屋里', '满屋', '满屋子', '一屋子', '整个屋', '楼道', '楼道里', '楼梯间', 'kitchen', 'hallway', 'stairwell', 'flat', 'apartment'],
    ['味', '气味', '味道', '怪味', '味儿', '有味', '一股味', 'smell', 'smells', 'smelling'],
  ], 3),
  // A strange smell indoors that makes people dizzy, or that follows a bang, is gas until shown otherwise.
  combo('gas', 'P1', 3, [
    ['味', '味道', '气味', '怪味', '味儿', '一股味', '一股子味', 'smell', 'smells'],
    ['头晕', '头疼', '恶心', '想吐', '犯困', '砰', '一声巨响', '炸了', 'dizzy', 'headache', 'nauseous', 'bang'],
  ]),
  // The flame blown out by a pot boiling over leaves the gas running.
  ...problem('gas', 'P1', 2, ['忘关火', '火浇灭', '浇灭', '溢出来', '扑灭了火', '忘了关火', '没关火']),
  combo('gas', 'P1', 3, [['报警器', '燃气报警器', '煤气报警器', 'alarm'], ['响', '在响', '一直响', '叫', '在叫', '一直叫', '鸣', '报警', '滴滴', 'going off', 'beeping']]),
  ...problem('gas', 'P1', 3, [
    '漏气', '跑气', '串气', '漏燃气', '嘶嘶', '呲呲', '一氧化碳', '煤气中毒', 'carbon monoxide', 'gas leak',
  ]),
  ...problem('gas', 'P3', 2, ['打不着火', '点不着', '打不着', '没点着', '点火', '气表', '燃气表坏', 'igniter']),
  // A flame that dies or stays tiny is a supply fault, not a fire ("打着火就灭" is no "着火").
  ...problem('gas', 'P2', 3, [
    '打着火就灭', '打着就灭', '点着就灭', '一打就灭', '着一下就灭', '火苗小', '火很小', '火太小', '火特别小', '火小', '饭都做不熟',
    '做不熟', '不来气', '没法做饭', '做不了饭', "won't light", "can't light",
  ]),
  ...topic('gas', 2, ['充气', '充的气', '插卡', '灶', '点不着火']),
  // Prepaid cards: topping up, losing or replacing one is that utility's business.
  ...topic('gas', 3, ['燃气卡', '气卡', '充气卡']),
  ...topic('power', 3, ['电卡', '电费卡', '购电卡']),
  ...problem('gas', 'P2', 2, ['火老是灭', '老是灭', '总是灭', '火老灭', '火一会儿有一会儿没']),
  // Moving or adding an installation is a routine job for the utility.
  combo('gas', 'P3', 2, [GAS, ['改', '改到', '挪', '挪个位置', '移', '移到', '安装', '开通', '过户', '改管', 'move', 'install']]),
  combo('power', 'P3', 2, [['电表', '电', '电线', '插座', 'electricity'], ['增容', '过户', '开户', '改线', '安装', 'install']], 3),
  ...problem('gas', 'P2', 3, [
    '停气', '没气', '没有气', '断气', '没燃气', '没有燃气', '不通气', '没法用气',
    'no gas', 'cut off', 'low gas pressure', 'barely light',
  ]),
  combo('gas', 'P2', 3, [GAS, [
    '停了', '断了', '都停了', '没有了', '没了', '突然断了', '压力特别小', '压力小', 'stopped', 'went off', 'is off', 'off',
  ]], 3),
  combo('gas', 'P2', 2, [GAS, ["can't cook", 'supply']]),
  // A utility's own meter or box is that utility's routine job, not emergency repair.
  combo('gas', 'P3', 8, [['燃气表', '气表', '燃气表箱', 'gas meter'], [...METER_FAULT]], 3),

  // ---- power ---------------------------------------------------------------------------------
  ...topic('power', 2, [
    '电线', '电缆', '变压器', '电表', '电表箱', '电箱', '配电箱', '配电房', '电闸', '总闸', '插座', '路灯', '声控灯',
    '电压', '供电', '供电局', '供电所', '电线杆', '高压线', '充电桩', '电工', '景观灯', '灯泡', '楼道灯', '变电站',
    '箱式变电站', '三相电', '用电', '电费', '变电箱', '电房', '短路', '电杆',
    'electricity', 'electrical', 'power', 'transformer', 'breaker', 'street light', 'streetlight', 'lamp',
    'power line', 'electricity meter', 'fuse box', 'fuse', 'consumer unit',
  ]),
  ...topic('power', 1, ['灯', '不亮', '电器', '充电', 'light', 'wire', '电']),
  ...topic('power', 2, ['制氧机', '呼吸机', '电灯', '路灯杆', 'bulb', 'light bulb', 'stairwell light',
    'hallway light', 'corridor light', '电路', '线路', '开关', '电线短路', 'socket', 'outlet']),
  combo('power', 'P3', 8, [['电表', '电表箱', '电箱', '配电箱', 'electricity meter'], METER_FAULT], 3),
  // The lift stopping because the power went is a power cut, not a lift fault.
  combo('power', 'P2', 3, [['停电', '没电', '断电', 'power cut', 'no power', 'outage'], LIFT]),
  // Water in switchgear, or a live part within reach, can kill.
  combo('power', 'P1', 3, [
    ['配电房', '配电箱', '电箱', '电表箱', '变压器', '电房', '插座', '电闸', '开关', '电线', 'socket', 'switch', 'fuse box'],
    ['进水', '进水了', '泡水', '泡了', '淹了', '淹', '泡着', '湿了', 'flooded', 'wet'],
  ]),
  combo('power', 'P1', 3, [['水', '进水', '泡', '淹', 'water'], ['带电', '有电', '还有电', '漏电', 'live']]),
  // Someone whose life depends on a machine turns an outage into a danger.
  combo('power', 'P1', 3, [['制氧机', '呼吸机', '氧气机', 'oxygen', 'ventilator'], ['停电', '没电', '断电', 'power cut', 'no power', 'outage']]),
  ...topic('power', 2, ['一闪一闪', '闪', '闪烁', 'flicker', 'flickering']),
  combo('power', 'P1', 3, [WIRE, ['树', '树枝', '大树', '搭在', 'tree', 'branch']]),
  combo('power', 'P1', 3, [WIRE, WIRE_DOWN]),
  combo('power', 'P1', 3, [[...WIRE, '电缆井', 'cable pit'], [
    '打火', '在打火', '打火花', '冒火', '外皮破', '外皮都破', '破皮', '裸露', '露着', '露出来', '铜线', 'crackling', 'arcing', 'exposed', 'bare',
  ]], 4),
  ...problem('power', 'P1', 3, [
    '冒火花', '火花', '电火花', '火星子', '火星', '冒火', '触电', '电着了', '电到', '电倒', '电晕', '电伤', '电击', '被电击', '漏电', '噼啪', '噼里啪啦',
    'spark', 'sparking', 'electric shock', 'electrocuted', 'electrocution', 'got a shock', 'got a bad shock', 'got shocked', 'live wire',
  ]),
  ...problem('power', 'P2', 2, ['电压忽高忽低', '烧坏', '烧坏了', '烧了', '电器烧了', '灯忽明忽暗', '忽明忽暗']),
  combo('power', 'P2', 3, [['电闸', '闸', '总闸', '空开', '漏保', '开关', 'breaker', 'fuse'], ['跳', '老是跳', '一直跳', '跳了', '就跳', 'trips', 'tripping', 'tripped', 'keeps tripping']], 3),
  combo('power', 'P2', 3, [['电', '电表', '电路'], ['断了', '停了', '没了', '掐了', '被断', '断']], 1),
  ...problem('power', 'P2', 3, [
    '停电', '断电', '没电', '没有电', '跳闸', '跳匝', '推不上去', '时有时无', '缺了一相', '缺相', '电压不稳', '不稳',
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
  ...topic('water', 1.5, ['漏水', '渗水', '滴水', '冒水', '水', 'pipe', 'leak', 'leaking', '淌水', '积水', '水漫金山']),
  combo('water', 'P3', 8, [['水表', '水表箱', '水表井', 'water meter'], METER_FAULT], 3),
  ...topic('water', 2, ['水压低', 'water pressure', 'low pressure', 'shower']),
  ...problem('water', 'P2', 2, [
    '冻裂', '冻裂了', '冻爆', '淌了一地', '流了一地', '漏了一地', '一地水', '地上都是水', '满地是水', '满地都是水', '关不住', '地都湿了', '湿了一大片', '结冰了',
    '止不住', '拿盆接', '往外渗', '往外冒', 'water everywhere',
  ]),
  combo('water', 'P1', 3, [WATER_PIPE, BURST]),
  combo('water', 'P2', 3, [WATER_PIPE, ['裂了', '裂开', '裂口', '口子', '裂缝', '裂', 'cracked', 'crack']], 3),
  combo('water', 'P1', 3, [['水', '水管', '自来水', 'water', '消防栓'], FLOOD]),
  ...problem('water', 'P1', 2, ['水管爆', '爆管', '水柱', 'burst pipe', 'water main burst']),
  ...problem('water', 'P2', 3, [
    '停水', '断水', '没水', '没有水', '没自来水', '没有自来水', '不出水', '没来水', '水都上不来',
    'no water', 'no running water', 'no water pressure',
  ]),
  combo('water', 'P2', 3, [['水', '自来水', '滴水'], ['没了', '没有了', '停了', '都没有', '都没有了']], 2),
  combo('water', 'P2', 2, [['水', '自来水', '水龙头', 'water', 'tap'], [
    '发黄', '黄色', '黄的', '浑浊', '浑', '泥汤', '发臭', '臭', '消毒水味', '铁锈味', '汽油味', '虫子', '红虫', '红虫子', '虫', '沙子', '黑色', '白色', '黑的',
    '黑水', '黄水', '红色', '锈', '铁锈', '有味', '怪味', '下水道味', '味儿', '异味', '一股味', '腥味', '柴油味', '漂白粉味',
    'brown', 'black', 'yellow', 'dirty', 'cloudy', 'rusty', 'tastes', 'taste', 'smells', 'diesel', 'smell', 'murky',
  ]], 6),
  ...problem('water', 'P2', 2, [
    '往上冒', '粪水', '污水井', '返水', '脏水', '倒灌', '堵了', '堵住', '渗到楼下', '漏到楼下', '往下滴水', '往下流', '漏得挺厉害',
    'backing up', 'sewage',
  ]),
  ...problem('water', 'P3', 2, ['计划停水']),

  // ---- heating -------------------------------------------------------------------------------
  ...topic('heating', 3, HEATING),
  combo('heating', 'P1', 3, [HEATING_PIPE, [...BURST, '炸', '炸了', '喷', '喷出来', '往外喷', '流了一地', 'gushing', 'flooding']]),
  // A burst that lets out hot water or steam is the heating's, though a water-pipe cue matches it too.
  combo('heating', 'P1', 4, [[...BURST, '往外喷', '喷出来', 'gushing', 'everywhere'], [
    '滚烫', '烫', '烫着', '热水', '热气', '冒热气', '蒸汽', '白汽', 'hot water', 'boiling', 'scalding', 'steam',
  ]]),
  // Hot water escaping from the heating scalds and floods.
  combo('heating', 'P1', 3, [['热水', '开水', '烫水', 'hot water'], ['冒', '冒出来', '喷', '喷出来', '往外喷', '往外冒', '往外', '流', '漏', 'gushing', 'pouring']]),
  ...problem('heating', 'P1', 2, ['滚烫', '烫水', '蒸汽', '白汽', 'scalding', 'scalded', 'steam', 'boiling water']),
  ...problem('heating', 'P2', 3, [
    '不热', '冰凉', '凉冰冰', '全凉', '冻得', '冻死', '冻住', '没暖气', '没有暖气', '停暖', '没供暖', '不给热',
    'no heat', 'no heating', 'ice cold', 'stone cold', 'freezing', 'not working', 'stopped working', 'minus',
    "haven't worked", "hasn't worked", "isn't working", "aren't working", "doesn't work", "don't work", 'below zero',
    '不来暖气', '没来暖气', '还不来暖气', '不供暖', '冰窖', '冰窟窿', '冻手', '冻脚', '穿羽绒服', '穿棉袄', '穿大衣', '不正常', '温吞吞',
    '温乎', '温的', '半温', '不暖和', '不暖', '跟没开一样', '跟没有一样', 'not warm', 'barely warm',
  ]),
  combo('heating', 'P2', 2, [['温度', '热乎气', '热气', 'warmth'], ['没有', '都没有', '没', 'no']], 2),
  ...problem('heating', 'P2', 0.5, ['冷', '好冷', '很冷', '太冷', '冷死', '零下', 'cold']),
  combo('heating', 'P2', 3, [HEATING, ['停了', '都停了', '全停了', '断了', '凉', '不work', 'off', 'down']], 4),
  ...problem('heating', 'P3', 2, ['不太热', '有点凉', '忽高忽低', '时冷时热', '时热时不热', '放气', '太热', 'lukewarm', '有气', '排气', '有空气', '水声', '咕噜', '咕噜咕噜', '咕咚']),

  // ---- emergency repair ----------------------------------------------------------------------
  ...topic('repair', 2, [
    '电梯', '轿厢', '直梯', '客梯', '升降梯', '观光梯', '门锁', '锁芯', '防盗门', '单元门', '入户门', '卷帘门', '防火门', '闭门器', '门禁', '合页',
    '井盖', '路面', '窟窿', '围墙', '外墙', '墙皮', '瓷砖', '阳台', '栏杆', '护栏', '扶手', '脚手架',
    '广告牌', '大树', '树枝', '行道树', '窗户', '玻璃', '钥匙', '地砖', '台阶', '减速带', '路牌', '长椅', '健身器材',
    '信报箱', '天花板', '石膏板', '屋顶', '房顶', '棚顶', '瓦片', '围挡', '裂缝', '把手',
    'lift', 'elevator', 'door', 'lock', 'manhole', 'pothole', 'tree', 'branch', 'roof', 'wall', 'window',
    'sinkhole', 'railing', 'mailbox', 'balcony', 'ceiling', 'facade', 'scaffolding', '道闸', '雨棚', '遮阳棚', '棚子', '铁架子',
    '招牌', '空调外机', '花盆', '幕墙', '防水层', '屋面', '排水沟', '雨水篦子', '篦子', '桥梁',
    'drain cover', 'sidewalk', 'pavement', 'gate', 'stairs', 'staircase', 'sign', 'billboard', 'awning',
  ]),
  // Something hanging over people that has started to move.
  combo('repair', 'P1', 3, [
    ['广告牌', '招牌', '空调外机', '花盆', '雨棚', '遮阳棚', '脚手架', '铁架子', '外墙', '墙皮', '瓷砖', '玻璃', '窗户', '幕墙', '玻璃幕墙', 'sign', 'billboard', 'glass',
      'scaffolding', 'air conditioner'],
    ['晃', '晃悠', '摇晃', '晃荡', '松动', '螺丝掉', '螺丝都掉', '要掉', '快掉', '悬着', '吊着', '松的', '还有松的', '松了', 'swaying', 'loose', 'wobbling', 'hanging'],
  ]),
  ...problem('repair', 'P2', 2, ['掀了', '掀翻', '掀开', '刮跑', '吹跑', '刮飞', '吹飞', '刮碎', '吹碎', '往屋里灌', '雨往屋里']),
  ...problem('repair', 'P3', 2, ['碎了', '有点歪', '歪了', '倾斜', '小坑', '坑洼', '坑坑洼洼', '有点松', '晃', '不好关', 'wobbly', 'loose']),
  combo('repair', 'P2', 3, [['井盖', '下水道盖', '雨水篦子', '篦子', 'manhole', 'drain cover'], ['烂了', '破了', '碎了', '松了', '松动', '翻起来', '咣当', '响', '坏了', 'loose', 'broken', 'cracked']], 3),
  // Lift doors open on an empty shaft.
  combo('repair', 'P1', 3, [LIFT, ['门开着', '没有轿厢', '没轿厢', '黑洞洞', '井道', '空的', 'open shaft', 'doors open']]),
  ...topic('repair', 1, ['门', '锁', '树', '坑', '墙', '桥', '路', '楼梯', 'road', '往下掉渣', '撞歪', '松了', '松动', '砖', '不好开']),
  ...topic('repair', 2, ['花坛']),
  ...topic('repair', 1, ['生锈', '锈住', '锈死', 'rusty', '人行道', '便道']),
  combo('repair', 'P1', 3, [LIFT, INSIDE_STUCK]),
  combo('repair', 'P1', 3, [
    ['井盖', 'manhole', 'manhole cover'],
    ['没了', '丢', '丢了', '不见', '不见了', '被偷', '偷了', '翻了', '没有', '掉进去', 'missing', 'gone', 'open', 'stolen'],
  ]),
  combo('repair', 'P1', 3, [['门', '门锁', '锁', '反锁'], ['孩子', '小孩', '婴儿', '老人'], ['在屋里', '一个人在', '在里面']]),
  ...harming('injury', problem('repair', 'P1', 3, [
    '塌', '塌了', '塌陷', '坍塌', '垮', '冲垮', '要塌', '压塌', '往下掉', '摇摇欲坠', '随时会掉', '随时可能掉', '要掉下来',
    '踩空', '掉下去', '掉进去', '滑坡', '落石', '塌下来', '塌下', '倒塌', '塌方', '大裂缝', '大缝',
    '裂开了', '快掉了', '要掉了', '快掉下来',
    'caved in', 'collapse', 'collapsed', 'falling down', 'collapsing', 'caving in', 'about to collapse', 'sinkhole opening',
  ])),
  // An open pit where people walk: children beside it, or a vehicle already in it.
  ...harming('injury', [
    combo('repair', 'P1', 3, [['化粪池', '窨井', '污水井', '下水井', '大口子', '大洞', '露着', '敞着', '没盖', 'open pit', 'open hole'], ['孩子', '小孩', '孩子们', '小朋友', '老人', 'kids', 'children', 'child']]),
    combo('repair', 'P1', 3, [['sinkhole', '塌陷', '地陷', '大坑'], ['car', 'vehicle', 'someone', 'person', 'half in', 'swallowed', 'fell in', '车', '人', '掉进', '陷进']]),
  ]),
  combo('repair', 'P1', 3, [
    ['balcony', 'wall', 'roof', 'ceiling', 'facade', 'tile', 'piece', 'brick', 'glass', 'sign', 'scaffolding', 'window'],
    ['falling', 'crumbling', 'collapsing', 'about to fall', 'coming down', 'came down'],
  ]),
  combo('repair', 'P2', 3, [LIFT, BROKEN]),
  ...problem('repair', 'P2', 2, ['关不上']),
  combo('repair', 'P2', 3, [['门锁', '锁', '锁芯', '防盗门', '单元门', '入户门', 'lock'], ['坏了', '坏', '打不开', 'broken']], 1),
  // A wall or a building coming down can bury someone; "没砸着人" makes it urgent only.
  ...harming('injury', [combo('repair', 'P1', 3, [['墙', '围墙', '院墙', '外墙', '房子', '屋顶', '天花板', '棚顶', 'wall', 'roof', 'ceiling'], ['倒了', '倒', '倒塌', '塌了', '塌']], 2)]),
  // A bare "断了" could be a wire, a pipe or a branch: it names a fault but not which.
  ...problem('repair', 'P2', 1.5, ['断了']),
  ...problem('repair', 'P2', 3, [
    '锁坏了', '打不开', '进不去', '进不去家', '锁在门外', '锁在外面', '钥匙丢了', '钥匙断', '插不进去', '锁住了',
    '挡着路', '挡路', '过不去', '出不去', '刮倒', '倒在', '倒了', '吹裂', '要倒', '冲倒', '掉了一块',
    '上不了楼', '下不来', '漏雨', '绊倒', '掉下来', '大坑',
    'locked out', 'key broke', 'key snapped', 'key broke in the lock', 'key is stuck', 'blocking', "can't get through", 'out of order', 'fell', 'fallen', 'came down',
  ]),


  // ---- police --------------------------------------------------------------------------------
  ...topic('police', 2, ['报警', '报案', '立案', '举报', '民警', '警察', '派出所', '监控', 'police', 'report']),
  combo('police', 'P3', 2, [['声音', '音乐', '动静'], ['很大', '太大', '大', '特别大', '好大']], 2),
  // Nuisance: noise at night, neighbours, street trade.
  ...problem('police', 'P3', 2, [
    '喇叭', '大喇叭', '循环播放', '叫唤', '狗叫', '犬吠', '放炮', '放鞭炮', '鞭炮', '炮仗', '电钻', '打电钻', '砸墙', '划拳',
    '打麻将', '麻将', '吵吵嚷嚷', '吵吵', '唱歌', 'k歌', 'ktv', '音响', '小卡片', '共享单车', '涂鸦', '乱涂乱画', '说了几次', '说了几回', '说了好几次', '说了也不听', '塞卡片', '狗屎', '狗粪', '随地大小便', '遛狗',
    'car alarm', 'swear', 'swearing', 'poop', 'karaoke', 'spray painted', 'spray paint', 'speaker', 'drilling', 'renovation',
    '点链接', '链接', '诈骗短信', '钓鱼', '垃圾短信',
  ]),
  ...topic('police', 1, [
    '音乐', '半夜', '后半夜', '凌晨', '烧烤摊', '听得见', '喝酒', '短信', '睡不着', '装修', '邻居', 'till midnight', 'all night', 'neighbor',
    'neighbour',
  ]),
  ...topic('police', 1, ['证件', '钱包', '银行卡', 'wallet']),
  ...problem('police', 'P1', 3, [
    '持刀', '拿刀', '拿着刀', '菜刀', '刀', '砍', '捅', '枪', '抢劫', '打架', '打群架', '群殴', '围殴', '打人', '打我',
    '打老婆', '打她', '打他', '在打', '家暴', '动手', '动了刀', '打起来', '跳楼', '往下跳', '要跳', '自杀', '翻车', '车翻', '绑架', '拐',
    '抱走', '带走', '扣在', '不放人', '炸弹', '纵火', '放火', '入室', '进贼', '撬锁', '撬门', '闯入', '砸门', '踹门', '杀了', '砍人',
    '撞人', '撞倒', '冲进人群', '斗殴', '殴打', '打架斗殴', '持械', '棍子', '铁棍', '棍棒', '猥亵', '强奸', '人贩子', '拐卖',
    '离家出走', '劫持', '人质', '拉走', '拽走', '强行带走', 'abducted', 'took my child', '跟踪', '跟着我', '不让我下车', '要出人命', '按在地上', '推下',
    '硬拽', '拽上', '拖上车', '拽上车', '塞进车', '抢孩子', '不想活', '不想活了', '轻生', '寻死', '想不开', '遗书', '割腕', '安眠药',
    '跳河', '上吊', "doesn't want to live", 'want to die', 'kill herself', 'kill himself', 'kill myself', 'suicide', 'suicidal',
    '泼汽油', '汽油', '汽油桶', '要点了', '点了房子', '烧死', '同归于尽', '躲在', '躲起来', '藏在', '躲着', 'hiding', 'hide',
    'someone in my', 'someone inside my', 'petrol', 'gasoline', 'set fire', 'arson', '踢门', '拧门把手', '拧我家门把手',
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
  // A break-in happening now, not the marks of one found later.
  combo('police', 'P1', 3, [['有人', '正在', '正', '还在', 'someone'], ['撬', '撬门', '撬锁', '砸门', '踹门', '砸窗', '翻窗', '爬窗', '翻墙']], 2),
  // Armed, or chasing someone down: violence in progress.
  combo('police', 'P1', 3, [['拿', '拿着', '拎着', '举着', '抡', '抡着', '持', 'with a', 'holding', 'waving'], WEAPONS], 2),
  combo('police', 'P1', 3, [['追着', '追', '追着跑', 'chasing', 'chased'], ['打', '砍', '捅', '砸', '要打', 'hit', 'beat']], 5),
  // A person hit by a vehicle.
  ...problem('police', 'P1', 3, ['被车撞', '被车撞了', '被撞倒', '被车刮倒', '被车压', '轧了', '碾了', '压在车底', 'under the wheel', 'run over', 'hit by a car', 'knocked down']),
  combo('police', 'P1', 2, [['车', '汽车', '货车', '大货车', '电动车', '摩托车', '三轮车', 'car', 'truck', 'bus'], ['撞倒', '刮倒', '压着', '压住', '撞飞']], 4),
  ...problem('police', 'P1', 2, MISSING),
  ...problem('police', 'P2', 3, [
    '偷', '被偷', '偷了', '偷走', '盗', '盗刷', '扒', '顺走', '骗', '被骗', '诈骗', '骗子', '追尾', '刮蹭', '蹭倒',
    '肇事', '闹事', '醉汉', '喝醉', '吵架', '吵起来', '推搡', '推我', '骂人', '逆行', '抛锚', '霸王餐', '撬', '撬痕',
    '保护费', '传销', '抢', '抢包', '被打', '咬', '暴露', '威胁', '扔石头', '车祸', '撞车',
    '扎胎', '快打起来', '挨家挨户', '可疑', '不像好人', '跑了', '逃逸', '逃跑', '偷偷', '偷拍', '拉车门', '小偷', '泼油漆',
    '泼了', '骑走', '开走', '拿走', '划了', '划车', '刮花', '形迹可疑',
    '鬼鬼祟祟', '陌生人',
    '弄死', '整死', '打死你', '杀了你', '要杀', '砍死', '喝了酒', '喝多了', '酒后', '发酒疯', '撒酒疯', '堵着我', '堵在门口', '堵我',
    '安全账户', '洗钱', '刷单', '转账', '转到', '转给', '汇款', '扣走', '被扣', '拉黑', '备用金', '培训费', '冒充', '公检法', '涉嫌',
    '勒索', '敲诈', '挨打', '取钱', '被取走', '盗用', '被盗用', '挨了', '霸凌', '欺负', '抢钱', '裙底', '拍裙底', '偷看', '露下体', '高利贷', '讨债', '催债', '催收',
    '油漆', '红油漆', '泼粪', '偷电瓶', '剪断锁', '被人偷', 'blackmail', 'extort', 'bully', 'bullied', 'upskirt', 'peeping',
    'threatened', 'threatens', 'kill me',
    '盗窃', '被盗', '失窃', '抢走', '交通事故', '事故', '酒驾', '醉驾', '寻衅滋事', '耍流氓', '性骚扰', '骚扰',
    'stolen', 'stole', 'steal', 'theft', 'thief', 'scammed', 'scam', 'fraud', 'pickpocket', 'smashed',
    'rear-ended', 'rear', 'accident', 'crash', 'drunk', 'harass', 'following', 'hit and run', 'banging', 'suspicious',
    'ran off', 'drove off', 'slashed', 'slashed tires', 'slashed tyres', 'acting strangely', 'strange man', 'scratched', 'mugged', 'robbed', 'shoplifter',
    'shoplifting', 'vandal', 'vandalism', 'threatening',
  ]),
  combo('police', 'P2', 3, [['被', '挨'], ['打', '打了', '撞', '撞了', '骗', '骗了', '抢', '抢了', '偷', '偷了']], 2),
  ...phrases('police', 1.5, 'P2', ['撞', '撞了', '被撞', 'hit']),
  // A vehicle into people is violence or a casualty, whatever the driver meant.
  combo('police', 'P1', 3, [['撞', '撞了', '撞倒', '撞伤', '碾', '开车撞', 'ran over', 'drove into'], ['人', '好几个人', '行人', '路人', '老人', '孩子', '小孩', 'people', 'pedestrian', 'crowd']], 2),
  // Things thrown or smashed: urgent because they can hit someone, routine when they did not.
  ...harming('injury', problem('police', 'P2', 3, ['砸', '砸了', '砸碎', '砸坏', '砸烂', '高空抛物', '往下扔'])),
  ...problem('police', 'P3', 2, [
    '噪音', '太吵', '很吵', '吵', '吵得', '大声', '违章停车', '违停', '占道', '摆摊', '小广告', '乱倒垃圾', '烟花',
    '不牵绳', '炸街', '赌', '赌钱', '乞丐', '黑车', '冒领', '丢了', '捡到', '消防通道', '广场舞', '贴了条', '拉客',
    '乱停', '诈骗电话', '打鸣', '骂他', '冒用', '未成年人', '烧纸', '有意见', '吵到', '吵死', '吵醒', '扰民', '咚咚', '咚咚咚',
    '跑跳', '扔垃圾', '拖走',
    'noise', 'noisy', 'loud', 'party', 'music', 'parking', 'parked', 'graffiti', 'dumping', 'abandoned', 'lost',
    'harassing', 'keyed', 'barking', 'bark', 'barked', 'fireworks',
  ]),

  // Someone kicking or smashing at the caller's own door right now: an attack, not a repair.
  combo('police', 'P1', 3, [['踹', '踢', '砸', '撬', '撞', 'kicking', 'smashing'], ['我家门', '家门', '房门', '门', '防盗门', 'door']], 2),
  // Held somewhere against one's will, or driven off: a crime in progress.
  ...problem('police', 'P1', 3, ['被关起来', '关起来了', '被锁在屋里', '被囚禁', '囚禁', '非法拘禁', '不放我走', '不让她走', '不让他走',
    'locked me in', "won't let me leave", "won't let me out", 'being held', 'held against']),
  combo('police', 'P1', 3, [['关在', '锁在', '被关'], ['屋里', '房间', '屋子', '一个屋', '一间屋', '地下室', '仓库', 'room', 'basement']], 3),
  combo('police', 'P1', 3, [['司机', 'driver'], ['不停', '也不停', '不让下车', '往郊区', '不往', '绕到', '偏僻', "won't stop", "won't let me out", 'wrong way']], 8),
  // A person at a drop: on a ledge, a window sill, a roof edge.
  combo('police', 'P1', 3, [['坐在', '站在', '爬到', '爬上', '蹲在', '骑在', '趴在', 'sitting on', 'standing on', 'sitting outside', 'climbed onto', 'on the edge'],
    ['窗户外', '窗外', '窗台', '窗户外头', '窗户外面', '楼顶', '天台', '楼边', '栏杆外', '护栏外', '桥栏杆', '边上', 'ledge', 'window', 'roof', 'railing', 'edge']], 4),
  ...problem('police', 'P1', 3, ['jump off', 'jump from', 'going to jump', 'threatening to jump', 'about to jump', 'wants to jump']),
  // Someone or something in the water: drowning is a police rescue, whoever called.
  ...problem('police', 'P1', 3, ['掉水里', '掉河里', '掉湖里', '掉进河里', '掉进水里', '掉进湖里', '落水', '溺水', '冲进河里', '开进河里', '掉江里', '掉海里', '在水里扑腾', '扑腾',
    'fell into the river', 'fell in the river', 'fell into the water', 'fell in the water', 'into the river', 'into the lake', 'drowning', 'sinking', 'went under']),
  // A child lost, said plainly.
  combo('police', 'P1', 3, [CHILD_OR_ELDER, ['丢了', '找不着', '找不见', '看不见了', '没影了', 'lost', 'gone', "can't find"]], 2),

  // ---- danger without a service ----------------------------------------------------------------
  // Fire, injury and being trapped are P1 whatever the service; the rest of the call says which.
  ...danger('police', [
    '着火', '起火', '失火', '火灾', '火苗窜', '窜火苗', '蹿火苗', '冒火苗', '火光', '烧起来', '烧着', '着了', '浓烟', '黑烟', '爆炸',
    '受伤', '伤者', '流血', '血', '重伤', '伤得很重', '倒地', '躺在地上', '昏迷', '晕倒', '打晕', '没反应', '口吐白沫',
    '不省人事', '没有呼吸', '呼吸困难', '中毒', '窒息', '救命', '快来人', '救护车', '烫伤', '头晕', '迷糊', '哮喘', '砸伤',
    '打伤', '砍伤', '撞伤', '伤人',
    'fire', 'smoke', 'flames', 'explosion', 'exploded', 'blew up', 'hurt', 'injured', 'injury',
    'bleeding', 'unconscious', 'not breathing', 'fainted', 'lying on the ground', 'dizzy', 'asthma', 'panic attack',
    'not responding', 'unresponsive', 'chest pain', 'heart attack', 'seizure', 'choking', '心脏病', '胸口疼',
    '抽搐', '喘不上气', '吐血', '躺地上', '躺地上不动', '一动不动', '躺着不动', '叫不醒', '没知觉', '摔倒', '摔伤', '骨折',
    '快叫人', '叫救护车', '打120', '120', '救救', '出人命', '在烧', '烧着了', '冒黑烟', '火势', '一团火', '火球', '倒在地上', '倒在地', '倒在路边', '叫也不应', '喊也不应', '不应', '叫不答应', '没动静了',
    'ambulance', 'help me', 'collapsed on', 'passed out', 'not moving', "can't breathe",
    '没呼吸', '没了呼吸', '不喘气', '没心跳', '没脉搏', '叫不应', '人事不省', '休克', '大出血', '血流不止', '满身是血', '一地血',
    '头疼想吐', '头晕恶心', '恶心想吐', '头疼恶心', '晕乎乎',
    "isn't moving", 'is not moving', "isn't breathing", 'stopped breathing', 'no pulse', 'not waking', "won't wake", "can't wake", 'not conscious',
    'lost consciousness', 'bleeding heavily', 'lots of blood', 'covered in blood', 'vomiting', 'nauseous', 'headache',
  ]),
  // "没气了" of a person is death; of a stove only the supply.
  { ...combo('police', 'P1', 1, [['他', '她', '人', '老人', '孩子', '我爸', '我妈', '老头', '老太太', '爷爷', '奶奶', '小孩', '病人'], ['没气', '没气儿', '没了气']], 2),
    category: null, fallback: 'police' },
  // Said of a person beside a danger ("有哮喘" is a condition, "喘不上气" the emergency).
  ...phrases(null, 0, null, ['有哮喘', '有心脏病', '有高血压', '有糖尿病', '老哮喘', 'has asthma']),
  // Something fell on a person, or a person is inside what it fell on.
  { ...combo('repair', 'P1', 1, [['压住', '压到', '压在', '压着', '砸到', '砸中', '砸在', '砸伤', '压伤', 'pinned', 'crushed', 'landed on'], [
    '人', '路人', '行人', '老人', '孩子', '小孩', '工人', '有人', '腿', '我', '他', '她', '头', '脑袋', 'someone', 'me', 'him', 'her', 'people', 'person', 'man', 'woman', 'child',
  ]], 3), category: null, fallback: 'repair' },
  { ...combo('repair', 'P1', 1, [['车里', '车内', '车上', 'in the car', 'inside the car'], ['还有人', '好像还有人', '还有个人', 'still someone', 'someone still']], 2),
    category: null, fallback: 'repair' },
  ...danger('repair', ['被困', '困在', '出不来', 'trapped', "can't get out", '被压', '被压在', '压在下面', '压在底下', '掉进', '摔进', '掉下',
    '掉到', '卷进去', '夹住', '被夹', '卡住了脚', '脚卡', '掉坑里', '掉进坑', '掉井里', '掉进井',
    'stuck inside', 'locked in the car', 'locked inside the car', '锁在车里', '关在车里', '锁车里']),
  // Smoke or a burning smell warns of a fire; a caller who sees none ("火倒是没有") makes it urgent only.
  ...harming('fire', danger('police', ['冒烟', '焦糊味', '糊味', '烧焦', '焦味', '烧焦味', 'burning smell', 'smell of burning'])),
  // Rotten eggs is gas in the air, but a water complaint when said of the tap water.
  ...danger('gas', ['臭鸡蛋', '臭鸡蛋味']),
  // Someone who cannot get out is in danger, whoever's fault it is; the rest of the call says whose.
  { ...combo('police', 'P1', 1, [['人', '有人', '我们', '我', '老人', '孩子', 'people', 'someone'], ['出不来', '卡在车里', '困住', '困在', 'trapped']]),
    category: null, fallback: 'repair' },
  { ...combo('police', 'P1', 1, [['someone', 'rider', 'man', 'woman', 'child', 'kid', 'person', 'he', 'she', 'cyclist', 'boy', 'girl'], ['fell in', 'fell into', 'fell down']], 6),
    category: null, fallback: 'repair' },

  // ---- calls no unit can take ------------------------------------------------------------------
  ...phrases('unclassified', 3, null, [
    '社保', '社保卡', '公积金', '医保', '养老保险', '退休金', '失业金', '低保', '补贴', '居住证', '护照', '签证',
    '营业执照', '账单', '水费', '燃气费', '暖气费', '物业费', '话费', '缴费', '交费', '收费标准', '打错了', '打错',
    '按错了', '乱按', '亂按', '打着玩', '试一下', '天气', '几路车', '公交卡', '挂号', '疫苗', '驾照', '年检', '上牌',
    '离婚', '房产证', '图书馆', '门票', '快递到哪', '不给退', '宽带', '断网', '菜价', '垃圾分类',
    '桶装水', '送水', '纯净水', '矿泉水', '外卖', '送水工', '换水',
    '市长热线', '出租车', '学区', '接线员', '公租房', '老年卡', '补办', '聊天', '建议', '网上交', '户口', '落户', '办证',
    '手续', '政策', '充值', '客服', '网费', '结婚证', '网',
    'bill', 'statement', 'pension', 'tax', 'wrong number', 'opening hour', 'residence permit', 'feedback',
    'website', 'library', 'testing', 'hola', 'español', 'visa', 'passport', 'invoice', 'refund', 'payment',
    'licence', 'license', 'renew', 'permit', '通行证', '港澳', '限号', '补卡', '讲座', '堵不堵', '停车费', '怎么交钱',
  ]),
  // A bad line is said on real emergencies too ("信号不好，我们被关在电梯里了").
  ...phrases('unclassified', 1, null, ['投诉', '咨询', '办理', '怎么办理', 'question', '电视', '信号']),
  // Phrases that contain a cue but mean something else: "手机没电" is not a power cut.
  ...phrases(null, 0, null, [
    '在打电话', '打电话', '在打火', '手机没电', '手机快没电', '电池没电', '电瓶车', '电动车', '电暖器', '热水器', '报警器', '没电池', '换电池', '汽车报警器', '车的警报',
  ]),
];

/** Words that negate a cue when they come just before it: "没有煤气味", "nobody hurt". */
export const NEGATORS: ReadonlySet<string> = new Set([
  '没', '没有', '不', '无', '未', '别', '木有', '没得', '莫得', '冇', '并没有', '不再', '没再', '没人', '没有人', '并未',
  'no', 'not', 'never', 'nobody', 'none', 'without', "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "won't",
]);

/** Tokens that turn a following negator into something else: "不知道谁家漏气了" is still a leak. */
export const NEGATION_BLOCKERS: ReadonlySet<string> = new Set([
  '知道', '晓得', '清楚', '确定', '敢', '停', '断', '知', '管', '会', '能', '让', '给', '恢复',
  // "腰里别着枪": before the aspect particle 着 a negator is a verb (别着 is "tucked"), not "don't".
  '着',
]);

/** The problem is over: cues in the same scope no longer say it is urgent. */
export const RESOLVED: readonly string[] = [
  '修好了', '修好', '已经好了', '现在好了', '恢复了', '恢复正常', '来电了', '来水了', '来气了', '已经来电', '散了',
  '没味了', '没味道了', '没有味道了', '已经没有了', '已经没了', '灭了', '熄灭', '扑灭', '救出来了', '救出来', '已经出来了',
  '找到了', '已经走了', '处理好了', '解决了', '没事了', '接好了', '误报', '不冒了', '不漏了', '止住了', '看过了', '检查过了', '换好了',
  '味都没有了', '一点味都没有', '闻不到了',
  'fixed', 'restored', 'back on', 'is back', 'gone', 'got out', 'has stopped', 'have stopped', 'put out', 'all fine',
  'sorted', 'resolved', 'false alarm', 'found',
];

/** Words before a reassurance that make it a wish: "啥时候能修好", "赶紧恢复". */
export const UNRESOLVING: ReadonlySet<string> = new Set([
  '能', '才能', '可以', '会', '要', '赶紧', '尽快', '快点', '赶快', '早点', '帮', '帮忙', '给', '等', '希望', '什么时候', '多久', 'be', 'get', 'when',
]);

/** Nobody was hit or hurt: cues that warn of injury are one level less urgent. */
export const UNHURT: readonly string[] = [
  '没砸着人', '没砸到人', '没砸着', '没伤着人', '没伤到人', '没伤人', '没人受伤', '没有人受伤', '人没事', '人都没事', '没碰着人',
  'nobody hurt', 'nobody was hurt', 'no one hurt', 'no one was hurt', 'no one is hurt', 'nobody is hurt', 'no injuries', 'nobody injured',
];

/** No flames seen: a burning smell or smoke is then urgent, not a fire. */
export const NO_FIRE: readonly string[] = [
  '火倒是没有', '没有火', '没着火', '没有着火', '没起火', '没有明火', '没见着火', '没看见火', '没冒火', 'no fire', 'no flames',
];

/**
 * Traditional characters (callers from Hong Kong and Taiwan) paired with simplified ones, for the
 * characters the lexicon uses most; each is folded like a variant.
 */
const TRADITIONAL = [
  '電电', '線线', '來来', '氣气', '燈灯', '門门', '鎖锁', '樓楼', '報报', '車车', '殺杀', '槍枪', '搶抢', '竊窃', '傷伤', '著着',
  '燒烧', '煙烟', '沒没', '斷断', '壞坏', '熱热', '涼凉', '凍冻', '裡里', '裏里', '頭头', '說说', '爺爷', '媽妈', '兒儿', '開开', '關关',
  '還还', '這这', '個个', '們们', '現现', '發发', '會会', '讓让', '塊块', '護护', '險险', '緊紧', '難难', '過过', '進进', '層层', '廚厨',
  '壓压', '風风', '樹树', '費费', '錢钱', '點点', '嚴严', '腦脑', '暈晕', '燙烫', '輛辆', '駕驾', '騙骗', '詐诈', '盜盗', '鑰钥', '牆墙',
  '陽阳', '臺台', '聞闻', '爛烂', '噴喷', '觸触', '變变', '閘闸', '滅灭', '災灾', '醫医',
  '鬥斗', '歲岁', '見见', '聽听', '誰谁', '麼么', '幫帮', '趕赶', '鐘钟', '時时', '間间', '廁厕',
];

/**
 * Dialect, typos and homophones, rewritten to standard words before anything else: callers from
 * Henan and Shandong say "俺/恁/咋/木有", and pinyin input swaps homophones ("停点", "暖汽").
 */
export const VARIANTS: ReadonlyMap<string, string> = new Map([
  ['俺', '我'], ['恁', '你'], ['咋', '怎么'], ['啥', '什么'], ['木有', '没有'], ['木电', '没电'], ['木水', '没水'], ['木气', '没气'],
  ['没得', '没有'], ['莫得', '没有'], ['冇', '没有'], ['停点', '停电'], ['断点了', '断电了'], ['没点了', '没电了'],
  ['暖汽', '暖气'], ['煤汽', '煤气'], ['燃汽', '燃气'], ['电悌', '电梯'], ['电弟', '电梯'], ['暧气', '暖气'],
  ['以经', '已经'], ['己经', '已经'], ['卡再', '卡在'], ['困再', '困在'], ['关再', '关在'], ['里头', '里面'], ['闻着', '闻到'],
  ['搁', '在'], ['夜儿个', '昨天'], ['夜个', '昨天'], ['今黑', '今晚'], ['黑价', '晚上'], ['中不中', '行不行'], ['闺女', '女儿'],
  ['娃儿', '孩子'], ['小娃', '孩子'], ['妮儿', '女儿'], ['叫人偷', '被人偷'], ['叫人打', '被人打'], ['叫人骗', '被人骗'],
  ['叫车撞', '被车撞'], ['叫狗咬', '被狗咬'], ['噶', '的'], ['哩', '的'], ['跳匣', '跳闸'],
  // Henan "木" is "没" before a verb or a noun it negates; "木头", "树木" are left alone.
  ...['事', '人', '回', '动', '见', '法', '找', '伤', '味', '管', '接', '来'].map((c): [string, string] => [`木${c}`, `没${c}`]),
  ['叫人抢', '被人抢'], ['叫风刮', '被风刮'], ['叫挖掘机', '被挖掘机'], ['电揽', '电缆'], ['水笼头', '水龙头'], ['下水到', '下水道'], ['门把首', '门把手'],
  ...TRADITIONAL.map((pair): [string, string] => [pair.slice(0, pair.length / 2), pair.slice(pair.length / 2)]),
]);

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
  '别的屋都热', '别的屋都正常', '别的房间都热', '其他房间都热', '其他屋都热', '别的屋子都热', '其他房间正常', '别的屋正常', '就一个屋',
  '只有一个房间', '就一个房间', 'other rooms are fine', 'other rooms are warm',
];

/** Questions about a problem rather than reports of one. */
export const ENQUIRY: readonly string[] = [
  '想问', '想问问', '想问一下', '想问下', '请问', '咨询', '怎么申请', '能不能', '可以吗', '想申请', '想预约', '预约',
  'how do i', 'i want to ask', 'i\'d like to book', 'book', '备个案', '备案', '想备案', '登记一下', '记录一下', 'for the record',
];
