package io.etcdj.etcdctl.command;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits an interactive input line into words like etcdctl's argify: double-quoted words are
 * unquoted with Go's rules, single-quoted ones are cut by etcdctl's own (length-of-the-list) slice.
 */
final class Argify {
    private static final Pattern WORD = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^'\"\\s]\\S*[^'\"\\s]?");

    private Argify() {}

    static List<String> split(String s) {
        List<String> args = new ArrayList<>();
        Matcher m = WORD.matcher(s);
        while (m.find()) {
            args.add(m.group());
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.isEmpty()) {
                continue;
            }
            if (a.charAt(0) == '\'') {
                int end = Math.min(Math.max(1, args.size() - 1), a.length());
                args.set(i, a.substring(1, Math.max(1, end)));
            } else if (a.charAt(0) == '"') {
                String u = GoUnquote.unquote(a);
                if (u != null) {
                    args.set(i, u);
                }
            }
        }
        return args;
    }
}
