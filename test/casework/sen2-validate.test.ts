import { SaxesParser } from 'saxes';
import { parseCaseExtract } from '../../subgraphs/casework/import/case-extract';
import { matchKeyOf, sen2Boolean, validateHeader, validatePerson, type Problem } from '../../subgraphs/casework/import/sen2-validate';
import { chunksOf, MARKUP_CAP, PERSON_ELEMENTS_CAP, Sen2SyntaxError, streamSen2, TEXT_CAP, type XmlNode } from '../../subgraphs/casework/import/sen2-xml';
import { person, planRequest, sen2, type El } from './sen2-builder';

const TODAY = '2026-11-22';
const amy = { Surname: 'Able', Forename: 'Amy', PersonBirthDate: '2012-03-04', Sex: 'F', Ethnicity: 'WBRI', PostCode: 'ng18 1ab', UPN: 'A123456789012' };

async function read(xml: string | Buffer, chunk = 97) {
  const nodes: Array<[XmlNode, number]> = [];
  const result = await streamSen2(chunksOf(xml, chunk), { person: (n, i) => void nodes.push([n, i]) });
  return { nodes, result };
}

async function validate(persons: El[][]) {
  const { nodes } = await read(sen2(persons));
  return nodes.map(([n, i]) => validatePerson(n, i, TODAY));
}

const rules = (problems: Problem[]) => problems.map((p) => [p.path, p.value, p.rule]);

