package io.etcdj.etcdctl.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** The process surroundings a command sees: its streams and its environment. */
public record Console(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
    public String getenv(String key) {
        String v = env.get(key);
        return v == null ? "" : v;
    }
}
