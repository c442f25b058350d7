import { NAMED_TOKEN } from './tokens';

// Where Nest's @Inject keeps a class's constructor and property tokens (SELF_DECLARED_DEPS_METADATA
// and PROPERTY_DEPS_METADATA of @nestjs/common/constants, the same keys in Nest 11 and 12).
const SELF_DECLARED_DEPS_METADATA = 'self:paramtypes';
const PROPERTY_DEPS_METADATA = 'self:properties_metadata';

/** What this module reads of Nest's modules container (the same in Nest 11 and 12). */
interface WrapperLike {
  readonly metatype?: unknown;
  readonly inject?: readonly unknown[] | null | undefined;
  readonly instance?: unknown;
}
interface ModuleLike {
  readonly isGlobal: boolean;
  readonly imports: ReadonlySet<ModuleLike>;
  readonly providers: ReadonlyMap<unknown, WrapperLike>;
  readonly controllers: ReadonlyMap<unknown, WrapperLike>;
  readonly injectables: ReadonlyMap<unknown, WrapperLike>;
  readonly middlewares: ReadonlyMap<unknown, WrapperLike>;
}
export type ModulesLike = ReadonlyMap<string, ModuleLike>;

/** The tokens a provider, controller or middleware is built with: its constructor's and properties', or a factory's. */
function dependencies(wrapper: WrapperLike): unknown[] {
  if (Array.isArray(wrapper.inject))
    return wrapper.inject.map((item: unknown) =>
      typeof item === 'object' && item !== null && 'token' in item ? item.token : item,
    );
  const type = wrapper.metatype;
  if (typeof type !== 'function') return [];
  const params = (Reflect.getMetadata(SELF_DECLARED_DEPS_METADATA, type) ?? []) as Array<{ param?: unknown }>;
  const properties = (Reflect.getMetadata(PROPERTY_DEPS_METADATA, type) ?? []) as Array<{ type?: unknown }>;
  return [...params.map((dependency) => dependency.param), ...properties.map((dependency) => dependency.type)];
}

/** Every module whose imports lead to `own` (and `own`): where its named providers can be injected. */
function reaching(modules: readonly ModuleLike[], own: ModuleLike): ModuleLike[] {
  const reached = new Set<ModuleLike>([own]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const module of modules) {
      if (reached.has(module) || ![...module.imports].some((imported) => reached.has(imported))) continue;
      reached.add(module);
      grew = true;
    }
  }
  return [...reached];
}

/**
 * The provider names that the application's classes inject by the named tokens, each with the
 * classes that do: only the classes of the modules that can reach this KunciModule (every module
 * when it is global), so that a decorated class no module uses asks for nothing.
 */
export function injectedNames(container: ModulesLike, optionsToken: unknown, options: unknown): Map<string, string[]> {
  const modules = [...container.values()];
  const own = modules.find((module) => module.providers.get(optionsToken)?.instance === options);
  const scope = own === undefined || own.isGlobal ? modules : reaching(modules, own);
  const names = new Map<string, string[]>();
  for (const module of scope) {
    for (const wrappers of [module.providers, module.controllers, module.injectables, module.middlewares]) {
      for (const wrapper of wrappers.values()) {
        for (const token of dependencies(wrapper)) {
          const name = typeof token === 'string' ? NAMED_TOKEN.exec(token)?.[2] : undefined;
          if (name === undefined) continue;
          const type = wrapper.metatype as { name?: unknown } | null | undefined;
          const by = typeof type?.name === 'string' && type.name !== '' ? type.name : 'a factory';
          const classes = names.get(name) ?? [];
          if (!classes.includes(by)) classes.push(by);
          names.set(name, classes);
        }
      }
    }
  }
  return names;
}
