import type { Sql } from './sql';

/**
 * The teams and caseworkers the case extract names, found by name (any case) or
 * added, and remembered for the rest of the import. Not person-level records:
 * their writes are not audited.
 */
export class Staff {
  private readonly teams = new Map<string, string>();
  private readonly workers = new Map<string, string>();

  async teamId(sql: Sql, name: string): Promise<string> {
    const cached = this.teams.get(name.toLowerCase());
    if (cached) return cached;
    const [row] = await sql.all<{ id: string }>('SELECT id FROM team WHERE lower(name) = lower(?)', [name]);
    const id = row?.id ?? (await sql.all<{ id: string }>('INSERT INTO team (name, kind) VALUES (?, ?) RETURNING id', [name, /assess/i.test(name) ? 'FOCUSED_ASSESSMENT' : 'PLAN_AND_REVIEW']))[0].id;
    this.teams.set(name.toLowerCase(), id);
    return id;
  }

  async workerId(sql: Sql, name: string, teamId: string): Promise<string> {
    const key = `${teamId}|${name.toLowerCase()}`;
    const cached = this.workers.get(key);
    if (cached) return cached;
    const [row] = await sql.all<{ id: string }>('SELECT id FROM caseworker WHERE lower(name) = lower(?) AND team_id = ?', [name, teamId]);
    const id = row?.id ?? (await sql.all<{ id: string }>('INSERT INTO caseworker (name, team_id) VALUES (?, ?) RETURNING id', [name, teamId]))[0].id;
    this.workers.set(key, id);
    return id;
  }
}
