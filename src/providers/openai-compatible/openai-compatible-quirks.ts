// How an OpenAI-compatible upstream departs from OpenAI's own API, written as data: parameters
// it rejects, names it uses instead, value ranges, stream usage. A preset holds the vendor's
// quirks and those of particular model families; they are merged once per upstream model.

export interface NumberRange {
  readonly minimum: number;
  readonly maximum: number;
}

export type ToolChoiceKind = 'none' | 'auto' | 'required' | 'function';

export interface OpenAiCompatibleQuirks {
  /** Request fields the upstream rejects or silently ignores: dropped, with a warning. */
  readonly unsupportedParameters?: readonly string[];
  /**
   * For upstreams that reject any field they do not know: only these request fields are sent
   * (besides model, messages and the stream fields, which the adapter writes itself). Named as
   * the upstream names them, after renaming.
   */
  readonly supportedParameters?: readonly string[];
  /** Fields the upstream knows under another name, e.g. `max_completion_tokens` → `max_tokens`. */
  readonly renamedParameters?: Readonly<Record<string, string>>;
  readonly temperatureRange?: NumberRange;
  readonly topPRange?: NumberRange;
  /** The most choices (`n`) one request may ask for. */
  readonly maximumChoices?: number;
  readonly maximumStopSequences?: number;
  /**
   * `request`: the upstream honours `stream_options.include_usage`, so we ask for it.
   * `automatic`: it reports usage in its last chunk(s) unasked, and may reject stream_options.
   */
  readonly streamUsage?: 'request' | 'automatic';
  /** False when the upstream rejects `name` on messages. */
  readonly messageNames?: boolean;
  /** Whether the upstream knows the `developer` role; if not, it is sent as `system`. */
  readonly developerRole?: boolean;
  /** The upstream wants message content as a string: all-text part arrays are joined. */
  readonly textContentAsString?: boolean;
  /** The tool_choice forms the upstream accepts; others are dropped with a warning. */
  readonly toolChoices?: readonly ToolChoiceKind[];
  /** tool_choice strings the upstream spells differently (Mistral: `required` → `any`). */
  readonly toolChoiceNames?: Readonly<Record<string, string>>;
}

export interface ModelFamilyQuirks {
  /** Matched against the upstream model name. */
  readonly models: RegExp;
  /** Names the family in warnings, e.g. "reasoning models". */
  readonly family: string;
  readonly quirks: OpenAiCompatibleQuirks;
}

/** Quirks merged for one upstream model, in the form the request converter reads fastest. */
export interface ResolvedQuirks {
  /** "deepseek" or "deepseek (reasoning models)": who the warnings name. */
  readonly subject: string;
  readonly unsupportedParameters: ReadonlySet<string>;
  readonly supportedParameters: ReadonlySet<string> | undefined;
  readonly renamedParameters: ReadonlyMap<string, string>;
  readonly temperatureRange: NumberRange | undefined;
  readonly topPRange: NumberRange | undefined;
  readonly maximumChoices: number | undefined;
  readonly maximumStopSequences: number | undefined;
  readonly streamUsage: 'request' | 'automatic';
  readonly messageNames: boolean;
  readonly developerRole: boolean;
  readonly textContentAsString: boolean;
  readonly toolChoices: ReadonlySet<ToolChoiceKind> | undefined;
  readonly toolChoiceNames: ReadonlyMap<string, string>;
}

/** Later quirks override earlier ones; parameter lists and renames accumulate. */
export function resolveQuirks(vendor: string, base: OpenAiCompatibleQuirks, families: readonly ModelFamilyQuirks[], upstreamModel: string): ResolvedQuirks {
  const layers: OpenAiCompatibleQuirks[] = [base];
  const familyNames: string[] = [];
  for (const family of families) {
    if (family.models.test(upstreamModel)) {
      layers.push(family.quirks);
      familyNames.push(family.family);
    }
  }
  const unsupportedParameters = new Set<string>();
  const renamedParameters = new Map<string, string>();
  const toolChoiceNames = new Map<string, string>();
  let supportedParameters: ReadonlySet<string> | undefined;
  let toolChoices: ReadonlySet<ToolChoiceKind> | undefined;
  let temperatureRange: NumberRange | undefined;
  let topPRange: NumberRange | undefined;
  let maximumChoices: number | undefined;
  let maximumStopSequences: number | undefined;
  let streamUsage: 'request' | 'automatic' = 'request';
  let messageNames = true;
  // Most compatible servers predate the developer role, while system means the same to them.
  let developerRole = false;
  let textContentAsString = false;
  for (const layer of layers) {
    // Within the layers, the later word wins: a family may drop what the vendor renames, or
    // rename what the vendor drops.
    for (const parameter of layer.unsupportedParameters ?? []) {
      unsupportedParameters.add(parameter);
      renamedParameters.delete(parameter);
    }
    for (const [from, to] of Object.entries(layer.renamedParameters ?? {})) {
      renamedParameters.set(from, to);
      unsupportedParameters.delete(from);
    }
    for (const [from, to] of Object.entries(layer.toolChoiceNames ?? {})) toolChoiceNames.set(from, to);
    if (layer.supportedParameters !== undefined) supportedParameters = new Set(layer.supportedParameters);
    if (layer.toolChoices !== undefined) toolChoices = new Set(layer.toolChoices);
    temperatureRange = layer.temperatureRange ?? temperatureRange;
    topPRange = layer.topPRange ?? topPRange;
    maximumChoices = layer.maximumChoices ?? maximumChoices;
    maximumStopSequences = layer.maximumStopSequences ?? maximumStopSequences;
    streamUsage = layer.streamUsage ?? streamUsage;
    messageNames = layer.messageNames ?? messageNames;
    developerRole = layer.developerRole ?? developerRole;
    textContentAsString = layer.textContentAsString ?? textContentAsString;
  }
  return {
    subject: familyNames.length === 0 ? vendor : `${vendor} (${familyNames.join(', ')})`,
    unsupportedParameters,
    supportedParameters,
    renamedParameters,
    temperatureRange,
    topPRange,
    maximumChoices,
    maximumStopSequences,
    streamUsage,
    messageNames,
    developerRole,
    textContentAsString,
    toolChoices,
    toolChoiceNames,
  };
}
