// `modelmart users add|list --org`: an organisation's users and their roles, as the local operator.
import { Command, Option } from 'commander';
import { localOperator, organisationRoleSchema } from '../accounts/index.js';
import { addDatabaseOptions, type DatabaseOptions } from './cli-options.js';
import { formatTable, withAccountServices } from './keys-command.js';

export function createUsersCommand(): Command {
  const users = new Command('users').description("add and list an organisation's users");

  addDatabaseOptions(users.command('add').description('add a user (made on first use of the email) to an organisation'))
    .requiredOption('--org <id>', 'the organisation id (org_…)')
    .requiredOption('--email <email>', "the user's email address")
    .option('-n, --name <name>', "the user's name")
    .addOption(new Option('--role <role>', 'the role in the organisation').choices(organisationRoleSchema.options).default('member'))
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { org: string; email: string; name?: string; role: string; json?: boolean }) => {
      const added = await withAccountServices(options, async ({ organisations, audit }) => {
        const member = await organisations.addMember(options.org, { email: options.email, role: organisationRoleSchema.parse(options.role), ...(options.name === undefined ? {} : { name: options.name }) }, localOperator);
        await audit({ action: 'member.add', targetType: 'user', targetId: member.id, after: member, organisationId: member.organisation_id });
        return member;
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(added)}\n` : `added ${added.id} (${added.email}) to ${added.organisation_id} as ${added.role}\n`);
    });

  addDatabaseOptions(users.command('list').description("list an organisation's users"))
    .requiredOption('--org <id>', 'the organisation id (org_…)')
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { org: string; json?: boolean }) => {
      const list = await withAccountServices(options, ({ organisations }) => organisations.listMembers(options.org, localOperator));
      const rows = list.map((user) => [user.id, user.email, user.name ?? '', user.role, user.joined_at]);
      process.stdout.write(options.json === true ? `${JSON.stringify(list)}\n` : formatTable(['ID', 'EMAIL', 'NAME', 'ROLE', 'JOINED'], rows, 'no users'));
    });

  return users;
}
