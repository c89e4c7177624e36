package io.etcdj.etcdctl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Shell completion as etcdctl 3.4.23 (cobra) answers it: the hidden command
 * {@code etcdctl __complete WORD... PARTIAL} prints the candidates for PARTIAL after the words
 * already typed, one per line as {@code candidate<TAB>description} ({@code __completeNoDesc}: the
 * candidate alone), then a line {@code :<directive>}, and on stderr
 * {@code Completion ended with directive: <name>}. The scripts of {@code etcdctl completion bash|zsh}
 * call it at every TAB.
 *
 * <p>Candidates: subcommand names of the command the words lead to; its flags (inherited ones
 * first) when PARTIAL starts with "-"; nothing for a command that takes arguments, whose directive
 * then lets the shell complete file names.
 */
public final class Completion {
    /** cobra's ShellCompDirectiveDefault: the shell may complete file names. */
    static final int DEFAULT = 0;
    /** cobra's ShellCompDirectiveNoFileComp: only the candidates given. */
    static final int NO_FILE_COMP = 4;

    private Completion() {
    }

    /** Whether {@code args} ask for completions rather than run a command. */
    public static boolean requested(List<String> args) {
        return !args.isEmpty() && (args.get(0).equals("__complete") || args.get(0).equals("__completeNoDesc"));
    }

    /** Answers a {@code __complete} request ({@link #requested}); returns the exit status (0). */
    public static int answer(Command root, List<String> args, PrintStream out, PrintStream err) {
        boolean descriptions = args.get(0).equals("__complete");
        List<String> words = new ArrayList<>(args.subList(1, args.size()));
        String partial = words.isEmpty() ? "" : words.remove(words.size() - 1);
        List<String[]> candidates = new ArrayList<>();
        int directive = candidates(root, words, partial, candidates, err);
        for (String[] c : candidates) {
            out.print(descriptions && !c[1].isEmpty() ? c[0] + "\t" + firstLine(c[1]) + "\n" : c[0] + "\n");
        }
        out.print(":" + directive + "\n");
        err.print("Completion ended with directive: "
                + (directive == NO_FILE_COMP ? "ShellCompDirectiveNoFileComp" : "ShellCompDirectiveDefault") + "\n");
        out.flush();
        err.flush();
        return 0;
    }

    /** Fills {@code into} with (candidate, description) pairs and returns the directive. */
    static int candidates(Command root, List<String> words, String partial, List<String[]> into, PrintStream err) {
        Command cmd = root;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                return DEFAULT;
            }
            if (w.equals("=")) { // bash splits "--flag=value" into three words (a boolean flag's here)
                i++;
                continue;
            }
            if (w.startsWith("-") && w.length() > 1) {
                Flag f = flagOf(cmd, w);
                if (f != null && !f.takesNoValue() && !w.contains("=") && i + 1 < words.size()) {
                    i++; // its value, after the "=" that bash splits off "--flag=value"
                    if (words.get(i).equals("=") && i + 1 < words.size()) {
                        i++;
                    }
                }
                continue;
            }
            Command next = child(cmd, w);
            if (next != null) {
                cmd = next;
            } else if (!cmd.runnable()) {
                err.print("[Debug] [Error] Unable to find a command for arguments: " + words.subList(0, i + 1) + "\n");
                return DEFAULT;
            } // else an argument of a runnable command
        }
        if (!words.isEmpty()) {
            String last = words.get(words.size() - 1);
            Flag f = last.startsWith("-") && !last.contains("=") ? flagOf(cmd, last) : null;
            if (f != null && !f.takesNoValue()) {
                return DEFAULT; // the value of a flag: nothing to offer
            }
        }
        if (partial.startsWith("-") && partial.contains("=")) { // "--flag=value": a flag's value, nothing to offer
            String name = partial.substring(partial.startsWith("--") ? 2 : 1, partial.indexOf('='));
            if (flagOf(cmd, partial) == null) {
                err.print("[Debug] [Error] Subcommand '" + cmd.name() + "' does not support flag '" + name + "'\n");
            }
            return DEFAULT;
        }
        if (partial.startsWith("-")) {
            cmd.helpFlag();
            addFlags(cmd.inheritedFlags(), partial, into);
            addFlags(cmd.localFlags(), partial, into);
            return NO_FILE_COMP;
        }
        if (cmd.hasChildren()) {
            for (Command c : cmd.children()) {
                if (!c.hidden() && c.name().startsWith(partial)) {
                    into.add(new String[] {c.name(), c.shortText()});
                }
            }
            return NO_FILE_COMP;
        }
        return DEFAULT;
    }

    private static void addFlags(FlagSet flags, String partial, List<String[]> into) {
        for (Flag f : flags.sorted()) {
            if (("--" + f.name()).startsWith(partial)) {
                into.add(new String[] {"--" + f.name(), f.usage()});
            }
            if (!f.shorthand().isEmpty() && ("-" + f.shorthand()).startsWith(partial)) {
                into.add(new String[] {"-" + f.shorthand(), f.usage()});
            }
        }
    }

    /** The flag a word names ("--name", "--name=v", "-x"), or null. */
    private static Flag flagOf(Command cmd, String word) {
        cmd.helpFlag();
        if (word.startsWith("--")) {
            String name = word.substring(2);
            int eq = name.indexOf('=');
            return cmd.flag(eq < 0 ? name : name.substring(0, eq));
        }
        return cmd.allFlags().lookupShorthand(word.substring(1, 2));
    }

    private static Command child(Command cmd, String name) {
        for (Command c : cmd.children()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
