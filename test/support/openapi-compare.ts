/**
 * Compares a generated OpenAPI 3.0 document with a contract, operation by operation.
 *
 * Both sides are resolved first ($ref followed, allOf merged, `anyOf: [X, null]` read as a nullable
 * X), so the comparison is structural: component names may differ. The generated document may say
 * MORE than the contract (extra operations, statuses, properties, optional parameters, constraints
 * the contract leaves open) but never less or something different. Every difference is returned as
 * one line, `<where>: <what>`, so that a failing test lists them all at once.
 */

type Json = Record<string, any>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Schema keywords that must be equal when the contract sets them. */
const SCALAR_KEYWORDS = [
  'type',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'default',
] as const;

/**
 * `request`: what clients send (required fields and closed objects must match exactly).
 * `response`: what the server sends (it may require more than the contract promises).
 */
type Direction = 'request' | 'response';

export function compareOpenApi(contract: Json, generated: Json): string[] {
  const differences: string[] = [];
  for (const [path, contractItem] of Object.entries<Json>(contract.paths ?? {})) {
    for (const method of HTTP_METHODS.filter((m) => contractItem[m])) {
      const where = `${method.toUpperCase()} ${path}`;
      const generatedItem = generated.paths?.[path];
      if (!generatedItem?.[method]) {
        differences.push(`${where}: operation missing`);
        continue;
      }
      compareOperation(
        where,
        { doc: contract, item: contractItem, op: contractItem[method] },
        { doc: generated, item: generatedItem, op: generatedItem[method] },
        differences,
      );
    }
  }
  return differences;
}

interface OperationSide {
  doc: Json;
  item: Json;
  op: Json;
}

function compareOperation(
  where: string,
  contract: OperationSide,
  generated: OperationSide,
  out: string[],
): void {
  for (const key of ['operationId', 'summary'] as const) {
    if (contract.op[key] !== generated.op[key]) {
      out.push(
        `${where}: ${key} is ${show(generated.op[key])}, contract says ${show(contract.op[key])}`,
      );
    }
  }
  const tags = (op: Json): string => show([...((op.tags as string[]) ?? [])].sort());
  if (tags(contract.op) !== tags(generated.op)) {
    out.push(`${where}: tags are ${tags(generated.op)}, contract says ${tags(contract.op)}`);
  }
  compareParameters(where, contract, generated, out);
  compareRequestBody(where, contract, generated, out);
  compareResponses(where, contract, generated, out);
}

/** Path-level and operation-level parameters, resolved and keyed by `in` + name. */
function parametersOf(side: OperationSide): Map<string, Json> {
  const all = [...(side.item.parameters ?? []), ...(side.op.parameters ?? [])].map((p: Json) =>
    deref(side.doc, p),
  );
  // Header names are case-insensitive.
  return new Map(
    all.map((p) => [`${p.in} ${p.in === 'header' ? String(p.name).toLowerCase() : p.name}`, p]),
  );
}

function compareParameters(
  where: string,
  contract: OperationSide,
  generated: OperationSide,
  out: string[],
): void {
  const contractParams = parametersOf(contract);
  const generatedParams = parametersOf(generated);
  for (const [key, cp] of contractParams) {
    const at = `${where} parameter ${cp.in} "${cp.name}"`;
    const gp = generatedParams.get(key);
    if (!gp) {
      out.push(`${at}: missing`);
      continue;
    }
    if (Boolean(cp.required) !== Boolean(gp.required)) {
      out.push(
        `${at}: required is ${show(Boolean(gp.required))}, contract says ${show(Boolean(cp.required))}`,
      );
    }
    compareSchema(at, contract.doc, cp.schema, generated.doc, gp.schema, 'request', out);
  }
  for (const [key, gp] of generatedParams) {
    if (!contractParams.has(key) && gp.required) {
      out.push(`${where} parameter ${gp.in} "${gp.name}": required, but not in the contract`);
    }
  }
}

function compareRequestBody(
  where: string,
  contract: OperationSide,
  generated: OperationSide,
  out: string[],
): void {
  if (!contract.op.requestBody) {
    return;
  }
  const at = `${where} request body`;
  const cb = deref(contract.doc, contract.op.requestBody);
  const gb = generated.op.requestBody && deref(generated.doc, generated.op.requestBody);
  if (!gb) {
    out.push(`${at}: missing`);
    return;
  }
  if (Boolean(cb.required) !== Boolean(gb.required)) {
    out.push(
      `${at}: required is ${show(Boolean(gb.required))}, contract says ${show(Boolean(cb.required))}`,
    );
  }
  compareContent(at, contract.doc, cb.content, generated.doc, gb.content, 'request', out);
}

