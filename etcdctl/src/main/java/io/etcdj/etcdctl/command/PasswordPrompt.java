package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

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
        return readLine(console);
    }

    static String readLine(Console console) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = console.in().read()) >= 0 && c != '\n') {
                b.write(c);
            }
        } catch (IOException e) {
            return "";
        }
        String s = b.toString(java.nio.charset.StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
