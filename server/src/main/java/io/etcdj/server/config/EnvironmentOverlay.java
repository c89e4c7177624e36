package io.etcdj.server.config;

import io.etcdj.server.config.ConfigException.Kind;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * etcd's {@code flags.SetFlagsFromEnv} + {@code verifyEnv}: every flag not given on the command
 * line takes its {@code ETCD_*} variable when that is non-empty; an {@code ETCD_*} variable for a
 * flag that the command line also sets is a fatal conflict (etcd exits, it does not pick one);
 * any other unused {@code ETCD_*} variable is reported as unrecognized.
 */
final class EnvironmentOverlay {
    private EnvironmentOverlay() {}

    static void apply(Map<String, String> environment, ConfigValues values, StartupLog log)
            throws ConfigException {
        Map<String, String> env = new TreeMap<>(environment);
        String version = env.get("ETCD_VERSION");
        if (version != null && !version.isEmpty()) {
            env.remove("ETCD_VERSION");
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("key", "ETCD_VERSION");
            fields.put("value", version);
            log.log(StartupLog.Level.WARN, "etcdmain/config.go:383", "cannot set special environment variable",
                    fields);
        }

        Set<String> setOnCommandLine = new HashSet<>();
        for (Flag<?> f : EtcdFlags.commandLine().values()) {
            if (values.isExplicitlySet(f)) {
                setOnCommandLine.add(f.envName());
            }
        }
        Set<String> used = new HashSet<>();
        ConfigException lastError = null;
        for (Flag<?> f : new TreeMap<>(EtcdFlags.commandLine()).values()) {
            String key = f.envName();
            if (setOnCommandLine.contains(key)) {
                continue;
            }
            String text = env.get(key);
            if (text == null || text.isEmpty()) {
                continue;
            }
            used.add(key);
            try {
                values.setExplicit(f, f.type().parse(text));
            } catch (FlagType.InvalidValueException e) {
                lastError = new ConfigException(Kind.INVALID,
                        "invalid value \"" + text + "\" for " + key + ": " + e.getMessage());
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("variable-name", key);
            fields.put("variable-value", text);
            log.log(StartupLog.Level.INFO, "flags/flag.go:113", "recognized and used environment variable", fields);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String key = e.getKey();
            if (used.contains(key)) {
                continue;
            }
            if (setOnCommandLine.contains(key)) {
                throw new ConfigException(Kind.SHADOWED_ENV, key);
            }
            if (key.startsWith("ETCD_")) {
                log.log(StartupLog.Level.WARN, "flags/flag.go:93", "unrecognized environment variable",
                        Map.of("environment-variable", key + "=" + e.getValue()));
            }
        }
        if (lastError != null) {
            throw lastError;
        }
    }
}
