// Placeholder until the subcommand is built (see the open issues).
export async function main(_args: string[], _mode?: string): Promise<number> {
  process.stderr.write('jpki-bridge: install is not built yet\n');
  return 70;
}
