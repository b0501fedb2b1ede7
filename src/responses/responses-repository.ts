// Stored responses in the database (dialect-neutral Kysely). Every read and delete is scoped to
// the API key that created the response, so one key never learns another's ids exist.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DatabaseSchema } from '../storage/index.js';
import {
  inputItemSchema,
  outputItemSchema,
  responseObjectSchema,
  responseUsageSchema,
  type InputItem,
  type ResponseObject,
} from '../api/responses-schemas.js';

export interface StoredResponse {
  readonly response: ResponseObject;
  /** The conversation's input items as resolved, inherited ones first. */
  readonly inputItems: readonly InputItem[];
  readonly keyId: string;
}

type ResponseRow = DatabaseSchema['responses'];

// The columns of their own are left out of the JSON of the remaining fields.
const responseFieldsSchema = responseObjectSchema.omit({ id: true, object: true, created_at: true, status: true, model: true, output: true, usage: true });
const inputItemsSchema = z.array(inputItemSchema);
const outputItemsSchema = z.array(outputItemSchema);

function toRow(stored: StoredResponse): ResponseRow {
  const { id, object: _object, created_at: createdAt, status, model, output, usage, ...fields } = stored.response;
  return {
    id,
    api_key_id: stored.keyId,
    previous_response_id: stored.response.previous_response_id,
    model,
    status,
    input_items: JSON.stringify(stored.inputItems),
    output_items: JSON.stringify(output),
    usage: usage === null ? null : JSON.stringify(usage),
    response_fields: JSON.stringify(fields),
    created_at: new Date(createdAt * 1000).toISOString(),
  };
}

function fromRow(row: ResponseRow): StoredResponse {
  const response: ResponseObject = {
    ...responseFieldsSchema.parse(JSON.parse(row.response_fields)),
    id: row.id,
    object: 'response',
    created_at: Math.floor(Date.parse(row.created_at) / 1000),
    status: responseObjectSchema.shape.status.parse(row.status),
    model: row.model,
    output: outputItemsSchema.parse(JSON.parse(row.output_items)),
    usage: row.usage === null ? null : responseUsageSchema.parse(JSON.parse(row.usage)),
  };
  return { response, inputItems: inputItemsSchema.parse(JSON.parse(row.input_items)), keyId: row.api_key_id };
}

export class ResponsesRepository {
  constructor(private readonly kysely: Kysely<DatabaseSchema>) {}

  async insert(stored: StoredResponse): Promise<void> {
    await this.kysely.insertInto('responses').values(toRow(stored)).execute();
  }

  async findOwned(id: string, keyId: string): Promise<StoredResponse | undefined> {
    const row = await this.kysely.selectFrom('responses').selectAll().where('id', '=', id).where('api_key_id', '=', keyId).executeTakeFirst();
    return row === undefined ? undefined : fromRow(row);
  }

  /** Returns false when no response with that id belongs to the key. */
  async deleteOwned(id: string, keyId: string): Promise<boolean> {
    const result = await this.kysely.deleteFrom('responses').where('id', '=', id).where('api_key_id', '=', keyId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
