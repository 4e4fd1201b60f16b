// Over 300 lines: every SEN2 rule for one person, each a few lines, so that the whole rule book is read in one place beside DfE's guide.
/**
 * Validation of one SEN2 <Person> into the casework model's terms: PURE (no I/O),
 * so every rule is unit-tested on its own. It reports every problem it finds (it
 * never stops at the first), each with the person's position in the file, the
 * element path, the value and the rule broken.
 */
import { isIsoDate } from '../../../platform/calendar';
import { shownValue, textRule } from '../../toolkit/import-text';
import { SEN2_CODES } from '../entities/codes';
import { dateOrderProblems } from '../rules/timescales';
import { normalisePostcode, normaliseUpn, POSTCODE_FORMAT, ULN_FORMAT, upnProblem } from '../rules/identity';
import { TEXT_CAP, type Sen2Header, type XmlNode } from './sen2-xml';

export interface Problem {
  /** 1-based position of the person in the file (or the case-extract row); 0 for the file as a whole. */
  person: number;
  /** Element path, e.g. Person[4]/Requests[1]/ReceivedDate (or a CSV column). */
  path: string;
  value: string | null;
  rule: string;
  /** What the report shows instead of the value, when the value is not kept (too long). */
  note?: string;
}

export interface Sen2Placement {
  rank: number;
  urn: string | null;
  ukprn: string | null;
  senSetting: string | null;
  senUnit: boolean;
  resourcedProvision: boolean;
}

export interface Sen2Plan {
  startDate: string;
  placements: Sen2Placement[];
  personalBudget: boolean;
  ceaseDate: string | null;
  ceaseReason: string | null;
}

export interface Sen2Assessment {
  outcome: string;
  outcomeDate: string | null;
  mediation: boolean;
  tribunal: boolean;
  week20Exception: boolean;
  plan: Sen2Plan | null;
}

export interface Sen2ActivePlan {
  placements: Sen2Placement[];
  needs: Array<{ senType: string; rank: number }>;
  reviewMeeting: string | null;
  reviewOutcome: string | null;
  lastReview: string | null;
}

export interface Sen2Request {
  receivedDate: string;
  youngPerson: boolean;
  outcome: string;
  outcomeDate: string | null;
  mediation: boolean;
  tribunal: boolean;
  assessment: Sen2Assessment | null;
  activePlan: Sen2ActivePlan | null;
}

export interface Sen2Person {
  position: number;
  surname: string;
  forename: string;
  birthDate: string;
  sex: string;
  ethnicity: string | null;
  postcode: string | null;
  upn: string | null;
  uln: string | null;
  upnUnknown: string | null;
  requests: Sen2Request[];
}

export const ETHNICITIES = ['WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN', 'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT'];
const ULN = /^\d{10}$/;
const UPN_UNKNOWN = /^UN([1-9]|10)$/;
const URN = /^\d{6}$/;
const UKPRN = /^\d{8}$/;
const BOOLEAN: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
/** Elements that may repeat, so a path numbers them (Requests[1]). */
const REPEATED = new Set(['Requests', 'PlanDetail', 'PlacementDetail', 'SENneed']);
/** Names as the casework database holds them (varchar 255). */
const NAME_MAX = 255;

/** Parses SEN2's yes/no values: true/false (any case), 1/0. */
export function sen2Boolean(value: string): boolean | null {
  const v = BOOLEAN[value.toLowerCase()];
  return v === undefined ? null : v;
}

/** Reads one <Person>'s elements, recording problems as it goes. */
class Reader {
  constructor(
    readonly position: number,
    readonly problems: Problem[],
    readonly today: string,
  ) {}

  problem(path: string, value: string | null, rule: string): void {
    this.problems.push({ person: this.position, path, value, rule });
  }

  /** The single child element `name`, or null (a repeated element is a problem). */
  one(node: XmlNode, name: string, path: string): XmlNode | null {
    const found = node.children.filter((c) => c.name === name);
    if (found.length > 1) this.problem(`${path}/${name}`, null, `<${name}> may appear only once here; found ${found.length}`);
    return found[0] ?? null;
  }

