package io.etcdj.server;

import io.etcdj.server.config.BootstrapVerification;
import io.etcdj.server.config.ConfigException;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;

/**
 * Entry point of bin/etcd. Parses and checks the configuration exactly as etcd does (help,
 * version, flag and config errors behave like etcd's); the member itself is not there yet
 * (issue 4), so a valid configuration ends with a message saying so.
 */
public final class EtcdMain {
    private EtcdMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        StartupLog log = StartupLog.zapJson(err, Clock.systemUTC());
        try {
            EtcdConfig config = EtcdConfigParser.parse(args, env, log);
            boolean initialized = Files.isDirectory(config.dataDir().resolve("member"));
            if (!initialized && config.discoverySrv().isEmpty()) {
                if (config.isNewCluster()) {
                    BootstrapVerification.verifyNewCluster(config, BootstrapVerification.SYSTEM_RESOLVER);
                } else {
                    BootstrapVerification.verifyJoinExisting(config);
                }
            }
        } catch (ConfigException e) {
            e.report(out, err, log);
            return e.exitCode();
        }
        err.println("etcd: not yet available in this build (tracked in issue 4)");
        return 2;
    }
}
