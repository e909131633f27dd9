/**
 * The `gatepost` command (npm run gatepost -- <command>).
 */
import { runServer } from './main';

const [command = 'serve'] = process.argv.slice(2);

switch (command) {
  case 'serve':
    await runServer();
    break;
  default:
    console.error(`unknown command: ${command}\nusage: gatepost serve`);
    process.exit(2);
}