describe('reading a SEN2 return as a stream', () => {
  it('hands over each person with its position and reads the header, whatever the chunk size', async () => {
    const xml = sen2([person(amy, [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22' })]), person({ ...amy, Forename: 'Bea', UPN: 'C223456789012' }, [])]);
    for (const chunk of [7, 97, 100_000]) {
      const { nodes, result } = await read(xml, chunk);
      expect(nodes.map(([n, i]) => [n.name, i])).toEqual([['Person', 1], ['Person', 2]]);
      expect(result.header).toEqual({ collection: 'SEN2', year: '2024', referenceDate: '2024-01-18', lea: '891' });
      expect(nodes[0][0].children.find((c) => c.name === 'Surname')!.text).toBe('Able');
    }
  });

  it('keeps at most TEXT_CAP characters of a field, whatever the chunk size, and counts lines past what it did not keep', async () => {
    // The cap falls inside an entity reference for some chunk sizes: it must never be cut there.
    const long = 'x'.repeat(TEXT_CAP - 3) + '&amp;&lt;' + 'y\n'.repeat(50);
    const xml = sen2([person({ ...amy, Surname: long }, []), person({ ...amy, Forename: `Bea${'&amp;'.repeat(10)}`, UPN: 'C223456789012' }, [])]);
    const expectedLine = xml.slice(0, xml.indexOf('<Forename>')).split('\n').length;
    for (const chunk of [1, 7, 97, TEXT_CAP - 1, TEXT_CAP, TEXT_CAP + 1, TEXT_CAP + 5, 100_000]) {
      const { nodes } = await read(xml, chunk);
      const [surname, forename] = nodes[0][0].children;
      expect([surname.truncated, surname.text.length <= TEXT_CAP, forename.line]).toEqual([true, true, expectedLine]);
      expect(nodes[1][0].children[1].text).toBe(`Bea${'&'.repeat(10)}`);
    }
  });

  it('refuses a DOCTYPE unread, a namespace, markup out of bounds, and a person of too many elements', async () => {
    const xml = sen2([person(amy, [])]);
    await expect(read(xml.replace('<Message>', '<!DOCTYPE Message [<!ENTITY a "b">]><Message>'))).rejects.toThrow(/DOCTYPE declaration/);
    await expect(read(xml.replace('<Message>', '<Message xmlns="urn:x">'))).rejects.toThrow(/in the namespace "urn:x"/);
    await expect(read(xml.replace('<Surname>', `<!--${'-x'.repeat(40_000)}--><Surname>`))).rejects.toThrow(/longer than 65,536 characters/);
    for (const chunk of [1, 97, 100_000]) {
      await expect(read(xml.replace('<Surname>', `<Surname${' '.repeat(70_000)}>`), chunk)).rejects.toThrow(/longer than 65,536 characters/);
      // Quoted, a '>' does not end the tag; a tag a little shorter than the cap is read.
      const quoted = await read(xml.replace('<Surname>', `<Surname note="a>b" other='c>d'${' '.repeat(MARKUP_CAP - 40)}>`), chunk);
      expect(quoted.nodes[0][0].children.find((c) => c.name === 'Surname')!.text).toBe(amy.Surname);
    }
    await expect(read(xml.replace('<Surname>', `${'<a>'.repeat(40)}${'</a>'.repeat(40)}<Surname>`))).rejects.toThrow(/nested more than 32 deep/);
    await expect(read(xml.replace('<Surname>', `${'<Note/>'.repeat(PERSON_ELEMENTS_CAP)}<Surname>`), 100_000)).rejects.toThrow(/more than 10,000 elements/);
    await expect(read(xml.replace('</Header>', '</Header><Header/>'))).rejects.toThrow(/two <Header> elements/);
    await expect(read(xml.replace('<LEA>891</LEA>', '<LEA>891</LEA><LEA>892</LEA>'))).rejects.toThrow(/Header\/Source\/LEA appears twice/);
    const late = xml.replace(/<Header>[\s\S]*<\/Header>/, '').replace('</Persons>', '</Persons><Header/>');
    await expect(read(late)).rejects.toThrow(/comes after <Persons>/);
  });

  it('behind the guard, saxes itself never expands a declared entity nor reads an external one', () => {
    // The second line of defence, should a DOCTYPE ever get past the reader: saxes knows only XML's five entities.
    const texts: string[] = [];
    const errors: string[] = [];
    const parser = new SaxesParser({ xmlns: true });
    parser.on('text', (t) => texts.push(t));
    parser.on('error', (e) => errors.push(e.message));
    parser.write('<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><m><a>&xxe;</a><b>&lol2;</b></m>').close();
    expect(errors.filter((e) => /undefined entity/.test(e))).toHaveLength(2);
    // Left as the literal references, reported as errors: never the file's content, never 'lollol'.
    expect(texts.join('')).toBe('&xxe;&lol2;');
  });

  it('reads the encoding the declaration names, and refuses one it does not read', async () => {
    const xml = sen2([person({ ...amy, Surname: 'Ñúñez' }, [])]);
    const { nodes } = await read(Buffer.from(xml.replace('UTF-8', 'ISO-8859-1'), 'latin1'));
    expect(nodes[0][0].children[0].text).toBe('Ñúñez');
    expect((await read(Buffer.from(xml.replace('UTF-8', 'windows-1252'), 'latin1'))).nodes[0][0].children[0].text).toBe('Ñúñez');
    await expect(read(Buffer.from(xml, 'latin1'))).rejects.toThrow(/line 9 holds bytes that are not valid UTF-8/);
    await expect(read(xml.replace('UTF-8', 'Shift_JIS'))).rejects.toThrow(/names the encoding "Shift_JIS"/);
    await expect(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml.replace('UTF-8', 'ISO-8859-1'))]))).rejects.toThrow(/byte-order mark/);
  });

  it('refuses XML that is not well-formed, saying where', async () => {
    const bad = sen2([person(amy, [])]).replace('</Surname>', '</Surnam>');
    await expect(read(bad)).rejects.toThrow(Sen2SyntaxError);
    await expect(read(bad)).rejects.toThrow(/not well-formed/);
    await expect(read('<Other/>')).rejects.toThrow(/starts with <Message>/);
    await expect(read('')).rejects.toThrow(Sen2SyntaxError);
  });
});

