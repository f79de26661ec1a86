/** Who is acting, for the manifest: `--operator` or the OS user, and this host's name. */
import os from 'node:os';
import type { Who } from './vault.js';

export function whoIsActing(operator: string | undefined): Who {
  let user = operator?.trim() ?? '';
  if (user === '') {
    try {
      user = os.userInfo().username;
    } catch {
      user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
    }
  }
  return { operator: user, host: os.hostname() };
}
