package io.etcdj.server.config;

import java.util.List;

/**
 * The text of {@code etcd --help}: a usage summary (which etcd prints on stderr) and the flag
 * list grouped by section with each default (printed on stdout), generated from
 * {@link EtcdFlags} so that it always lists exactly the flags we accept.
 */
public final class EtcdHelp {
    private EtcdHelp() {}

    /** The usage summary, also printed after a flag syntax error. */
    public static String usage() {
        return String.join("\n", List.of(
                "Usage:",
                "",
                "  etcd [flags]",
                "    Start an etcd member (etcdj, compatible with etcd " + EtcdVersion.SERVER + ").",
                "",
                "  etcd --version",
                "    Print version information and exit.",
                "",
                "  etcd -h | --help",
                "    Print this help and exit.",
                "",
                "  etcd --config-file",
                "    Read the configuration from a YAML file; other flags and ETCD_* environment"
                        + " variables are then ignored.",
                "",
                "  Every flag --some-flag can also be given as the environment variable ETCD_SOME_FLAG;"
                        + " a flag on the command line must not also be set in the environment.",
                ""));
    }

    /** The flag list: section titles, then "  --flag 'default'" and an indented description. */
    public static String flags() {
        StringBuilder b = new StringBuilder();
        Flag.Section current = null;
        for (Flag<?> f : EtcdFlags.all()) {
            if (f.section() == Flag.Section.HIDDEN) {
                continue;
            }
            if (f.section() != current) {
                current = f.section();
                b.append('\n').append(current.title()).append(":\n");
            }
            b.append("  --").append(f.name()).append(" '").append(f.defaultForHelp()).append("'\n");
            b.append("    ").append(f.usage()).append('\n');
        }
        b.append("\nUnsafe flags may break the guarantees of the consensus protocol: use them with care.\n");
        return b.toString();
    }
}