  text(node: XmlNode, name: string, path: string, required: boolean): string | null {
    const el = this.one(node, name, path);
    // Reported once for the whole person by tooLong().
    if (el?.truncated) return null;
    const value = el?.text ?? '';
    if (!value) {
      if (required) this.problem(`${path}/${name}`, null, 'required');
      return null;
    }
    // Control characters are refused in every field, whatever its own rule.
    const broken = textRule(value, { max: TEXT_CAP });
    if (broken) {
      this.problem(`${path}/${name}`, value, broken);
      return null;
    }
    return value;
  }

  /** A name: stored and shown to staff, so within the column's length and never formula-like. */
  name(node: XmlNode, name: string, path: string): string | null {
    const value = this.text(node, name, path, true);
    if (value === null) return null;
    const broken = textRule(value, { max: NAME_MAX, freeText: true });
    if (broken) {
      this.problem(`${path}/${name}`, value, broken);
      return null;
    }
    return value;
  }

  pattern(node: XmlNode, name: string, path: string, re: RegExp, rule: string, required = false, upper = false): string | null {
    let value = this.text(node, name, path, required);
    if (value === null) return null;
    if (upper) value = value.toUpperCase();
    if (!re.test(value)) {
      this.problem(`${path}/${name}`, value, rule);
      return null;
    }
    return value;
  }

  code(node: XmlNode, name: string, path: string, codes: readonly string[], required = false): string | null {
    const value = this.text(node, name, path, required);
    if (value === null) return null;
    const v = value.toUpperCase();
    if (!codes.includes(v)) {
      this.problem(`${path}/${name}`, value, `must be one of ${codes.join(', ')}`);
      return null;
    }
    return v;
  }

  date(node: XmlNode, name: string, path: string, required = false): string | null {
    const value = this.text(node, name, path, required);
    if (value === null) return null;
    if (!isIsoDate(value)) {
      this.problem(`${path}/${name}`, value, 'must be a real calendar date written YYYY-MM-DD');
      return null;
    }
    if (value > this.today) {
      this.problem(`${path}/${name}`, value, `is in the future (today is ${this.today})`);
      return null;
    }
    return value;
  }

  bool(node: XmlNode, name: string, path: string): boolean {
    const value = this.text(node, name, path, false);
    if (value === null) return false;
    const b = sen2Boolean(value);
    if (b === null) {
      this.problem(`${path}/${name}`, value, 'must be true, false, 1 or 0');
      return false;
    }
    return b;
  }

  order(path: string, steps: Array<readonly [string, string | null]>): void {
    for (const p of dateOrderProblems(steps)) this.problem(`${path}/${p.field}`, p.value, `must not be before ${p.earlierField} (${p.earlierValue})`);
  }

  /** Every element whose text was too long to keep, read by the import or not: none may pass unnoticed. */
  tooLong(node: XmlNode, path: string): void {
    // Paths are built only for a person that has such an element: nearly none has.
    if (!anyTruncated(node)) return;
    const seen = new Map<string, number>();
    for (const child of node.children) {
      const n = (seen.get(child.name) ?? 0) + 1;
      seen.set(child.name, n);
      const p = `${path}/${child.name}${REPEATED.has(child.name) ? `[${n}]` : ''}`;
      if (child.truncated) this.problems.push({ person: this.position, path: p, value: null, rule: `more than ${TEXT_CAP.toLocaleString('en-GB')} characters: no SEN2 field is that long`, note: '(too long: not kept)' });
      this.tooLong(child, p);
    }
  }

  placements(node: XmlNode, element: string, path: string, required: boolean): Sen2Placement[] {
    const els = node.children.filter((c) => c.name === element);
    if (els.length === 0 && required) this.problem(`${path}/${element}`, null, 'at least one placement is required');
    if (els.length > 2) this.problem(`${path}/${element}`, String(els.length), 'at most 2 placements');
    const result: Sen2Placement[] = [];
    els.slice(0, 2).forEach((el, i) => {
      const p = `${path}/${element}[${i + 1}]`;
      const urn = this.pattern(el, 'URN', p, URN, 'must be 6 digits');
      const ukprn = this.pattern(el, 'UKPRN', p, UKPRN, 'must be 8 digits');
      const senSetting = this.code(el, 'SENSetting', p, SEN2_CODES.senSetting);
      const given = [urn, ukprn, senSetting].filter((v) => v !== null).length;
      const raw = ['URN', 'UKPRN', 'SENSetting'].filter((n) => el.children.some((c) => c.name === n && c.text)).length;
      if (raw === 0) this.problem(p, null, 'needs one of URN, UKPRN or SENSetting');
      else if (raw > 1 && given > 1) this.problem(p, null, 'give only one of URN, UKPRN or SENSetting');
      const rankText = this.text(el, 'PlacementRank', p, els.length > 1);
      let rank = i + 1;
      if (rankText !== null) {
        if (rankText !== '1' && rankText !== '2') this.problem(`${p}/PlacementRank`, rankText, 'must be 1 or 2');
        else rank = Number(rankText);
      }
      result.push({ rank, urn, ukprn, senSetting, senUnit: this.bool(el, 'SENUnitIndicator', p), resourcedProvision: this.bool(el, 'ResourcedProvisionIndicator', p) });
    });
    if (result.length === 2 && result[0].rank === result[1].rank) this.problem(`${path}/${element}[2]/PlacementRank`, String(result[1].rank), 'the two placements need different ranks (1 and 2)');
    return result;
  }
}

