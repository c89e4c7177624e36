package io.etcdj.server.config;

import static io.etcdj.server.config.EtcdFlags.*;

import io.etcdj.server.config.ConfigException.Kind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code bin/etcd}'s arguments and environment into an {@link EtcdConfig}, following
 * etcd 3.5's sequence:
 * <ol>
 *   <li>parse the command line with Go flag syntax ({@link GoFlagParser}); -h/--help, syntax
 *       errors and left-over arguments end here;</li>
 *   <li>--version ends here;</li>
 *   <li>with --config-file (or ETCD_CONFIG_FILE) read only that file ({@link ConfigFileLoader});
 *       other flags and ETCD_* variables are ignored;</li>
 *   <li>otherwise overlay ETCD_* variables ({@link EnvironmentOverlay}), apply etcd's
 *       command-line rules (no default advertise-client-urls when only listen-client-urls is set,
 *       no default initial-cluster with discovery) and validate ({@link ConfigValidation});</li>
 *   <li>finally etcd's start-up defaults: data-dir "${name}.etcd", initial-cluster named after
 *       --name when left at its default.</li>
 * </ol>
 */
public final class EtcdConfigParser {
    private static final String DEFAULT_INITIAL_CLUSTER = INITIAL_CLUSTER.defaultValue();

    private EtcdConfigParser() {}

    /** Parses, reporting notices as etcd's JSON log lines on stderr. */
    public static EtcdConfig parse(String[] args, Map<String, String> env) throws ConfigException {
        return parse(args, env, StartupLog.zapJson(System.err, Clock.systemUTC()));
    }

    /**
     * Parses {@code args} (without the program name) and {@code env}.
     *
     * @throws ConfigException when etcd would stop instead of starting (including help/version)
     */
    public static EtcdConfig parse(String[] args, Map<String, String> env, StartupLog log) throws ConfigException {
        return parse(args, env, log, DefaultHost.SYSTEM);
    }

    /** As {@link #parse(String[], Map, StartupLog)}, with the machine's default host supplied. */
    public static EtcdConfig parse(String[] args, Map<String, String> env, StartupLog log, DefaultHost defaultHost)
            throws ConfigException {
        ConfigValues values = new ConfigValues();
        List<String> rest = GoFlagParser.parse(Arrays.asList(args), values);
        if (!rest.isEmpty()) {
            throw new ConfigException(Kind.INVALID, "'" + rest.get(0) + "' is not a valid flag");
        }
        if (values.get(VERSION)) {
            throw new ConfigException(Kind.VERSION, "version requested");
        }
        String configFile = values.get(CONFIG_FILE);
        if (configFile.isEmpty()) {
            configFile = env.getOrDefault(CONFIG_FILE.envName(), "");
        }
        EtcdConfig.Source source;
        Optional<Path> file = Optional.empty();
        if (!configFile.isEmpty()) {
            file = Optional.of(Path.of(configFile));
            values = ConfigFileLoader.load(file.get(), log);
            log.log(StartupLog.Level.INFO, "etcdmain/config.go:355", "loaded server configuration, other "
                    + "configuration command line flags and environment variables will be ignored if provided",
                    Map.of("path", configFile));
            source = EtcdConfig.Source.CONFIG_FILE;
        } else {
            fromCommandLine(values, env, log);
            source = EtcdConfig.Source.COMMAND_LINE_AND_ENVIRONMENT;
        }
        applyStartupDefaults(values, log, defaultHost);
        return new EtcdConfig(values, source, file);
    }

