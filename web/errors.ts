/** A POST without the session's form token. */
export class CsrfRefused extends Error {}

/** The thing a URL names does not exist, or the person's role may not see it. */
export class NotFound extends Error {}

/** The page for an API answer with no data: a refusal by role (403) or the API's own error, as a notification. */
export function refusal(errors: ReadonlyArray<{ message: string; extensions?: { code?: string } }>): Record<string, unknown> {
  if (errors.some((e) => e.extensions?.code === 'FORBIDDEN')) {
    return { title: 'You do not have access to this page', paragraphs: ['Your role does not include what this page shows. If you think it should, ask your service administrator.'], links: [{ href: '/', text: 'Go to the start page' }] };
  }
  return { title: 'Sorry, this page could not be shown', notice: { title: 'Important', text: errors[0]?.message ?? 'The partnership\'s data service gave no answer.' }, paragraphs: [] };
}
