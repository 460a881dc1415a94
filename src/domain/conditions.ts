/**
 * The condition categories of the registration form (P2.3.3): the 28 severe conditions and the
 * 3 mild ones of the 2020 standard definitions for critical-illness insurance
 * (重大疾病保险的疾病定义使用规范（2020 年修订版）), in the standard's order, plus serious
 * accidental injury and any other major special circumstance. Codes are stable snake_case
 * English and are what the database and the API store; names are for display only.
 */

/** `severe`: the 28 severe conditions; `mild`: the 3 mild ones; `other`: outside the standard. */
export type ConditionGroup = 'severe' | 'mild' | 'other';

export interface ConditionCategory {
  code: string;
  group: ConditionGroup;
  zh: string;
  en: string;
}

/** Every category, in display order. */
export const CONDITION_CATEGORIES = [
  { code: 'severe_malignant_tumour', group: 'severe', zh: '恶性肿瘤——重度', en: 'Malignant tumour (severe)' },
  {
    code: 'severe_acute_myocardial_infarction',
    group: 'severe',
    zh: '较重急性心肌梗死',
    en: 'Acute myocardial infarction (severe)',
  },
  { code: 'severe_stroke_sequelae', group: 'severe', zh: '严重脑中风后遗症', en: 'Severe sequelae of stroke' },
  {
    code: 'major_organ_or_stem_cell_transplant',
    group: 'severe',
    zh: '重大器官移植术或造血干细胞移植术',
    en: 'Major organ transplant or haematopoietic stem cell transplant',
  },
  {
    code: 'coronary_artery_bypass_surgery',
    group: 'severe',
    zh: '冠状动脉搭桥术（或称冠状动脉旁路移植术）',
    en: 'Coronary artery bypass surgery (coronary artery bypass grafting)',
  },
  { code: 'severe_chronic_renal_failure', group: 'severe', zh: '严重慢性肾衰竭', en: 'Severe chronic renal failure' },
  { code: 'loss_of_multiple_limbs', group: 'severe', zh: '多个肢体缺失', en: 'Loss of multiple limbs' },
  {
    code: 'fulminant_or_subacute_severe_hepatitis',
    group: 'severe',
    zh: '急性重症肝炎或亚急性重症肝炎',
    en: 'Acute or subacute severe (fulminant) hepatitis',
  },
  {
    code: 'severe_benign_intracranial_tumour',
    group: 'severe',
    zh: '严重非恶性颅内肿瘤',
    en: 'Severe non-malignant intracranial tumour',
  },
  { code: 'severe_chronic_liver_failure', group: 'severe', zh: '严重慢性肝衰竭', en: 'Severe chronic liver failure' },
  {
    code: 'severe_encephalitis_or_meningitis_sequelae',
    group: 'severe',
    zh: '严重脑炎后遗症或严重脑膜炎后遗症',
    en: 'Severe sequelae of encephalitis or meningitis',
  },
  { code: 'deep_coma', group: 'severe', zh: '深度昏迷', en: 'Deep coma' },
  { code: 'deafness_both_ears', group: 'severe', zh: '双耳失聪', en: 'Deafness of both ears' },
  { code: 'blindness_both_eyes', group: 'severe', zh: '双目失明', en: 'Blindness of both eyes' },
  { code: 'paralysis', group: 'severe', zh: '瘫痪', en: 'Paralysis' },
  { code: 'heart_valve_surgery', group: 'severe', zh: '心脏瓣膜手术', en: 'Heart valve surgery' },
  { code: 'severe_alzheimers_disease', group: 'severe', zh: '严重阿尔茨海默病', en: "Severe Alzheimer's disease" },
  { code: 'severe_brain_injury', group: 'severe', zh: '严重脑损伤', en: 'Severe brain injury' },
  {
    code: 'severe_primary_parkinsons_disease',
    group: 'severe',
    zh: '严重原发性帕金森病',
    en: "Severe primary Parkinson's disease",
  },
  { code: 'severe_third_degree_burns', group: 'severe', zh: '严重Ⅲ度烧伤', en: 'Severe third-degree burns' },
  {
    code: 'severe_idiopathic_pulmonary_arterial_hypertension',
    group: 'severe',
    zh: '严重特发性肺动脉高压',
    en: 'Severe idiopathic pulmonary arterial hypertension',
  },
  { code: 'severe_motor_neurone_disease', group: 'severe', zh: '严重运动神经元病', en: 'Severe motor neurone disease' },
  { code: 'loss_of_speech', group: 'severe', zh: '语言能力丧失', en: 'Loss of speech' },
  { code: 'severe_aplastic_anaemia', group: 'severe', zh: '重型再生障碍性贫血', en: 'Severe aplastic anaemia' },
  { code: 'aortic_surgery', group: 'severe', zh: '主动脉手术', en: 'Aortic surgery' },
  {
    code: 'severe_chronic_respiratory_failure',
    group: 'severe',
    zh: '严重慢性呼吸衰竭',
    en: 'Severe chronic respiratory failure',
  },
  { code: 'severe_crohns_disease', group: 'severe', zh: '严重克罗恩病', en: "Severe Crohn's disease" },
  { code: 'severe_ulcerative_colitis', group: 'severe', zh: '严重溃疡性结肠炎', en: 'Severe ulcerative colitis' },
  { code: 'mild_malignant_tumour', group: 'mild', zh: '恶性肿瘤——轻度', en: 'Malignant tumour (mild)' },
  {
    code: 'mild_acute_myocardial_infarction',
    group: 'mild',
    zh: '较轻急性心肌梗死',
    en: 'Acute myocardial infarction (mild)',
  },
  { code: 'mild_stroke_sequelae', group: 'mild', zh: '轻度脑中风后遗症', en: 'Mild sequelae of stroke' },
  { code: 'serious_accidental_injury', group: 'other', zh: '严重意外伤害', en: 'Serious accidental injury' },
  {
    code: 'other_major_circumstance',
    group: 'other',
    zh: '其他重大特殊情况',
    en: 'Other major special circumstance',
  },
] as const satisfies readonly ConditionCategory[];

export type ConditionCategoryCode = (typeof CONDITION_CATEGORIES)[number]['code'];

/** The codes alone, for schemas (`z.enum(CONDITION_CODES)`). */
export const CONDITION_CODES = CONDITION_CATEGORIES.map((c) => c.code) as [ConditionCategoryCode, ...ConditionCategoryCode[]]; // as: map keeps the tuple's members but not its non-empty shape, which z.enum needs

const CODE_SET: ReadonlySet<string> = new Set(CONDITION_CODES);

/** True when `code` is one of the condition categories. */
export function isConditionCategory(code: unknown): code is ConditionCategoryCode {
  return typeof code === 'string' && CODE_SET.has(code);
}