function compareResponses(
  where: string,
  contract: OperationSide,
  generated: OperationSide,
  out: string[],
): void {
  for (const [status, contractResponse] of Object.entries<Json>(contract.op.responses ?? {})) {
    const at = `${where} response ${status}`;
    const cr = deref(contract.doc, contractResponse);
    const generatedResponse = generated.op.responses?.[status];
    if (!generatedResponse) {
      out.push(`${at}: missing`);
      continue;
    }
    const gr = deref(generated.doc, generatedResponse);
    compareContent(at, contract.doc, cr.content, generated.doc, gr.content, 'response', out);
    const generatedHeaders = new Map(
      Object.entries<Json>(gr.headers ?? {}).map(([name, h]) => [
        name.toLowerCase(),
        deref(generated.doc, h),
      ]),
    );
    for (const [name, contractHeader] of Object.entries<Json>(cr.headers ?? {})) {
      const ch = deref(contract.doc, contractHeader);
      const gh = generatedHeaders.get(name.toLowerCase());
      if (!gh) {
        out.push(`${at} header ${name}: missing`);
        continue;
      }
      if (ch.required && !gh.required) {
        out.push(`${at} header ${name}: not required, contract says required`);
      }
      compareSchema(
        `${at} header ${name}`,
        contract.doc,
        ch.schema,
        generated.doc,
        gh.schema,
        'response',
        out,
      );
    }
  }
}

function compareContent(
  at: string,
  contractDoc: Json,
  contractContent: Json | undefined,
  generatedDoc: Json,
  generatedContent: Json | undefined,
  direction: Direction,
  out: string[],
): void {
  for (const [mediaType, cm] of Object.entries<Json>(contractContent ?? {})) {
    const gm = generatedContent?.[mediaType];
    if (!gm) {
      out.push(`${at}: no ${mediaType} content`);
      continue;
    }
    compareSchema(`${at} body`, contractDoc, cm.schema, generatedDoc, gm.schema, direction, out);
  }
}

/**
 * Checks that the generated schema says what the contract's says: same keywords where the
 * contract sets them, the contract's properties (recursively), its required fields, enums and
 * closed objects. `at` names the place, then `.prop`, `[]` (items) and `{}` (additionalProperties).
 */
