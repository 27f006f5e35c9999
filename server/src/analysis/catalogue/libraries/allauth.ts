// django-allauth: its apps and middleware, and the mail its account app sends.
import type { Library } from './types';

const DOCS = 'https://docs.allauth.org/en/latest/account/configuration.html';

export const ALLAUTH = {
  distribution: 'django-allauth',
  modules: ['allauth'],
  readAt: '65.x documentation',
  apps: { allauth: 'allauth', account: 'allauth.account', socialaccount: 'allauth.socialaccount' },
  middleware: { account: 'allauth.account.middleware.AccountMiddleware' },
  settings: {
    emailVerification: {
      name: 'ACCOUNT_EMAIL_VERIFICATION',
      default: { value: 'optional' },
      source: {
        url: DOCS,
        quote:
          'ACCOUNT_EMAIL_VERIFICATION (="optional") Determines the e-mail verification method during signup – choose one of "mandatory", "optional", or "none". … In case of “optional”, the e-mail verification mail is still sent, whereas in case of “none” no e-mail verification mails are sent.',
      },
    },
    socialAccountOnly: {
      name: 'SOCIALACCOUNT_ONLY',
      default: { value: false },
      source: {
        url: 'https://docs.allauth.org/en/latest/socialaccount/configuration.html',
        quote:
          'SOCIALACCOUNT_ONLY (default: False) When enabled (True), all functionality with regard to local accounts is disabled, and users will only be able to authenticate using third-party providers.',
      },
    },
  },
} as const satisfies Library;

/** The value of ACCOUNT_EMAIL_VERIFICATION that sends no verification mail. */
export const ALLAUTH_NO_VERIFICATION = 'none';

/** django-allauth's account app serves login pages and logs users in with Django's session (both cookies). */
export const ALLAUTH_LOGIN = {
  value: true,
  source: {
    url: 'https://docs.allauth.org/en/latest/account/views.html',
    quote:
      'Login (account_login): Users login via the allauth.account.views.LoginView view over at /accounts/login/ (URL name account_login).',
  },
} as const;
