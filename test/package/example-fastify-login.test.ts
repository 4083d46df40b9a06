/** examples/fastify-login, installed from the tarballs outside the repository and tested there (example-site.ts). */
import { describeInstalledExample } from './example-site.ts';

describeInstalledExample('fastify-login');
