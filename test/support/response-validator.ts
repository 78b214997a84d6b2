import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Checks real responses against the app's own OpenAPI document (/docs-json): the schema of the
 * operation and status each response answers. Every e2e request made through test/support/http.ts
 * goes through it, so the document cannot drift from what the server sends.
 */
type Check = (
  method: string,
  path: string,
  status: number,
  body: unknown,
  mediaType: string,
) => string | undefined;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const validators = new Map<string, Promise<Check | undefined>>();

/** A JSON pointer segment, as a URI fragment. */
function pointer(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

async function build(baseUrl: string): Promise<Check | undefined> {
  const res = await fetch(new URL('/docs-json', baseUrl));
  if (!res.ok) {
    // Docs behind a key (DOCS_PUBLIC=false): nothing to check against.
    return undefined;
  }
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  const routes = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  return (method, path, status, body, mediaType) => {
    const route = routes.find((candidate) => candidate.pattern.test(path));
    const operation = route && (doc.paths[route.template][method.toLowerCase()] as any);
    const response = operation?.responses?.[String(status)];
    if (!response?.content?.[mediaType]?.schema) {
      // A JSON operation answering in another media type has drifted from its document.
      return response?.content?.['application/json'] && mediaType !== 'application/json'
        ? `${method} ${path} answered ${status} as ${mediaType}, which the OpenAPI document does not list`
        : undefined;
    }
    const ref = `openapi#/paths/${pointer(route!.template)}/${method.toLowerCase()}/responses/${status}/content/${pointer(mediaType)}/schema`;
    const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    if (validate(body)) {
      return undefined;
    }
    return `${method} ${path} answered ${status} with a body that does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}`;
  };
}

/**
 * Undefined when the response matches the schema documented for its status and media type
 * (`mediaType`: the Content-Type without parameters), or none is documented.
 */
export async function responseProblem(
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  body: unknown,
  mediaType = 'application/json',
): Promise<string | undefined> {
  let validator = validators.get(baseUrl);
  if (!validator) {
    validator = build(baseUrl);
    validators.set(baseUrl, validator);
  }
  return (await validator)?.(method, path, status, body, mediaType);
}
