import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { join } from 'node:path';
import { subgraphSchema } from '../subgraphs/toolkit/subgraph';
import { SUBGRAPH_PORTS, type SubgraphName } from '../platform/topology';
import { SUBGRAPHS } from './subgraphs';

export const SCHEMA_DIR = join(__dirname, '..', '..', 'schema');

/** The SDL a subgraph publishes, as its code declares it. */
export async function subgraphSdl(name: SubgraphName): Promise<string> {
  const definition = SUBGRAPHS.find((s) => s.name === name)!;
  return printSubgraphSchema(await subgraphSchema(definition)).trim() + '\n';
}

export interface Composition {
  supergraphSdl: string;
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
  return { supergraphSdl: result.supergraphSdl.trim() + '\n', hints: result.hints.map((h) => `${h.definition.code}: ${h.message}`) };
}

/** Every checked-in schema file and the content the code produces for it. */
export async function expectedSchemaFiles(): Promise<{ files: Record<string, string>; hints: string[] }> {
  const sdls = {} as Record<SubgraphName, string>;
  for (const s of SUBGRAPHS) sdls[s.name] = await subgraphSdl(s.name);
  const { supergraphSdl, hints } = composeSupergraph(sdls);
  const files: Record<string, string> = {};
  for (const [name, sdl] of Object.entries(sdls)) files[`${name}.graphql`] = sdl;
  files['supergraph.graphql'] = supergraphSdl;
  return { files, hints };
}
