package io.etcdj.etcdctl.cli;

import java.util.List;

/**
 * One run of one command: the command, its positional arguments, the raw process arguments
 * (watch and lock look at them), and the console.
 */
public record Invocation(Command command, List<String> args, int argsLenAtDash, List<String> rawArgs,
                         Console console) {
    public Flag flag(String name) {
        Flag f = command.flag(name);
        if (f == null) {
            throw new IllegalStateException("no flag " + name + " on " + command.path());
        }
        return f;
    }

    public boolean bool(String name) {
        return (Boolean) flag(name).value();
    }

    public String string(String name) {
        return (String) flag(name).value();
    }

    public long int64(String name) {
        return (Long) flag(name).value();
    }

    /** Prints "Error: message" on stderr and ends the run with the code (ExitWithError). */
    public ExitException fail(int code, String message) {
        console.err().println("Error: " + message);
        return new ExitException(code);
    }
}
