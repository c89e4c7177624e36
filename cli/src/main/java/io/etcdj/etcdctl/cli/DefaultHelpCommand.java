package io.etcdj.etcdctl.cli;

import java.util.List;

/**
 * cobra 1.x's {@code help [command]}: the help page (the usage page, for tools whose help template is
 * the usage) of the command the words lead to, on stdout; for a first word that names no command,
 * "Unknown help topic" and the root's page on stderr, still exit 0.
 */
public final class DefaultHelpCommand {
    private DefaultHelpCommand() {}

    public static Command create(String toolName) {
        return new Command("help [command]", "Help about any command",
                "Help provides help for any command in the application.\n"
                        + "Simply type " + toolName + " help [path to command] for full details.",
                DefaultHelpCommand::run);
    }

    private static void run(Invocation inv) {
        Command root = inv.command().root();
        Command target = root;
        List<String> words = inv.args();
        for (int i = 0; i < words.size(); i++) {
            Command next = CommandLine.findNext(target, words.get(i));
            if (next == null) {
                if (target == root) {
                    inv.console().err().println("Unknown help topic [`" + String.join("` `", words) + "`]");
                    inv.console().err().print(DefaultUsageText.renderWithoutHelpFlag(root));
                    return;
                }
                break; // a word below the first that names nothing: the page of what was found so far
            }
            target = next;
        }
        inv.console().out().print(DefaultUsageText.render(target));
    }
}
