// The public surface of @kunci/nest, listed by name so that a change of API shows in a diff.
export { KunciModule, KUNCI_MODULE_OPTIONS } from './kunci.module';
export type { KunciModuleForRootOptions, KunciModuleAsyncOptions } from './kunci.module';
export { KunciService } from './kunci.service';
export type { KunciModuleOptions, KunciModuleExtras } from './options';
export {
  InjectTokenManager,
  InjectTokenProvider,
  InjectKunciClient,
  getTokenManagerToken,
  getTokenProviderToken,
  getKunciClientToken,
} from './tokens';
export {
  InboundGuard,
  InboundRefusedException,
  VerifiedNotification,
  verifiedNotificationOf,
  sendInboundAnswer,
  serveInboundToken,
} from './inbound';
export { VerifyNotification, InboundTokenRoute } from './inbound-routes';
export type { InboundGuardOptions } from './inbound';
