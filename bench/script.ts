/**
 * Runs a benchmark's main; each file calls it only when run as a script
 * (`if (require.main === module)`), so a test or a type check that loads the file
 * starts nothing. A failure prints and exits 1.
 */
export function runScript(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
