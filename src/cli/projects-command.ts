// `modelmart projects create|list --org`: an organisation's projects, as the local operator.
import { Command } from 'commander';
import { localOperator } from '../accounts/index.js';
import { addDatabaseOptions, type DatabaseOptions } from './cli-options.js';
import { formatTable, parsePerMinute, withAccountServices } from './keys-command.js';

export function createProjectsCommand(): Command {
  const projects = new Command('projects').description("create and list an organisation's projects");

  addDatabaseOptions(projects.command('create').description('create a project in an organisation'))
    .requiredOption('--org <id>', 'the organisation id (org_…)')
    .requiredOption('-n, --name <name>', "the project's name")
    .option('--rpm <n>', 'requests per minute for the project', parsePerMinute('--rpm'))
    .option('--tpm <n>', 'tokens per minute for the project', parsePerMinute('--tpm'))
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { org: string; name: string; rpm?: number; tpm?: number; json?: boolean }) => {
      const created = await withAccountServices(options, async ({ organisations, audit }) => {
        const project = await organisations.createProject(
          options.org,
          {
            name: options.name,
            ...(options.rpm === undefined ? {} : { requests_per_minute: options.rpm }),
            ...(options.tpm === undefined ? {} : { tokens_per_minute: options.tpm }),
          },
          localOperator,
        );
        await audit({ action: 'project.create', targetType: 'project', targetId: project.id, after: project, organisationId: project.organisation_id });
        return project;
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(created)}\n` : `created ${created.id} in ${created.organisation_id}\n`);
    });

  addDatabaseOptions(projects.command('list').description("list an organisation's projects"))
    .requiredOption('--org <id>', 'the organisation id (org_…)')
    .option('-a, --all', 'include archived projects')
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { org: string; all?: boolean; json?: boolean }) => {
      const list = await withAccountServices(options, ({ organisations }) => organisations.listProjects(options.org, { includeArchived: options.all === true }, localOperator));
      const rows = list.map((project) => [project.id, project.name, String(project.requests_per_minute ?? ''), String(project.tokens_per_minute ?? ''), project.archived_at ?? '']);
      process.stdout.write(options.json === true ? `${JSON.stringify(list)}\n` : formatTable(['ID', 'NAME', 'RPM', 'TPM', 'ARCHIVED'], rows, 'no projects'));
    });

  return projects;
}
