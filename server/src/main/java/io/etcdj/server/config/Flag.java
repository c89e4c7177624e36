package io.etcdj.server.config;

import java.util.Objects;

/**
 * One etcd setting: its command-line name (also its {@code ETCD_*} variable), value type,
 * default, help text and where it lives in a YAML config file. All flags are listed in
 * {@link EtcdFlags}.
 *
 * @param name        flag name without dashes ("initial-cluster")
 * @param section     help section; {@link Section#HIDDEN} flags are accepted but not listed
 * @param type        value type
 * @param defaultValue the value when nothing sets it
 * @param helpDefault what the help text shows as the default, or null to show the default value
 * @param usage       one-line help text
 * @param yamlPath    key in the config file ("a.b" for a nested block), or null when the
 *                    config file cannot set it (as in etcd 3.5)
 * @param commandLine whether the flag exists on the command line and as ETCD_* variable
 *                    (false only for file-only settings)
 */
public record Flag<T>(String name, Section section, FlagType<T> type, T defaultValue,
                      String helpDefault, String usage, String yamlPath, boolean commandLine) {

    /** Groups of the help text, in the order etcd prints them. */
    public enum Section {
        MEMBER("Member"),
        CLUSTERING("Clustering"),
        SECURITY("Security"),
        AUTH("Auth"),
        PROFILING("Profiling and Monitoring"),
        LOGGING("Logging"),
        TRACING("Experimental distributed tracing"),
        PROXY("v2 Proxy (to be deprecated in v3.6)"),
        EXPERIMENTAL("Experimental feature"),
        UNSAFE("Unsafe feature"),
        HIDDEN("");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    public Flag {
        Objects.requireNonNull(name);
        Objects.requireNonNull(section);
        Objects.requireNonNull(type);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(usage);
    }

    static <T> Flag<T> of(String name, Section section, FlagType<T> type, T defaultValue, String usage) {
        return new Flag<>(name, section, type, defaultValue, null, usage, name, true);
    }

    /** The same flag with another YAML key (null: not settable from a config file). */
    Flag<T> yaml(String path) {
        return new Flag<>(name, section, type, defaultValue, helpDefault, usage, path, commandLine);
    }

    /** The same flag, shown with {@code shown} as its default in the help text. */
    Flag<T> shownDefault(String shown) {
        return new Flag<>(name, section, type, defaultValue, shown, usage, yamlPath, commandLine);
    }

    /** The same setting, readable only from a config file. */
    Flag<T> fileOnly() {
        return new Flag<>(name, Section.HIDDEN, type, defaultValue, helpDefault, usage, yamlPath, false);
    }

    /** The environment variable etcd reads for this flag: ETCD_ + upper-case name, '-' → '_'. */
    public String envName() {
        return EtcdFlags.envName(name);
    }

    /** The default as the help text shows it. */
    public String defaultForHelp() {
        return helpDefault != null ? helpDefault : type.display(defaultValue);
    }

    @Override
    public String toString() {
        return "--" + name;
    }
}
