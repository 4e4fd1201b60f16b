/**
 * The local area this partnership governs: its published comparators are read
 * against England, its region and its statistical neighbours.
 */
export const HOME_AREA = {
  name: 'Nottinghamshire',
  oldLaCode: '891',
  areaCode: 'E10000024',
  regionCode: 'E12000004',
  regionName: 'East Midlands',
} as const;

export const ENGLAND_CODE = 'E92000001';

/**
 * Nottinghamshire's statistical neighbours (old LA codes): Derbyshire,
 * Staffordshire, Leicestershire, Worcestershire, Warwickshire, Lancashire. The
 * published figures shipped with the project keep these areas (and England and
 * every region); a KPI names its own neighbours among them.
 */
export const STATISTICAL_NEIGHBOURS = ['830', '860', '855', '885', '937', '888'] as const;