export interface PersonResult {
  person: Sen2Person | null;
  problems: Problem[];
}

/** Validates one <Person> element; `person` is null when any problem was found. */
export function validatePerson(node: XmlNode, position: number, today: string = new Date().toISOString().slice(0, 10)): PersonResult {
  const problems: Problem[] = [];
  const r = new Reader(position, problems, today);
  const path = `Person[${position}]`;
  r.tooLong(node, path);
  const surname = r.name(node, 'Surname', path);
  const forename = r.name(node, 'Forename', path);
  const birthDate = r.date(node, 'PersonBirthDate', path, true);
  const sex = r.code(node, 'Sex', path, SEN2_CODES.sex, true);
  const ethnicity = r.code(node, 'Ethnicity', path, ETHNICITIES);
  const postcodeRaw = r.text(node, 'PostCode', path, false);
  const postcode = postcodeRaw === null ? null : normalisePostcode(postcodeRaw);
  if (postcodeRaw !== null && postcode === null) r.problem(`${path}/PostCode`, postcodeRaw, POSTCODE_FORMAT);
  const upnRaw = r.text(node, 'UPN', path, false);
  const upnWrong = upnRaw === null ? null : upnProblem(upnRaw);
  if (upnRaw !== null && upnWrong) r.problem(`${path}/UPN`, upnRaw.toUpperCase(), upnWrong);
  const upn = upnRaw === null || upnWrong ? null : normaliseUpn(upnRaw);
  const uln = r.pattern(node, 'UniqueLearnerNumber', path, ULN, ULN_FORMAT);
  const upnUnknown = r.pattern(node, 'UPNunknown', path, UPN_UNKNOWN, 'must be UN1 to UN10', false, true);
  if (upn && upnUnknown) r.problem(`${path}/UPNunknown`, upnUnknown, 'give a UPN or UPNunknown, not both');

  const requestEls = node.children.filter((c) => c.name === 'Requests');
  if (requestEls.length === 0) r.problem(`${path}/Requests`, null, 'at least one <Requests> is required');
  const requests: Sen2Request[] = [];
  const seenReceived = new Set<string>();
  requestEls.forEach((el, i) => {
    const p = `${path}/Requests[${i + 1}]`;
    const receivedDate = r.date(el, 'ReceivedDate', p, true);
    if (receivedDate && birthDate && receivedDate < birthDate) r.problem(`${p}/ReceivedDate`, receivedDate, `must not be before PersonBirthDate (${birthDate})`);
    if (receivedDate && seenReceived.has(receivedDate)) r.problem(`${p}/ReceivedDate`, receivedDate, 'two requests for one person received on the same date');
    if (receivedDate) seenReceived.add(receivedDate);
    const outcome = r.code(el, 'RequestOutcome', p, SEN2_CODES.requestOutcome, true);
    const outcomeDate = r.date(el, 'RequestOutcomeDate', p, outcome === 'Y' || outcome === 'N');
    if (outcome === 'A' && outcomeDate) r.problem(`${p}/RequestOutcomeDate`, outcomeDate, 'a request not yet decided (A) has no outcome date');
    const youngPerson = r.bool(el, 'RYA', p);
    const mediation = r.bool(el, 'RequestMediation', p);
    const tribunal = r.bool(el, 'RequestTribunal', p);
    r.order(p, [['ReceivedDate', receivedDate], ['RequestOutcomeDate', outcomeDate]]);

    let assessment: Sen2Assessment | null = null;
    const aEl = r.one(el, 'Assessment', p);
    if (aEl) {
      const ap = `${p}/Assessment`;
      if (outcome && outcome !== 'Y' && outcome !== 'H') r.problem(`${p}/RequestOutcome`, outcome, 'an <Assessment> needs RequestOutcome Y (assess) or H');
      const aOutcome = r.code(aEl, 'AssessmentOutcome', ap, SEN2_CODES.assessmentOutcome, true);
      const aDate = r.date(aEl, 'AssessmentOutcomeDate', ap, aOutcome === 'Y' || aOutcome === 'N');
      if (aOutcome === 'A' && aDate) r.problem(`${ap}/AssessmentOutcomeDate`, aDate, 'an assessment still under way (A) has no outcome date');
      r.order(ap, [['ReceivedDate', receivedDate], ['RequestOutcomeDate', outcomeDate], ['AssessmentOutcomeDate', aDate]]);
      let plan: Sen2Plan | null = null;
      const pEl = r.one(aEl, 'NamedPlan', ap);
      if (pEl) {
        const pp = `${ap}/NamedPlan`;
        if (aOutcome && aOutcome !== 'Y' && aOutcome !== 'H') r.problem(`${ap}/AssessmentOutcome`, aOutcome, 'a <NamedPlan> needs AssessmentOutcome Y (issue a plan) or H');
        const startDate = r.date(pEl, 'StartDate', pp, true);
        if (aOutcome !== 'H') r.order(pp, [['ReceivedDate', receivedDate], ['RequestOutcomeDate', outcomeDate], ['StartDate', startDate]]);
        const ceaseDate = r.date(pEl, 'CeaseDate', pp);
        const ceaseReason = r.code(pEl, 'CeaseReason', pp, SEN2_CODES.ceaseReason, !!ceaseDate);
        if (ceaseReason && !ceaseDate && r.one(pEl, 'CeaseDate', pp) === null) r.problem(`${pp}/CeaseDate`, null, 'required when CeaseReason is given');
        r.order(pp, [['StartDate', startDate], ['CeaseDate', ceaseDate]]);
        r.code(pEl, 'PlanRes', pp, ['A', 'B']);
        r.code(pEl, 'PlanWBP', pp, ['A', 'T', 'S']);
        r.code(pEl, 'DP', pp, ['E', 'S', 'H', 'I']);
        r.bool(pEl, 'OA', pp);
        const personalBudget = r.bool(pEl, 'PB', pp);
        const placements = r.placements(pEl, 'PlanDetail', pp, false);
        if (startDate) plan = { startDate, placements, personalBudget, ceaseDate, ceaseReason };
      }
      // Y without a NamedPlan is a decision to issue whose final plan is not issued yet: valid.
      if (aOutcome) assessment = { outcome: aOutcome, outcomeDate: aDate, mediation: r.bool(aEl, 'AssessmentMediation', ap), tribunal: r.bool(aEl, 'AssessmentTribunal', ap), week20Exception: r.bool(aEl, 'Week20', ap), plan };
    }

    let activePlan: Sen2ActivePlan | null = null;
    const actEl = r.one(el, 'ActivePlans', p);
    if (actEl) {
      const xp = `${p}/ActivePlans`;
      // Without a NamedPlan in the same <Requests> (a plan transferred in, or issued on an earlier request),
      // the import applies these details to the child's latest plan held.
      const needEls = actEl.children.filter((c) => c.name === 'SENneed');
      if (needEls.length === 0) r.problem(`${xp}/SENneed`, null, 'at least one SEN need is required');
      if (needEls.length > 2) r.problem(`${xp}/SENneed`, String(needEls.length), 'at most 2 SEN needs');
      const needs: Array<{ senType: string; rank: number }> = [];
      needEls.slice(0, 2).forEach((n, k) => {
        const np = `${xp}/SENneed[${k + 1}]`;
        const senType = r.code(n, 'SENtype', np, SEN2_CODES.senType, true);
        const rankText = r.text(n, 'SENtypeRank', np, needEls.length > 1);
        let rank = k + 1;
        if (rankText !== null) {
          if (rankText !== '1' && rankText !== '2') r.problem(`${np}/SENtypeRank`, rankText, 'must be 1 or 2');
          else rank = Number(rankText);
        }
        if (senType) needs.push({ senType, rank });
      });
      if (needs.length === 2 && needs[0].rank === needs[1].rank) r.problem(`${xp}/SENneed[2]/SENtypeRank`, String(needs[1].rank), 'the two needs need different ranks (1 and 2)');
      const placements = r.placements(actEl, 'PlacementDetail', xp, false);
      const reviewMeeting = r.date(actEl, 'ReviewMeeting', xp);
      const reviewOutcome = r.code(actEl, 'ReviewOutcome', xp, SEN2_CODES.reviewOutcome);
      const lastReview = r.date(actEl, 'LastReview', xp);
      if (reviewOutcome && !reviewMeeting) r.problem(`${xp}/ReviewMeeting`, null, 'required when ReviewOutcome is given');
      if (lastReview && !reviewMeeting) r.problem(`${xp}/ReviewMeeting`, null, 'required when LastReview (the decision date) is given');
      r.order(xp, [['StartDate', assessment?.plan?.startDate ?? null], ['ReviewMeeting', reviewMeeting], ['LastReview', lastReview]]);
      r.pattern(actEl, 'TransferLA', xp, /^\d{3}$/, 'must be a 3-digit LA code');
      activePlan = { placements, needs, reviewMeeting, reviewOutcome, lastReview };
    }
    if (receivedDate && outcome) requests.push({ receivedDate, youngPerson, outcome, outcomeDate, mediation, tribunal, assessment, activePlan });
  });

  if (problems.length) return { person: null, problems };
  return {
    person: { position, surname: surname!, forename: forename!, birthDate: birthDate!, sex: sex!, ethnicity, postcode, upn, uln, upnUnknown, requests },
    problems,
  };
}

