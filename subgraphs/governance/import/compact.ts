import { createReadStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { csvRecords } from '../../toolkit/import-text';
import { HOME_AREA, STATISTICAL_NEIGHBOURS } from '../area';
import { recogniseHeader } from './dfe';

/**
 * Writes the compact copy of a DfE release that ships with the project
 * (subgraphs/governance/published/): each imported file's whole-population rows
 * for England, every region, the home area and its statistical neighbours, every
 * column as DfE wrote it, so the copy imports exactly as the full files do.
 *
 *   node dist/subgraphs/governance/import/compact.js <release folder> <output folder>
 */
export async function compactFile(path: string, keepLa: ReadonlySet<string>): Promise<{ name: string; text: string; kept: number } | string> {
  const out: string[][] = [];
  let header: string[] | null = null;
  let keep: (row: string[]) => boolean = () => false;
  for await (const { record } of csvRecords<string[]>(createReadStream(path), { relax_column_count: false, skip_empty_lines: true })) {
    if (!header) {
      header = record.map((h) => h.trim());
      const spec = recogniseHeader(header);
      if (typeof spec === 'string') return spec;
      const at = (c: string) => header!.indexOf(c);
      const [topic, level, oldLa] = [at('breakdown_topic'), at('geographic_level'), at('old_la_code')];
      keep = (row) =>
        (typeof spec.allRows === 'string' ? row[topic] === spec.allRows : spec.allRows.test(row[topic])) &&
        (row[level] !== 'Local authority' || keepLa.has(row[oldLa].trim()));
      out.push(header);
      continue;
    }
    if (keep(record)) out.push(record);
  }
  const quoted = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return { name: basename(path), text: out.map((r) => r.map(quoted).join(',')).join('\n') + '\n', kept: out.length - 1 };
}

async function main(from: string, to: string): Promise<number> {
  const keepLa = new Set<string>([HOME_AREA.oldLaCode, ...STATISTICAL_NEIGHBOURS]);
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from).filter((n) => n.endsWith('.csv')).sort()) {
    const r = await compactFile(join(from, f), keepLa);
    if (typeof r === 'string') { console.error(`${f}: ${r}`); return 1; }
    writeFileSync(join(to, r.name), r.text);
    console.log(`${r.name}: ${r.kept} rows, ${Buffer.byteLength(r.text)} bytes`);
  }
  return 0;
}

if (require.main === module) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) { console.error('Usage: node dist/subgraphs/governance/import/compact.js <release folder> <output folder>'); process.exit(2); }
  main(from, to).then((code) => process.exit(code), (e: unknown) => { console.error(String(e)); process.exit(1); });
}
