/** Command groups shared by several command modules (`registry runtime` gets commands from two of them). */
import type { Command } from 'commander';

/** The subcommand `name` of `parent`, created with `description` if no module has made it yet. */
export function commandGroup(parent: Command, name: string, description: string): Command {
  return parent.commands.find((c) => c.name() === name) ?? parent.command(name).description(description);
}