describe('validating a person', () => {
  it('turns a valid person into the casework model\'s terms', async () => {
    const [r] = await validate([person(amy, [planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22', meeting: '2024-05-01', reviewOutcome: 'M', lastReview: '2024-05-20', need: 'DS' })])]);
    expect(r.problems).toEqual([]);
    expect(r.person).toMatchObject({ position: 1, surname: 'Able', sex: 'F', postcode: 'NG18 1AB', upn: 'A123456789012', uln: null });
    expect(r.person!.requests[0]).toMatchObject({
      receivedDate: '2023-01-02',
      outcome: 'Y',
      outcomeDate: '2023-02-10',
      tribunal: false,
      assessment: { outcome: 'Y', outcomeDate: '2023-05-01', week20Exception: false, plan: { startDate: '2023-05-22', personalBudget: false, placements: [{ rank: 1, urn: '123456' }] } },
      activePlan: { needs: [{ senType: 'DS', rank: 1 }], reviewMeeting: '2024-05-01', reviewOutcome: 'M', lastReview: '2024-05-20' },
    });
  });

  it('reports every problem of a person at once, with path, value and rule', async () => {
    const [r] = await validate([
      person({ Surname: 'Able', PersonBirthDate: '2012-02-30', Sex: 'X', UPN: 'A12345', UniqueLearnerNumber: '12' }, [
        [['ReceivedDate', '2023-03-01'], ['RequestOutcomeDate', '2023-02-01'], ['RequestOutcome', 'Q'], ['RequestMediation', 'maybe']],
      ]),
    ]);
    expect(r.person).toBeNull();
    expect(rules(r.problems)).toEqual(expect.arrayContaining([
      ['Person[1]/Forename', null, 'required'],
      ['Person[1]/PersonBirthDate', '2012-02-30', 'must be a real calendar date written YYYY-MM-DD'],
      ['Person[1]/Sex', 'X', 'must be one of M, F, U'],
      ['Person[1]/UPN', 'A12345', 'must be a letter and 12 digits, or a letter, 11 digits and a letter'],
      ['Person[1]/UniqueLearnerNumber', '12', 'must be 10 digits'],
      ['Person[1]/Requests[1]/RequestOutcome', 'Q', 'must be one of Y, N, A, W, H'],
      ['Person[1]/Requests[1]/RequestMediation', 'maybe', 'must be true, false, 1 or 0'],
      ['Person[1]/Requests[1]/RequestOutcomeDate', '2023-02-01', 'must not be before ReceivedDate (2023-03-01)'],
    ]));
    expect(r.problems.every((p) => p.person === 1)).toBe(true);
  });

  it('checks the life cycle hangs together', async () => {
    const req = planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2022-12-01', meeting: '2022-11-01' });
    req[3] = ['RequestOutcome', 'N'];
    const [r] = await validate([person(amy, [req])]);
    expect(rules(r.problems)).toEqual(expect.arrayContaining([
      ['Person[1]/Requests[1]/RequestOutcome', 'N', 'an <Assessment> needs RequestOutcome Y (assess) or H'],
      ['Person[1]/Requests[1]/Assessment/NamedPlan/StartDate', '2022-12-01', 'must not be before RequestOutcomeDate (2023-02-10)'],
      ['Person[1]/Requests[1]/ActivePlans/ReviewMeeting', '2022-11-01', 'must not be before StartDate (2022-12-01)'],
    ]));
  });

  it('checks placements and needs: one of URN, UKPRN or setting; ranks 1 and 2; known SEN types', async () => {
    const req = planRequest({ received: '2023-01-02', decided: '2023-02-10', assessed: '2023-05-01', start: '2023-05-22' });
    req[8] = ['ActivePlans', [
      ['PlacementDetail', [['URN', '123456'], ['UKPRN', '10001234'], ['PlacementRank', '1']]],
      ['PlacementDetail', [['PlacementRank', '1']]],
      ['SENneed', [['SENtype', 'ADHD'], ['SENtypeRank', '1']]],
      ['SENneed', [['SENtype', 'SLCN'], ['SENtypeRank', '3']]],
    ]];
    const [r] = await validate([person(amy, [req])]);
    expect(rules(r.problems)).toEqual(expect.arrayContaining([
      ['Person[1]/Requests[1]/ActivePlans/PlacementDetail[1]', null, 'give only one of URN, UKPRN or SENSetting'],
      ['Person[1]/Requests[1]/ActivePlans/PlacementDetail[2]', null, 'needs one of URN, UKPRN or SENSetting'],
      ['Person[1]/Requests[1]/ActivePlans/PlacementDetail[2]/PlacementRank', '1', 'the two placements need different ranks (1 and 2)'],
      ['Person[1]/Requests[1]/ActivePlans/SENneed[1]/SENtype', 'ADHD', expect.stringContaining('must be one of SPLD')],
      ['Person[1]/Requests[1]/ActivePlans/SENneed[2]/SENtypeRank', '3', 'must be 1 or 2'],
    ]));
  });

  it('a person with no request, and dates in the future, are problems', async () => {
    const [r] = await validate([person({ ...amy, PersonBirthDate: '2030-01-01' }, [])]);
    expect(rules(r.problems)).toEqual([
      ['Person[1]/PersonBirthDate', '2030-01-01', `is in the future (today is ${TODAY})`],
      ['Person[1]/Requests', null, 'at least one <Requests> is required'],
    ]);
  });

  it('a request still undecided needs no outcome date; a decided one does', async () => {
    const [ok, missing] = await validate([
      person(amy, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'A']]]),
      person(amy, [[['ReceivedDate', '2023-01-02'], ['RequestOutcome', 'Y']]]),
    ]);
    expect(ok.problems).toEqual([]);
    expect(rules(missing.problems)).toEqual([['Person[2]/Requests[1]/RequestOutcomeDate', null, 'required']]);
  });

  it('a decision to issue whose final plan is not issued yet, and active-plan details without a NamedPlan, are valid', async () => {
    const [r] = await validate([
      person(amy, [
        [['ReceivedDate', '2024-01-02'], ['RequestOutcomeDate', '2024-02-01'], ['RequestOutcome', 'Y'], ['Assessment', [['AssessmentOutcome', 'Y'], ['AssessmentOutcomeDate', '2024-05-01']]]],
        [['ReceivedDate', '2020-01-02'], ['RequestOutcomeDate', '2020-02-01'], ['RequestOutcome', 'Y'], ['ActivePlans', [['TransferLA', '892'], ['SENneed', [['SENtype', 'VI']]]]]],
      ]),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.person!.requests[0].assessment).toMatchObject({ outcome: 'Y', plan: null });
    expect(r.person!.requests[1].activePlan!.needs).toEqual([{ senType: 'VI', rank: 1 }]);
  });

  it('SEN2 yes/no values', () => {
    expect(['true', 'TRUE', 'false', 'FALSE', '1', '0', 'yes'].map(sen2Boolean)).toEqual([true, true, false, false, true, false, null]);
  });

  it('checks the header', () => {
    expect(validateHeader({ collection: 'SEN2', year: '2024', referenceDate: '2024-01-18', lea: '891' })).toEqual([]);
    const required = expect.stringMatching(/^required: a SEN2 return names its collection, year, reference date and LA/);
    expect(rules(validateHeader({ collection: null, year: '24', referenceDate: null, lea: null }))).toEqual([
      ['Header/CollectionDetails/Collection', null, required],
      ['Header/CollectionDetails/Year', '24', 'must be a year written YYYY'],
      ['Header/CollectionDetails/ReferenceDate', null, required],
      ['Header/Source/LEA', null, required],
    ]);
    expect(rules(validateHeader({ collection: 'CIN', year: '2024', referenceDate: '2024-13-01', lea: '89' }))).toEqual([
      ['Header/CollectionDetails/Collection', 'CIN', 'must be SEN2'],
      ['Header/CollectionDetails/ReferenceDate', '2024-13-01', 'must be a real calendar date written YYYY-MM-DD'],
      ['Header/Source/LEA', '89', 'must be the 3-digit LA code'],
    ]);
  });

  it('matches on UPN, else ULN, else surname + forename + birth date', () => {
    const base = { upn: null, uln: null, surname: ' Able ', forename: 'AMY', birthDate: '2012-03-04' };
    expect(matchKeyOf({ ...base, upn: 'a123456789012', uln: '1234567890' })).toBe('upn:A123456789012');
    expect(matchKeyOf({ ...base, uln: '1234567890' })).toBe('uln:1234567890');
    expect(matchKeyOf(base)).toBe('name:able|amy|2012-03-04');
  });
});

describe('the case-system extract', () => {
  const header = 'upn,uln,surname,forename,birth_date,nhs_number,district,team,allocated_worker,no_worker_reason,no_worker_review_date';

  it('parses rows and validates NHS numbers by their check digit', () => {
    const { rows, problems } = parseCaseExtract(`${header}
A123456789012,,Able,Amy,2012-03-04,943 476 5919,Ashfield,Plan and Review North,Sam Atkins,,
,,Baker,Ben,2010-07-08,9434765918,Bassetlaw,,,,
,,Cole,Cal,2008-11-12,,Ashfield,Plan and Review North,,Plan working well,2026-07-01
,,Dale,Dee,2016-01-01,,,,Jo Moss,Plan working well,`);
    expect(rows.map((r) => [r.row, r.surname, r.nhsNumber])).toEqual([[1, 'Able', '9434765919'], [3, 'Cole', null]]);
    expect(rules(problems)).toEqual([
      ['nhs_number', '9434765918', 'not a valid NHS number: 10 digits whose last is the modulus 11 check digit'],
      ['no_worker_reason', 'Plan working well', 'give an allocated worker or a reason for having none, not both'],
      ['team', null, 'required when an allocated worker is given'],
      ['no_worker_review_date', null, 'required when there is no allocated worker by decision: when is it next reviewed?'],
    ]);
    expect(problems.map((p) => p.person)).toEqual([2, 4, 4, 4]);
  });

  it('refuses free text with a control character or a formula-like start, and duplicates of a child or an NHS number', () => {
    const { rows, problems } = parseCaseExtract(`${header}
,,Able,Amy,2012-03-04,,=1+1,,,,
,,Baker,Ben,2010-07-08,,Ash\u0000field,,,,
,,Cole,Cal,2008-11-12,943 476 5919,,,,,
,,COLE,cal,2008-11-12,,,,,,
,,Dale,Dee,2016-01-01,9434765919,,,,,`);
    expect(rows.map((r) => r.row)).toEqual([3]);
    expect(rules(problems)).toEqual([
      ['district', '=1+1', expect.stringMatching(/^starts with "=", which a spreadsheet would run as a formula/)],
      ['district', 'Ash\u0000field', 'holds a control character (U+0000), which no value may'],
      ['upn', null, 'the same child as row 3'],
      ['nhs_number', '9434765919', 'the same NHS number as row 3'],
    ]);
    expect(problems.map((p) => p.person)).toEqual([1, 2, 4, 5]);
  });

  it('an empty extract, or a header alone, is refused', () => {
    expect(rules(parseCaseExtract('').problems)).toEqual([['case extract', null, 'the file is empty; expected a header row']]);
    expect(rules(parseCaseExtract(`${header}\n`).problems)).toEqual([['case extract', null, 'the file has a header but no rows']]);
  });

  it('names missing columns', () => {
    expect(rules(parseCaseExtract('upn,surname\nA123456789012,Able').problems)).toEqual([
      ['case extract header', 'upn,surname', 'missing column(s): uln, forename, birth_date, nhs_number, district, team, allocated_worker, no_worker_reason, no_worker_review_date'],
    ]);
  });
});
