/** A POST without the session's form token. */
export class CsrfRefused extends Error {}

/** The thing a URL names does not exist, or the person's role may not see it. */
export class NotFound extends Error {}
