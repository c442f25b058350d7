import { readFileSync } from 'node:fs';
import { ConfigurableModuleBuilder, Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { KunciModuleExtras, KunciModuleOptions } from './options';
import { KunciService } from './kunci.service';
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

/**
 * The provider names a config object names, or the file at a path, when it can be read; a config
 * that cannot fails at bootstrap, with every problem, when the KunciService is built.
 */
function configNames(config: unknown): string[] {
  let value = config;
  if (typeof config === 'string') {
    try {
      value = JSON.parse(readFileSync(config, 'utf8')) as unknown;
    } catch {
      return [];
    }
  }
  const providers = (value as { providers?: unknown } | null | undefined)?.providers;
  return typeof providers === 'object' && providers !== null && !Array.isArray(providers) ? Object.keys(providers) : [];
}

function withNamedProviders(definition: DynamicModule, known: readonly string[]): DynamicModule {
  const names = [...new Set([...known, ...injectedProviderNames()])];
  const required = injectedProviderNames();
  const named: Provider[] = names.flatMap((name) => [
    {
      provide: getTokenManagerToken(name),
      useFactory: (kunci: KunciService) => kunci.manager(name),
      inject: [KunciService],
    },
    {
      provide: getTokenProviderToken(name),
      useFactory: (kunci: KunciService) => kunci.provider(name),
      inject: [KunciService],
    },
    {
      provide: getKunciClientToken(name),
      useFactory: (kunci: KunciService) => kunci.client(name),
      inject: [KunciService],
    },
  ]);
  const service: Provider = {
    provide: KunciService,
    useFactory: (options: KunciModuleOptions) => KunciService.create(options, required),
    inject: [KUNCI_MODULE_OPTIONS],
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
