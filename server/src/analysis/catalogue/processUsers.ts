// Which user a host process manager runs a service as when its file names none.
import type { Fact } from './facts';

/** systemd runs a system service as root unless `User=` names another user (or `DynamicUser=yes` has systemd allocate one). */
export const SYSTEMD_DEFAULT_USER: Fact<{ readonly user: string; readonly dynamic: string }> = {
  value: { user: 'root', dynamic: 'DynamicUser=' },
  knob: 'User=',
  source: {
    url: 'https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#User=',
    quote:
      'User=, Group= Set the UNIX user or group that the processes are executed as, respectively. Takes a single user or group name, or a numeric ID as argument. For system services (services run by the system service manager, i.e. managed by PID 1) and for user services of the root user (services managed by root\'s instance of systemd --user), the default is "root", but User= may be used to specify a different user.',
  },
};

/** supervisord runs a program as the user supervisord runs as unless `user=` names another (root, when the system starts supervisord). */
export const SUPERVISORD_DEFAULT_USER: Fact<{ readonly user: string }> = {
  value: { user: "supervisord's own" },
  knob: 'user=',
  source: {
    url: 'https://supervisord.org/configuration.html#program-x-section-values',
    quote:
      'user: Instruct supervisord to use this UNIX user account as the account which runs the program. The user can only be switched if supervisord is run as the root user. […] Default: Do not switch users',
  },
};
