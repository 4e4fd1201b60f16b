import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { effectiveRoles, type RoleName, ALL_ROLES } from '../platform/roles';
import type { Caller } from '../platform/auth';

/**
 * Trusted documents: the operations partner apps registered
 * (`npm run documents:register`), by the SHA-256 of their text, the same hash
 * automatic persisted queries use. In production the gateway runs only these for
 * the roles named in TRUSTED_DOCUMENTS_ROLES, so a leaked partner credential can
 * run what the app runs and nothing else.
 */
export interface TrustedDocument {
  /** Who registered it: the partner app's name. */
  client: string;
  /** The operation's name, for logs and errors. */
  name: string | null;
  body: string;
}

/** The file `npm run documents:register` writes and the gateway reads. */
export interface TrustedDocumentsFile {
  documents: Record<string, TrustedDocument>;
}

/** A document's hash: lower-case hex SHA-256 of its text exactly as sent. */
export function documentHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Reads the registered documents; a missing file is none registered. */
export function loadTrustedDocuments(path: string): Map<string, TrustedDocument> {
  if (!existsSync(path)) return new Map();
  const file = JSON.parse(readFileSync(path, 'utf8')) as TrustedDocumentsFile;
  const documents = new Map<string, TrustedDocument>();
  for (const [hash, document] of Object.entries(file.documents ?? {})) {
    // A file edited by hand must still say what it holds.
    if (documentHash(document.body) !== hash) throw new Error(`${path}: the document registered as ${hash} does not hash to it; register it again.`);
    documents.set(hash, document);
  }
  return documents;
}

export interface TrustedDocumentSettings {
  /** Roles that may run registered documents only; none turns the check off. */
  roles: RoleName[];
  path: string;
}

/**
 * TRUSTED_DOCUMENTS_ROLES: comma-separated roles held to registered documents,
 * or "none". In production it defaults to partner_app; outside production to
 * none, so developers work with any operation (and APQ). TRUSTED_DOCUMENTS_PATH
 * names the file (default: the given one).
 */
export function trustedDocumentSettingsFromEnv(defaultPath: string, production: boolean, env: NodeJS.ProcessEnv = process.env): TrustedDocumentSettings {
  const raw = env.TRUSTED_DOCUMENTS_ROLES ?? (production ? 'partner_app' : 'none');
  const names = raw.split(',').map((r) => r.trim()).filter((r) => r && r !== 'none');
  const unknown = names.filter((r) => !(ALL_ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`TRUSTED_DOCUMENTS_ROLES names unknown roles: ${unknown.join(', ')}; expected some of ${ALL_ROLES.join(', ')}, or none.`);
  return { roles: names as RoleName[], path: env.TRUSTED_DOCUMENTS_PATH || defaultPath };
}

/** Refuses, for callers holding one of the roles, any operation not registered. */
export function trustedDocumentsPlugin<C extends { caller?: Caller }>(documents: Map<string, TrustedDocument>, roles: readonly RoleName[]): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      // Held to it when any of the caller's roles is: a second role does not lift it.
      if (!effectiveRoles(contextValue.caller ?? null).some((r) => roles.includes(r))) return;
      return {
        async didResolveOperation({ source, queryHash }) {
          const hash = queryHash ?? documentHash(source);
          if (documents.has(hash)) return;
          throw new GraphQLError(
            `This operation is not registered for your app: in production, partner apps run only the operations they registered (npm run documents:register), by the SHA-256 of the document's text (${hash}).`,
            { extensions: { code: 'PERSISTED_QUERY_NOT_REGISTERED', http: { status: 400 } } },
          );
        },
      };
    },
  };
}

/**
 * Apollo's persisted-query cache with the registered documents behind it, so that
 * an app may send a registered document's hash alone, even to a gateway that has
 * just started. Other entries (automatic persisted queries) are kept, the most
 * recent `size` of them.
 */
export function persistedQueryCache(documents: Map<string, TrustedDocument>, size = 1_000) {
  const recent = new Map<string, string>();
  return {
    async get(key: string): Promise<string | undefined> {
      // Apollo prefixes its persisted-query keys with "apq:".
      const trusted = documents.get(key.replace(/^apq:/, ''))?.body;
      if (trusted !== undefined) return trusted;
      const value = recent.get(key);
      if (value !== undefined) {
        recent.delete(key);
        recent.set(key, value);
      }
      return value;
    },
    async set(key: string, value: string): Promise<void> {
      recent.delete(key);
      recent.set(key, value);
      if (recent.size > size) recent.delete(recent.keys().next().value!);
    },
    async delete(key: string): Promise<boolean | void> {
      recent.delete(key);
    },
  };
}
