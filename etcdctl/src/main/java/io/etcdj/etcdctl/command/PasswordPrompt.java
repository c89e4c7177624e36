package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Console;

/** Reads a password: from the terminal without echo when there is one, else one line of stdin. */
final class PasswordPrompt {
    private PasswordPrompt() {}

    static String ask(Console console, String prompt) {
        java.io.Console tty = System.console();
        if (tty != null && console.in() == System.in) {
            char[] pw = tty.readPassword("%s", prompt);
            return pw == null ? "" : new String(pw);
        }
        console.out().print(prompt);
        console.out().flush();
        String line = console.readLine();
        // etcdctl ends the prompt's line once the (unechoed) answer is read, even at end of input
        console.out().print("\n");
        return line;
    }
}
