package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.UsageException;

/**
 * cobra 1.x's {@code completion bash|fish|powershell|zsh}, as etcdutl 3.5 lists them. Their help pages
 * and argument errors are cobra's; the scripts themselves are not written yet: each says so and
 * exits with status 2.
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
                inv.console().err().println("etcdutl completion " + shell + ": not implemented in etcdj yet");
                throw new ExitException(2);
            }).withoutFlagsInUseLine();
            c.flags().bool("no-descriptions", "", false, "disable completion descriptions");
            completion.add(c);
        }
        return completion;
    }
}
