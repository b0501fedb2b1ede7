// `modelmart orgs create|list|show`: organisations (tenants), as the local operator.
import { Command } from 'commander';
import { localOperator, type OrganisationRecord } from '../accounts/index.js';
import { addDatabaseOptions, type DatabaseOptions } from './cli-options.js';
import { formatTable, parsePerMinute, withAccountServices } from './keys-command.js';

const limit = (value: number | null): string => (value === null ? '' : String(value));

function formatOrganisations(organisations: readonly OrganisationRecord[]): string {
  const rows = organisations.map((organisation) => [organisation.id, organisation.slug, organisation.name, limit(organisation.requests_per_minute), limit(organisation.tokens_per_minute), organisation.archived_at ?? '']);
  return formatTable(['ID', 'SLUG', 'NAME', 'RPM', 'TPM', 'ARCHIVED'], rows, 'no organisations');
}

export function createOrgsCommand(): Command {
  const orgs = new Command('orgs').description('create, list and show organisations');

  addDatabaseOptions(orgs.command('create').description('create an organisation (with a default project)'))
    .requiredOption('-n, --name <name>', "the organisation's name")
    .option('--slug <slug>', 'a unique short name (default: made from the name)')
    .option('--rpm <n>', 'requests per minute for the whole organisation', parsePerMinute('--rpm'))
    .option('--tpm <n>', 'tokens per minute for the whole organisation', parsePerMinute('--tpm'))
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { name: string; slug?: string; rpm?: number; tpm?: number; json?: boolean }) => {
      const created = await withAccountServices(options, async ({ organisations, audit }) => {
        const organisation = await organisations.createOrganisation(
          {
            name: options.name,
            ...(options.slug === undefined ? {} : { slug: options.slug }),
            ...(options.rpm === undefined ? {} : { requests_per_minute: options.rpm }),
            ...(options.tpm === undefined ? {} : { tokens_per_minute: options.tpm }),
          },
          localOperator,
        );
        await audit({ action: 'organisation.create', targetType: 'organisation', targetId: organisation.id, after: organisation, organisationId: organisation.id });
        return organisation;
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(created)}\n` : `created ${created.id} (${created.slug})\n`);
    });

  addDatabaseOptions(orgs.command('list').description('list organisations'))
    .option('-a, --all', 'include archived organisations')
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { all?: boolean; json?: boolean }) => {
      const list = await withAccountServices(options, ({ organisations }) => organisations.listOrganisations({ includeArchived: options.all === true }, localOperator));
      process.stdout.write(options.json === true ? `${JSON.stringify(list)}\n` : formatOrganisations(list));
    });

  addDatabaseOptions(orgs.command('show').description('show an organisation with its projects and users').argument('<id>', 'the organisation id (org_…)'))
    .option('--json', 'print JSON')
    .action(async (id: string, options: DatabaseOptions & { json?: boolean }) => {
      const shown = await withAccountServices(options, async ({ organisations }) => ({
        ...(await organisations.getOrganisation(id, localOperator)),
        projects: await organisations.listProjects(id, { includeArchived: true }, localOperator),
        users: await organisations.listMembers(id, localOperator),
      }));
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(shown)}\n`);
        return;
      }
      process.stdout.write(formatOrganisations([shown]));
      process.stdout.write(`\nprojects:\n${formatTable(['ID', 'NAME', 'RPM', 'TPM', 'ARCHIVED'], shown.projects.map((project) => [project.id, project.name, limit(project.requests_per_minute), limit(project.tokens_per_minute), project.archived_at ?? '']), 'no projects')}`);
      process.stdout.write(`\nusers:\n${formatTable(['ID', 'EMAIL', 'ROLE'], shown.users.map((user) => [user.id, user.email, user.role]), 'no users')}`);
    });

  return orgs;
}
