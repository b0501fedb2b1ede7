// `modelmart gpts list|show|create|publish|export|import`: GPT definitions on the command line,
// as the local operator (an installation admin). Changes are written to the audit log like the
// API's. Base model names are not checked here: the command line has no router to ask.
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ApiKeyService, AuditLog, defaultOrganisationId, localOperator, OrganisationService } from '../accounts/index.js';
import { invalidRequest } from '../core/index.js';
import type { GptActor, GptExchange, GptRecord, GptService } from '../gpts/index.js';
import { openDatabase } from '../storage/index.js';
import { addDatabaseOptions, loadConfigFromOptions, type DatabaseOptions } from './cli-options.js';
import { formatTable } from './keys-command.js';

interface GptCommandServices {
  readonly gpts: GptService;
  readonly exchange: GptExchange;
  readonly auditLog: AuditLog;
  /** The local operator acting in an organisation and project (default: the default ones). */
  actorIn(organisationId: string | undefined, projectId: string | undefined): Promise<GptActor>;
}

async function withGptServices<Result>(options: DatabaseOptions, work: (services: GptCommandServices) => Promise<Result>): Promise<Result> {
  const config = loadConfigFromOptions(options);
  const database = await openDatabase({ dataDir: config.storage.dataDir, databaseUrl: config.storage.databaseUrl });
  try {
    await database.migrateToLatest();
    const apiKeys = new ApiKeyService(database);
    await apiKeys.initialise();
    const organisations = new OrganisationService(database, apiKeys);
    // The GPT domain (actions, knowledge parsers) loads only when a gpts command runs, not for --help.
    const { GptExchange, GptService } = await import('../gpts/index.js');
    const gpts = new GptService({ database, config: config.gpts });
    const actorIn = async (organisationId: string | undefined, projectId: string | undefined): Promise<GptActor> => {
      const organisation = organisationId ?? defaultOrganisationId;
      // Looking the project up checks the organisation exists, and finds its first project when none is named.
      const projects = await organisations.listProjects(organisation, { includeArchived: false }, localOperator);
      const project = projectId === undefined ? projects[0] : projects.find((candidate) => candidate.id === projectId);
      if (project === undefined) throw invalidRequest(projectId === undefined ? `Organisation ${organisation} has no open project.` : `Organisation ${organisation} has no open project ${projectId}.`, 'project');
      return { ...localOperator, organisationId: organisation, projectId: project.id, userId: null };
    };
    return await work({ gpts, exchange: new GptExchange(gpts), auditLog: new AuditLog(database), actorIn });
  } finally {
    await database.close();
  }
}

const operator: GptActor = { ...localOperator, projectId: 'proj_default', userId: null };

function audit(auditLog: AuditLog, action: string, gpt: { readonly id: string; readonly organisation_id: string }, after: unknown): Promise<unknown> {
  return auditLog.record({ organisationId: gpt.organisation_id, actorKeyId: localOperator.keyId, action, targetType: 'gpt', targetId: gpt.id, after });
}