/** Checks the header: a SEN2 collection, its year, a reference date, the council's 3-digit code; each required. */
export function validateHeader(header: Sen2Header): Problem[] {
  const problems: Problem[] = [];
  const check = (path: string, value: string | null, holds: (v: string) => boolean, rule: string) => {
    if (value === null) problems.push({ person: 0, path, value: null, rule: 'required: a SEN2 return names its collection, year, reference date and LA in its <Header>' });
    else if (!holds(value)) problems.push({ person: 0, path, value, rule });
  };
  check('Header/CollectionDetails/Collection', header.collection, (v) => v.toUpperCase() === 'SEN2', 'must be SEN2');
  check('Header/CollectionDetails/Year', header.year, (v) => /^\d{4}$/.test(v), 'must be a year written YYYY');
  check('Header/CollectionDetails/ReferenceDate', header.referenceDate, isIsoDate, 'must be a real calendar date written YYYY-MM-DD');
  check('Header/Source/LEA', header.lea, (v) => /^\d{3}$/.test(v), 'must be the 3-digit LA code');
  return problems;
}

/** The key a person is matched on: UPN, else ULN, else surname + forename + birth date. */
export function matchKeyOf(p: { upn: string | null; uln: string | null; surname: string; forename: string; birthDate: string }): string {
  if (p.upn) return `upn:${p.upn.toUpperCase()}`;
  if (p.uln) return `uln:${p.uln}`;
  return `name:${p.surname.trim().toLowerCase()}|${p.forename.trim().toLowerCase()}|${p.birthDate}`;
}

function anyTruncated(node: XmlNode): boolean {
  for (const child of node.children) if (child.truncated || anyTruncated(child)) return true;
  return false;
}

/** Fields whose values are personal data: a report names them, never shows them. */
const PERSONAL_FIELDS = new Set([
  'Surname', 'Forename', 'PersonBirthDate', 'PostCode', 'UPN', 'UniqueLearnerNumber',
  'upn', 'uln', 'surname', 'forename', 'birth_date', 'nhs_number', 'allocated_worker', 'no_worker_reason',
]);

/** One line of the report per problem: person position, element path, value (personal data withheld), rule. */
export function formatProblem(p: Problem, what = 'person'): string {
  const who = p.person === 0 ? 'file' : `${what} ${p.person}`;
  const field = p.path.slice(p.path.lastIndexOf('/') + 1).replace(/\[\d+\]$/, '');
  const shown = p.note ?? (p.value === null ? '(missing)' : shownValue(p.value, PERSONAL_FIELDS.has(field)));
  return `${who}\t${p.path}\t${shown}\t${p.rule}`;
}
