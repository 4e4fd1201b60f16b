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