function formatGpts(gpts: readonly GptRecord[]): string {
  const rows = gpts.map((gpt) => [gpt.slug, gpt.name, gpt.base_model, gpt.visibility, gpt.latest_version === null ? 'draft' : `v${gpt.latest_version}`, gpt.organisation_id]);
  return formatTable(['SLUG', 'NAME', 'BASE MODEL', 'VISIBILITY', 'VERSION', 'ORGANISATION'], rows, 'no GPTs');
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const print = (json: boolean | undefined, value: unknown, text: string) => process.stdout.write(json === true ? `${JSON.stringify(value)}\n` : text);

export function createGptsCommand(): Command {
  const gpts = new Command('gpts').description('create, publish, list, show, export and import GPTs');

  addDatabaseOptions(gpts.command('list').description('list GPTs (not deleted), newest first'))
    .option('--org <id>', 'only GPTs of this organisation')
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { org?: string; json?: boolean }) => {
      const list = await withGptServices(options, ({ gpts: service }) => service.listEditable(operator, options.org === undefined ? {} : { organisationId: options.org }));
      print(options.json, list, formatGpts(list));
    });

  addDatabaseOptions(gpts.command('show').description('show a GPT: its draft and its versions').argument('<slug>', 'the GPT slug (or gpt_… id)'))
    .option('--json', 'print JSON')
    .action(async (slug: string, options: DatabaseOptions & { json?: boolean }) => {
      const shown = await withGptServices(options, async ({ gpts: service }) => ({ ...(await service.get(slug, operator)), versions: await service.listVersions(slug, operator) }));
      const versions = shown.versions.map((version) => [`v${version.version}`, version.published_at, version.published_by_key_id]);
      print(options.json, shown, `${formatGpts([shown])}\ninstructions:\n${shown.instructions || '(none)'}\n\nversions:\n${formatTable(['VERSION', 'PUBLISHED', 'BY'], versions, 'none published')}`);
    });

  addDatabaseOptions(gpts.command('create').description('create a GPT draft'))
    .requiredOption('-n, --name <name>', "the GPT's name")
    .requiredOption('-m, --base-model <model>', 'a catalogue model (<provider>/<model>) or a route name')
    .option('--slug <slug>', 'its unique name in gpt:<slug> (default: made from the name)')
    .option('--description <text>', 'what it does')
    .option('--instructions <text>', 'the instructions it follows')
    .option('--instructions-file <file>', 'read the instructions from a file')
    .option('--starter <text>', 'a conversation starter (repeat for more)', collect)
    .option('--category <category>', 'writing, productivity, research, programming, education, lifestyle, data-analysis or other')
    .option('--visibility <visibility>', 'private (default), organisation, link or public')
    .option('--org <id>', 'the organisation that owns it (default: the default organisation)')
    .option('--project <id>', "the project it belongs to (default: the organisation's first)")
    .option('--json', 'print JSON')
    .action(async (options: DatabaseOptions & { name: string; baseModel: string; slug?: string; description?: string; instructions?: string; instructionsFile?: string; starter?: string[]; category?: string; visibility?: string; org?: string; project?: string; json?: boolean }) => {
      if (options.instructions !== undefined && options.instructionsFile !== undefined) throw invalidRequest('Give --instructions or --instructions-file, not both.');
      const instructions = options.instructionsFile === undefined ? options.instructions : await readFile(options.instructionsFile, 'utf8');
      const created = await withGptServices(options, async ({ gpts: service, auditLog, actorIn }) => {
        const input: Record<string, unknown> = {
          name: options.name,
          base_model: options.baseModel,
          ...(options.slug === undefined ? {} : { slug: options.slug }),
          ...(options.description === undefined ? {} : { description: options.description }),
          ...(instructions === undefined ? {} : { instructions }),
          ...(options.starter === undefined ? {} : { conversation_starters: options.starter }),
          ...(options.category === undefined ? {} : { category: options.category }),
          ...(options.visibility === undefined ? {} : { visibility: options.visibility }),
        };
        // The service checks every field with its schema and names a bad one.
        const gpt = await service.create(input as Parameters<GptService['create']>[0], await actorIn(options.org, options.project));
        await audit(auditLog, 'gpt.create', gpt, gpt);
        return gpt;
      });
      print(options.json, created, `created ${created.slug} (${created.id}); publish it with: modelmart gpts publish ${created.slug}\n`);
    });

  addDatabaseOptions(gpts.command('publish').description("publish a GPT's draft as its next immutable version").argument('<slug>', 'the GPT slug (or gpt_… id)'))
    .option('--json', 'print JSON')
    .action(async (slug: string, options: DatabaseOptions & { json?: boolean }) => {
      const published = await withGptServices(options, async ({ gpts: service, auditLog }) => {
        const gpt = await service.get(slug, operator);
        const version = await service.publish(gpt.id, operator);
        await audit(auditLog, 'gpt.publish', gpt, version);
        return version;
      });
      print(options.json, published, `published ${published.slug} version ${published.version}; call it as gpt:${published.slug} or gpt:${published.slug}@${published.version}\n`);
    });

  addDatabaseOptions(gpts.command('export').description("write a GPT's definition as JSON or YAML").argument('<slug>', 'the GPT slug (or gpt_… id)'))
    .option('--format <format>', 'json (default) or yaml', 'json')
    .option('-o, --output <file>', 'write to this file instead of printing')
    .action(async (slug: string, options: DatabaseOptions & { format: string; output?: string }) => {
      if (options.format !== 'json' && options.format !== 'yaml') throw invalidRequest(`--format: expected json or yaml, got ${JSON.stringify(options.format)}`, 'format');
      const format = options.format;
      const exported = await withGptServices(options, ({ exchange }) => exchange.exportGpt(slug, format, operator));
      if (options.output === undefined) process.stdout.write(exported.text);
      else await writeFile(options.output, exported.text);
    });

  addDatabaseOptions(gpts.command('import').description('create a GPT draft from an exported definition or a LobeChat agent entry').argument('<file>', 'a JSON or YAML file'))
    .option('--format <format>', 'modelmart (default) or lobechat', 'modelmart')
    .option('--slug <slug>', "instead of the document's slug")
    .option('-m, --base-model <model>', "instead of the document's model (needed for a LobeChat entry without one)")
    .option('--visibility <visibility>', "instead of the document's visibility")
    .option('--org <id>', 'the organisation that owns it (default: the default organisation)')
    .option('--project <id>', "the project it belongs to (default: the organisation's first)")
    .option('--json', 'print JSON')
    .action(async (file: string, options: DatabaseOptions & { format: string; slug?: string; baseModel?: string; visibility?: string; org?: string; project?: string; json?: boolean }) => {
      const document = await readFile(file, 'utf8');
      const imported = await withGptServices(options, async ({ exchange, auditLog, actorIn }) => {
        const input: Record<string, unknown> = {
          format: options.format,
          document,
          ...(options.slug === undefined ? {} : { slug: options.slug }),
          ...(options.baseModel === undefined ? {} : { base_model: options.baseModel }),
          ...(options.visibility === undefined ? {} : { visibility: options.visibility }),
        };
        const gpt = await exchange.importGpt(input as Parameters<GptExchange['importGpt']>[0], await actorIn(options.org, options.project));
        await audit(auditLog, 'gpt.import', gpt, gpt);
        return gpt;
      });
      print(options.json, imported, `imported ${imported.slug} (${imported.id}) as a draft\n`);
    });

  return gpts;
}
