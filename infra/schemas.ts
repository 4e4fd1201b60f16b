import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildSchema as buildApi, GraphQLSchema, parse, printSchema } from 'graphql';
import { join } from 'node:path';
import { subgraphSchema } from '../subgraphs/toolkit/subgraph';
import { SUBGRAPH_PORTS, type SubgraphName } from '../platform/topology';
import { SUBGRAPHS } from './subgraphs';
import { apiDocs } from './api-docs';
import { applyCut, contractCut } from './contracts';
import { PARTNER_CONTRACT, type ContractDeclaration } from './partner-contract';

export const SCHEMA_DIR = join(__dirname, '..', '..', 'schema');
/** The schema reference compose writes (docs/api/). */
export const API_DOCS_DIR = join(__dirname, '..', '..', 'docs', 'api');

/** The SDL a subgraph publishes, as its code declares it. */
export async function subgraphSdl(name: SubgraphName): Promise<string> {
  const definition = SUBGRAPHS.find((s) => s.name === name)!;
  return printSubgraphSchema(await subgraphSchema(definition)).trim() + '\n';
}

export interface Composition {
  supergraphSdl: string;
  /** The client-facing schema: the supergraph without federation's directives and what is @inaccessible. */
  apiSdl: string;
  hints: string[];
}

/**
 * Composes the subgraphs' SDL into the supergraph the gateway serves. The URLs
 * written into it are the defaults; the gateway overrides them from configuration.
 */
export function composeSupergraph(sdls: Record<SubgraphName, string>): Composition {
  const result = composeServices(
    (Object.keys(sdls) as SubgraphName[]).map((name) => ({
      name,
      typeDefs: parse(sdls[name]),
      url: `http://localhost:${SUBGRAPH_PORTS[name].port}/graphql`,
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return {
    supergraphSdl: result.supergraphSdl.trim() + '\n',
    apiSdl: printSorted(result.schema.toAPISchema().toGraphQLJSSchema()),
    hints: result.hints.map((h) => `${h.definition.code}: ${h.message}`),
  };
}

/** Types in name order (fields as declared), so a change reads as a small diff. */
function printSorted(schema: GraphQLSchema): string {
  const config = schema.toConfig();
  const types = [...config.types].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return printSchema(new GraphQLSchema({ ...config, types })).trim() + '\n';
}

/**
 * A contract of the API: the subgraphs' SDL with what the contract leaves out
 * marked @inaccessible, composed again. The gateway serves its supergraph; its
 * API schema is what the contract's clients see.
 */
export function composeContract(sdls: Record<SubgraphName, string>, api: Composition, declaration: ContractDeclaration): Composition {
  const cut = contractCut(buildApi(api.apiSdl), declaration);
  const cutSdls = Object.fromEntries((Object.keys(sdls) as SubgraphName[]).map((name) => [name, applyCut(sdls[name], cut)])) as Record<SubgraphName, string>;
  try {
    return composeSupergraph(cutSdls);
  } catch (err) {
    throw new Error(`The ${declaration.name} contract does not compose: ${(err as Error).message}`);
  }
}

/** Every checked-in schema file and page of docs/api/, and the content the code produces for it. */
export async function expectedSchemaFiles(): Promise<{ files: Record<string, string>; docs: Record<string, string>; hints: string[] }> {
  const sdls = {} as Record<SubgraphName, string>;
  for (const s of SUBGRAPHS) sdls[s.name] = await subgraphSdl(s.name);
  const composition = composeSupergraph(sdls);
  const partner = composeContract(sdls, composition, PARTNER_CONTRACT);
  const files: Record<string, string> = {};
  for (const [name, sdl] of Object.entries(sdls)) files[`${name}.graphql`] = sdl;
  files['supergraph.graphql'] = composition.supergraphSdl;
  files['api.graphql'] = composition.apiSdl;
  files['partner-supergraph.graphql'] = partner.supergraphSdl;
  files['partner.graphql'] = partner.apiSdl;
  return { files, docs: apiDocs(composition.apiSdl, partner.apiSdl), hints: composition.hints };
}