    private static void fromCommandLine(ConfigValues values, Map<String, String> env, StartupLog log)
            throws ConfigException {
        EnvironmentOverlay.apply(env, values, log);
        for (Flag<Duration> timeout : List.of(RAFT_READ_TIMEOUT, RAFT_WRITE_TIMEOUT)) {
            Duration min = timeout.defaultValue();
            if (values.get(timeout).compareTo(min) < 0) {
                values.derive(timeout, min);
                log.log(StartupLog.Level.INFO, "etcdmain/config.go:396", timeout.name()
                        + " increased to minimum value: " + GoDuration.format(min), Map.of());
            }
        }
        boolean mayBeProxy = !values.get(PROXY_MODE).equals("off")
                || (!values.get(DISCOVERY).isEmpty() && values.get(DISCOVERY_FALLBACK).equals("proxy"));
        boolean missingAdvertiseClient = values.isExplicitlySet(LISTEN_CLIENT_URLS)
                && !values.isExplicitlySet(ADVERTISE_CLIENT_URLS);
        if (!mayBeProxy && missingAdvertiseClient) {
            values.derive(ADVERTISE_CLIENT_URLS, List.of());
        }
        if ((!values.get(DISCOVERY).isEmpty() || !values.get(DISCOVERY_SRV).isEmpty()
                || !values.get(DISCOVERY_SRV_NAME).isEmpty() || !values.get(DISCOVERY_ENDPOINTS).isEmpty())
                && !values.isExplicitlySet(INITIAL_CLUSTER)) {
            values.derive(INITIAL_CLUSTER, "");
        }
        try {
            ConfigValidation.validate(values, log);
        } catch (ConfigException e) {
            if (!(mayBeProxy && e.getMessage().equals(ConfigException.UNSET_ADVERTISE_CLIENT_URLS))) {
                throw e;
            }
        }
    }

    /** Replaces a default advertise URL's host when the first listen URL is 0.0.0.0. */
    private static boolean advertiseDefaultHost(ConfigValues values, Flag<List<URI>> listen,
                                                Flag<List<URI>> advertise, String host) {
        List<URI> listenUrls = values.get(listen);
        List<URI> advertised = values.get(advertise);
        if (listenUrls.isEmpty() || advertised.size() != 1
                || !advertised.get(0).equals(advertise.defaultValue().get(0))) {
            return false;
        }
        GoUrl first = EtcdUrls.view(listenUrls.get(0));
        if (!first.hostname().equals("0.0.0.0")) {
            return false;
        }
        values.derive(advertise, List.of(URI.create(advertised.get(0).getScheme() + "://" + host + ":"
                + first.port())));
        return true;
    }

    /**
     * What etcd's main does after parsing: advertise the default host instead of localhost when
     * listening on 0.0.0.0 with default advertise URLs, name the default initial cluster after
     * --name, default the data dir.
     */
    private static void applyStartupDefaults(ConfigValues values, StartupLog log, DefaultHost defaultHost) {
        Optional<String> host = defaultHost.find();
        boolean used = false;
        if (host.isPresent()) {
            used |= advertiseDefaultHost(values, LISTEN_PEER_URLS, INITIAL_ADVERTISE_PEER_URLS, host.get());
        }
        String name = values.get(NAME);
        if (!name.equals("default") && values.get(INITIAL_CLUSTER).equals(DEFAULT_INITIAL_CLUSTER)) {
            StringBuilder b = new StringBuilder();
            for (var u : values.get(INITIAL_ADVERTISE_PEER_URLS)) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(name.isEmpty() ? "default" : name).append('=').append(u);
            }
            values.derive(INITIAL_CLUSTER, b.toString());
        }
        if (host.isPresent()) {
            used |= advertiseDefaultHost(values, LISTEN_CLIENT_URLS, ADVERTISE_CLIENT_URLS, host.get());
        }
        if (used) {
            log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:93", "detected default host for advertise",
                    Map.of("host", host.get()));
        }
        if (values.get(V2_DEPRECATION).isEmpty()) {
            values.derive(V2_DEPRECATION, V2_DEPRECATION.defaultValue());
        }
        if (values.get(DATA_DIR).isEmpty()) {
            String dir = name + ".etcd";
            values.derive(DATA_DIR, dir);
            log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:106", "'data-dir' was empty; using default",
                    Map.of("data-dir", dir));
        }
    }
}
