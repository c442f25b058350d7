import { ConfigurableModuleBuilder, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { injectedNames } from './injected';
import type { KunciModuleExtras, KunciModuleOptions } from './options';
import { KunciService } from './kunci.service';
import { configNames } from './raw-config';
import { getKunciClientToken, getTokenManagerToken, getTokenProviderToken, injectedProviderNames } from './tokens';

const builder = new ConfigurableModuleBuilder<KunciModuleOptions>({ moduleName: 'Kunci' })
  .setClassMethodName('forRoot')
  .setExtras<KunciModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal === true,
  }))
  .build();

/** The injection token of the options `forRoot` was given or the `forRootAsync` factory returned. */
export const KUNCI_MODULE_OPTIONS = builder.MODULE_OPTIONS_TOKEN;

/** What `KunciModule.forRoot` takes: the options and `isGlobal`. */
export type KunciModuleForRootOptions = typeof builder.OPTIONS_TYPE;
/** What `KunciModule.forRootAsync` takes: `imports`, `inject`, `useFactory` (or `useClass`, `useExisting`) and `isGlobal`. */
export type KunciModuleAsyncOptions = typeof builder.ASYNC_OPTIONS_TYPE;

function withNamedProviders(definition: DynamicModule, known: readonly string[]): DynamicModule {
  // Every name the config or a decorator names gets providers; one the config lacks resolves to
  // undefined, and the KunciService fails the bootstrap if a class of the application injects it.
  const names = [...new Set([...known, ...injectedProviderNames()])];
  const named: Provider[] = names.flatMap((name) => [
    {
      provide: getTokenManagerToken(name),
      useFactory: (kunci: KunciService) => (kunci.has(name) ? kunci.manager(name) : undefined),
      inject: [KunciService],
    },
    {
      provide: getTokenProviderToken(name),
      useFactory: (kunci: KunciService) => (kunci.has(name) ? kunci.provider(name) : undefined),
      inject: [KunciService],
    },
    {
      provide: getKunciClientToken(name),
      useFactory: (kunci: KunciService) => (kunci.has(name) ? kunci.client(name) : undefined),
      inject: [KunciService],
    },
  ]);
  const service: Provider = {
    provide: KunciService,
    useFactory: (options: KunciModuleOptions, modules: ModulesContainer) =>
      KunciService.create(options, injectedNames(modules, KUNCI_MODULE_OPTIONS, options)),
    inject: [KUNCI_MODULE_OPTIONS, ModulesContainer],
  };
  const tokens = named.map((provider) => (provider as { provide: string }).provide);
  return {
    ...definition,
    providers: [...(definition.providers ?? []), service, ...named],
    exports: [...(definition.exports ?? []), KunciService, ...tokens],
  };
}

/**
 * kunci as a Nest module: for every named provider of the config, a `TokenProvider`, its
 * `TokenManager` and an axios instance that carries its tokens, injectable by name.
 */
@Module({})
export class KunciModule extends builder.ConfigurableModuleClass {
  static override forRoot(options: KunciModuleForRootOptions): DynamicModule {
    return withNamedProviders(super.forRoot(options), configNames(options.config));
  }

  static override forRootAsync(options: KunciModuleAsyncOptions): DynamicModule {
    return withNamedProviders(super.forRootAsync(options), []);
  }
}