function compareSchema(
  at: string,
  contractDoc: Json,
  contractSchema: Json | undefined,
  generatedDoc: Json,
  generatedSchema: Json | undefined,
  direction: Direction,
  out: string[],
  depth = 0,
): void {
  if (!contractSchema) {
    return;
  }
  if (!generatedSchema) {
    out.push(`${at}: no schema`);
    return;
  }
  if (depth > 20) {
    return;
  } // a recursive schema: what is above has been compared already
  let c: Json;
  let g: Json;
  try {
    c = normalize(contractDoc, contractSchema);
    g = normalize(generatedDoc, generatedSchema);
  } catch (error) {
    out.push(`${at}: ${(error as Error).message}`);
    return;
  }
  const recurse = (suffix: string, cs: Json | undefined, gs: Json | undefined): void =>
    compareSchema(`${at}${suffix}`, contractDoc, cs, generatedDoc, gs, direction, out, depth + 1);

  for (const keyword of SCALAR_KEYWORDS) {
    if (c[keyword] !== undefined && show(c[keyword]) !== show(g[keyword])) {
      out.push(`${at}: ${keyword} is ${show(g[keyword])}, contract says ${show(c[keyword])}`);
    }
  }
  if (Boolean(c.nullable) !== Boolean(g.nullable)) {
    out.push(
      `${at}: ${c.nullable ? 'not nullable, contract says nullable' : 'nullable, contract says not'}`,
    );
  }
  if (c.enum) {
    const sorted = (values: unknown[] | undefined): string | undefined =>
      values && show([...values].map(show).sort());
    if (sorted(c.enum) !== sorted(g.enum)) {
      out.push(`${at}: enum is ${show(g.enum)}, contract says ${show(c.enum)}`);
    }
  }

  const contractRequired: string[] = c.required ?? [];
  const generatedRequired: string[] = g.required ?? [];
  const missingRequired = contractRequired.filter((name) => !generatedRequired.includes(name));
  if (missingRequired.length > 0) {
    out.push(`${at}: does not require ${missingRequired.join(', ')}`);
  }
  if (direction === 'request') {
    const extraRequired = generatedRequired.filter((name) => !contractRequired.includes(name));
    if (extraRequired.length > 0) {
      out.push(`${at}: requires ${extraRequired.join(', ')}, contract does not`);
    }
  }

  for (const [name, cp] of Object.entries<Json>(c.properties ?? {})) {
    if (!g.properties?.[name]) {
      out.push(`${at}.${name}: missing`);
      continue;
    }
    recurse(`.${name}`, cp, g.properties[name]);
  }

  if (c.additionalProperties === false && g.additionalProperties !== false) {
    out.push(`${at}: additionalProperties is ${show(g.additionalProperties)}, contract says false`);
  } else if (c.additionalProperties === true && !isOpen(g.additionalProperties)) {
    out.push(`${at}: additionalProperties is ${show(g.additionalProperties)}, contract says true`);
  } else if (typeof c.additionalProperties === 'object') {
    if (typeof g.additionalProperties !== 'object') {
      out.push(
        `${at}{}: additionalProperties is ${show(g.additionalProperties)}, contract has a schema`,
      );
    } else {
      recurse('{}', c.additionalProperties, g.additionalProperties);
    }
  }

  if (c.items) {
    recurse('[]', c.items, g.items);
  }

  if (c.anyOf) {
    if (!g.anyOf || g.anyOf.length !== c.anyOf.length) {
      out.push(
        `${at}: anyOf has ${show(g.anyOf?.length ?? 0)} branches, contract has ${c.anyOf.length}`,
      );
    } else {
      c.anyOf.forEach((branch: Json, i: number) => recurse(`|${i}`, branch, g.anyOf[i]));
    }
  }
}

/** `true`, a schema or nothing: extra properties allowed. */
function isOpen(additionalProperties: unknown): boolean {
  return additionalProperties === true || typeof additionalProperties === 'object';
}

/** Follows `$ref`s (local ones: `#/components/...`) until a value without one. */
function deref(doc: Json, value: Json): Json {
  let current = value;
  for (let hops = 0; current?.$ref !== undefined; hops++) {
    if (hops > 50) {
      throw new Error(`$ref cycle at ${String(current.$ref)}`);
    }
    const ref = String(current.$ref);
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<Json | undefined>((node, part) => node?.[part], doc);
    if (target === undefined) {
      throw new Error(`unresolved $ref ${ref}`);
    }
    current = target;
  }
  return current;
}

/** A null branch of anyOf/oneOf: `{ type: 'null' }` or `{ nullable: true, enum: [null] }`. */
function isNullSchema(schema: Json): boolean {
  return (
    schema.type === 'null' ||
    (Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null)
  );
}

/**
 * One flat schema: $ref resolved, allOf parts merged (properties merged, required united),
 * `anyOf`/`oneOf` with a null branch turned into the other branch marked `nullable`.
 */
function normalize(doc: Json, schema: Json): Json {
  const resolved = deref(doc, schema);
  const { allOf, anyOf, oneOf, ...rest } = resolved;
  let result: Json = { ...rest };
  const alternatives: Json[] | undefined = anyOf ?? oneOf;
  if (alternatives) {
    const branches = alternatives.map((branch) => deref(doc, branch));
    const nonNull = branches.filter((branch) => !isNullSchema(branch));
    if (nonNull.length < branches.length) {
      result.nullable = true;
    }
    if (nonNull.length === 1) {
      result = merge(normalize(doc, nonNull[0]), result);
    } else {
      result.anyOf = nonNull;
    }
  }
  for (const part of allOf ?? []) {
    result = merge(result, normalize(doc, part));
  }
  return result;
}

function merge(a: Json, b: Json): Json {
  const merged: Json = { ...a, ...b };
  if (a.properties || b.properties) {
    merged.properties = { ...a.properties, ...b.properties };
  }
  if (a.required || b.required) {
    merged.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  }
  if (a.nullable || b.nullable) {
    merged.nullable = true;
  }
  return merged;
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}
