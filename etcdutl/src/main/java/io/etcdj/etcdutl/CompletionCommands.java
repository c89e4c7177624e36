package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.CompletionScripts;
import io.etcdj.etcdctl.cli.UsageException;

/**
 * cobra 1.x's {@code completion bash|fish|powershell|zsh}, as etcdutl 3.5 lists them. Their help pages
 * and argument errors are cobra's; the scripts are etcdctl's (ours), naming etcdutl, which answers
 * their {@code __complete} requests from its own command tree.
 */
final class CompletionCommands {
    private CompletionCommands() {}

    static Command build() {
        Command completion = new Command("completion", "Generate the autocompletion script for the specified shell",
                null);
        for (String shell : new String[] {"bash", "fish", "powershell", "zsh"}) {
            Command c = new Command(shell, "Generate the autocompletion script for " + shell, inv -> {
                if (!inv.args().isEmpty()) { // cobra's NoArgs
                    throw new UsageException("unknown command \"" + inv.args().get(0) + "\" for \""
                            + inv.command().path() + "\"");
                }
                inv.console().out().print(CompletionScripts.text("etcdutl", shell, !inv.bool("no-descriptions")));
            }).withoutFlagsInUseLine();
            c.flags().bool("no-descriptions", "", false, "disable completion descriptions");
            completion.add(c);
        }
        return completion;
    }
}
