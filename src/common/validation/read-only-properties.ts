const READ_ONLY_PROPERTIES = Symbol('readOnlyProperties');

/**
 * Class decorator for input DTOs: names the properties of the resource that the server manages,
 * so that a request sending one is told exactly that, not just "unknown property".
 * The properties stay undeclared, so the global `forbidNonWhitelisted` rejects them.
 */
export function ReadOnlyProperties(properties: readonly string[]): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(READ_ONLY_PROPERTIES, new Set(properties), target);
  };
}

export function readOnlyPropertiesOf(instance: object): ReadonlySet<string> {
  return (
    (Reflect.getMetadata(READ_ONLY_PROPERTIES, instance.constructor) as Set<string> | undefined) ??
    new Set<string>()
  );
}
