package io.etcdj.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: finds installed programs (Debian's etcdctl, promtool) the way a shell does. */
final class Executables {
    private Executables() {}

    /** The first executable {@code name} in a directory of $PATH, or null when there is none. */
    static String findOnPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
