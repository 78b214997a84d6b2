import type { OpenAPIObject } from '@nestjs/swagger';

/** Names of the schemas that `closeSchemas` marks `additionalProperties: false`. */
const closedSchemaNames = new Set<string>();

/**
 * Marks a request DTO as closed in the OpenAPI document (`additionalProperties: false`), as the
 * ValidationPipe (`forbidNonWhitelisted`) treats it: unknown properties get 400. @nestjs/swagger
 * has no class-level option for this, so buildOpenApiDocument applies it with `closeSchemas`.
 * The schema is named after the class.
 */
export function ClosedSchema(): ClassDecorator {
  return (target) => {
    closedSchemaNames.add(target.name);
  };
}

/** Sets `additionalProperties: false` on the schemas of the classes marked @ClosedSchema(). */
export function closeSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const name of closedSchemaNames) {
    const schema = schemas[name];
    if (schema && !('$ref' in schema)) {
      schema.additionalProperties = false;
    }
  }
  return document;
}
