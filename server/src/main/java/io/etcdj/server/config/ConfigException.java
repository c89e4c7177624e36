package io.etcdj.server.config;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why {@code bin/etcd} stops before serving, with what etcd would print and its exit code.
 * Help and version requests are "exceptions" too: they end the process with exit code 0.
 */
public final class ConfigException extends Exception {
    /** The ways etcd ends during start-up, each with its own output shape. */
    public enum Kind {
        /** -h/--help: usage on stderr, flag list on stdout, exit 0. */
        HELP(0),
        /** --version: version lines on stdout, exit 0. */
        VERSION(0),
        /** Go flag syntax error: the message and the usage text on stderr, exit 2. */
        FLAG_SYNTAX(2),
        /** Invalid configuration: zap warning "failed to verify flags", exit 1. */
        INVALID(1),
        /** Environment variable shadowed by a flag: zap fatal, exit 1. */
        SHADOWED_ENV(1),
        /** A config file URL etcd cannot set up: a plain line on stderr, exit 1. */
        PLAIN(1),
        /** Bootstrap checks failed: zap warning "failed to start etcd", fatal "discovery failed", exit 1. */
        BOOTSTRAP(1);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    /** The text etcd's help names for the missing advertise-client-urls case. */
    static final String UNSET_ADVERTISE_CLIENT_URLS =
            "--advertise-client-urls is required when --listen-client-urls is set explicitly";

    private final Kind kind;

    public ConfigException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind.exitCode;
    }

    /** Writes what etcd writes in this case. */
    public void report(PrintStream out, PrintStream err, StartupLog log) {
        switch (kind) {
            case HELP -> {
                err.println(EtcdHelp.usage());
                out.println(EtcdHelp.flags());
            }
            case VERSION -> out.print(EtcdVersion.versionText());
            case FLAG_SYNTAX -> {
                err.println(getMessage());
                err.println(EtcdHelp.usage());
            }
            case PLAIN -> err.println(getMessage());
            case INVALID -> {
                log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:75", "failed to verify flags", error());
                if (getMessage().equals(UNSET_ADVERTISE_CLIENT_URLS)) {
                    log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:78", "advertise client URLs are not set",
                            error());
                }
            }
            case SHADOWED_ENV -> log.log(StartupLog.Level.FATAL, "flags/flag.go:85",
                    "conflicting environment variable is shadowed by corresponding command-line flag "
                            + "(either unset environment variable or disable flag))",
                    Map.of("environment-variable", getMessage()));
            case BOOTSTRAP -> {
                log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:146", "failed to start etcd", error());
                log.log(StartupLog.Level.FATAL, "etcdmain/etcd.go:204", "discovery failed", error());
            }
        }
        out.flush();
        err.flush();
    }

    private Map<String, Object> error() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("error", getMessage());
        return fields;
    }
}
