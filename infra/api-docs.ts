import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  isIntrospectionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

/**
 * The schema reference in docs/api/, written from the descriptions by
 * `npm run compose`: one page per kind of definition, and one listing what the
 * partner contract offers. Markdown, so it reads on any Git host and offline.
 */
type Page = 'queries' | 'mutations' | 'objects' | 'inputs' | 'enums' | 'scalars';

const TITLES: Record<Page, string> = {
  queries: 'Queries',
  mutations: 'Mutations',
  objects: 'Object types',
  inputs: 'Input types',
  enums: 'Enums',
  scalars: 'Scalars',
};

function pageOf(type: GraphQLNamedType): Page | undefined {
  if (isObjectType(type) || isInterfaceType(type) || isUnionType(type)) return 'objects';
  if (isInputObjectType(type)) return 'inputs';
  if (isEnumType(type)) return 'enums';
  if (isScalarType(type) && !isSpecifiedScalarType(type)) return 'scalars';
  return undefined;
}

/** Text fit for a table cell: one line, no column breaks. */
function cell(text: string | null | undefined): string {
  return (text ?? '').trim().replace(/\|/g, '\\|').replace(/\r?\n+/g, '<br>');
}

function paragraph(text: string | null | undefined): string {
  return (text ?? '').trim() || '_No description._';
}

/** A type reference, linked to its definition where it has one. */
function typeLink(type: GraphQLType, from: Page): string {
  const named = getNamedType(type);
  const page = pageOf(named);
  const text = `\`${String(type)}\``;
  if (!page) return text;
  const anchor = named.name.toLowerCase();
  return page === from ? `[${text}](#${anchor})` : `[${text}](${page}.md#${anchor})`;
}

function deprecation(reason: string | null | undefined): string {
  return reason ? ` **Deprecated:** ${cell(reason)}` : '';
}

function argumentsTable(args: readonly GraphQLArgument[], from: Page): string[] {
  if (!args.length) return [];
  return [
    '',
    '| argument | type | default | description |',
    '|---|---|---|---|',
    ...args.map((a) => `| \`${a.name}\` | ${typeLink(a.type, from)} | ${a.defaultValue === undefined ? '' : `\`${cell(JSON.stringify(a.defaultValue))}\``} | ${cell(a.description)}${deprecation(a.deprecationReason)} |`),
  ];
}

function fieldsTable(fields: ReadonlyArray<GraphQLField<unknown, unknown> | GraphQLInputField>, from: Page): string[] {
  return [
    '| field | type | description |',
    '|---|---|---|',
    ...fields.map((f) => {
      const args = 'args' in f && f.args.length ? ` (${f.args.map((a) => `\`${a.name}\``).join(', ')})` : '';
      return `| \`${f.name}\`${args} | ${typeLink(f.type, from)} | ${cell(f.description)}${deprecation(f.deprecationReason)} |`;
    }),
  ];
}

/** A root type's fields, each with its own section and arguments. */
function operations(root: ReturnType<GraphQLSchema['getQueryType']>, page: Page): string[] {
  if (!root) return ['_None._'];
  return Object.values(root.getFields()).flatMap((f) => [
    `## ${f.name}`,
    '',
    paragraph(f.description) + deprecation(f.deprecationReason),
    '',
    `Returns ${typeLink(f.type, page)}.`,
    ...argumentsTable(f.args, page),
    '',
  ]);
}

function definitions(types: GraphQLNamedType[], page: Page): string[] {
  return types.flatMap((t) => {
    const lines = [`## ${t.name}`, '', paragraph(t.description), ''];
    if (isObjectType(t) || isInterfaceType(t)) {
      const interfaces = t.getInterfaces();
      if (interfaces.length) lines.push(`Implements ${interfaces.map((i) => typeLink(i, page)).join(', ')}.`, '');
      lines.push(...fieldsTable(Object.values(t.getFields()), page), '');
    } else if (isUnionType(t)) {
      lines.push(`One of ${t.getTypes().map((m) => typeLink(m, page)).join(', ')}.`, '');
    } else if (isInputObjectType(t)) {
      lines.push(...fieldsTable(Object.values(t.getFields()), page), '');
    } else if (isEnumType(t)) {
      lines.push('| value | description |', '|---|---|', ...t.getValues().map((v) => `| \`${v.name}\` | ${cell(v.description)}${deprecation(v.deprecationReason)} |`), '');
    } else if (isScalarType(t) && t.specifiedByURL) {
      lines.push(`Specified by ${t.specifiedByURL}.`, '');
    }
    return lines;
  });
}

const HEADER = '<!-- Written by `npm run compose` from schema/api.graphql: edit the descriptions in the subgraphs, not this file. -->';

/** Every page of the reference, by file name under docs/api/. */
export function apiDocs(apiSdl: string, partnerSdl: string): Record<string, string> {
  const schema = buildSchema(apiSdl);
  const partner = buildSchema(partnerSdl);
  const named = Object.values(schema.getTypeMap())
    .filter((t) => !isIntrospectionType(t) && t !== schema.getQueryType() && t !== schema.getMutationType())
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const files: Record<string, string> = {};
  const write = (page: Page, body: string[]) => {
    files[`${page}.md`] = [HEADER, '', `# ${TITLES[page]}`, '', ...body].join('\n').trimEnd() + '\n';
  };
  write('queries', operations(schema.getQueryType(), 'queries'));
  write('mutations', operations(schema.getMutationType(), 'mutations'));
  for (const page of ['objects', 'inputs', 'enums', 'scalars'] as const) write(page, definitions(named.filter((t) => pageOf(t) === page), page));

  const count = (page: Page) => named.filter((t) => pageOf(t) === page).length;
  const partnerQueries = Object.keys(partner.getQueryType()?.getFields() ?? {});
  const partnerTypes = Object.values(partner.getTypeMap()).filter((t) => !isIntrospectionType(t) && isObjectType(t) && t !== partner.getQueryType());
  files['README.md'] = [
    HEADER,
    '',
    '# API reference',
    '',
    'The client-facing schema (`schema/api.graphql`), written from the descriptions each subgraph gives its types, fields, arguments and enum values. How the API is shaped: [docs/api-conventions.md](../api-conventions.md).',
    '',
    `- [Queries](queries.md): ${Object.keys(schema.getQueryType()?.getFields() ?? {}).length}`,
    `- [Mutations](mutations.md): ${Object.keys(schema.getMutationType()?.getFields() ?? {}).length}`,
    `- [Object types](objects.md): ${count('objects')}`,
    `- [Input types](inputs.md): ${count('inputs')}`,
    `- [Enums](enums.md): ${count('enums')}`,
    `- [Scalars](scalars.md): ${count('scalars')}`,
    '',
    '## The partner contract',
    '',
    'Partner apps are served `schema/partner.graphql` at `/partner/graphql`: these queries and object types, each as documented above, less the fields the contract withholds (people\'s names). Nothing person-level is in it.',
    '',
    `Queries: ${partnerQueries.map((q) => `[\`${q}\`](queries.md#${q.toLowerCase()})`).join(', ')}.`,
    '',
    `Object types: ${partnerTypes.map((t) => `[\`${t.name}\`](objects.md#${t.name.toLowerCase()})`).join(', ')}.`,
  ].join('\n') + '\n';
  return files;
}
