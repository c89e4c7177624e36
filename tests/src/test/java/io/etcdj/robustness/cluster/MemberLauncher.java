package io.etcdj.robustness.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to start one member: a command-line template whose {placeholders} are filled per member,
 * so the same scenarios run against the reference {@code etcd} and against our {@code bin/etcd}.
 *
 * <p>Placeholders: {name}, {dataDir}, {clientUrl}, {peerListenUrl} (where the member really
 * listens), {peerAdvertiseUrl} (the proxy in front of it), {initialCluster}, {clusterToken}.
 * The template is split on whitespace; placeholders do not contain spaces.
 *
 * <p>Override from the command line with {@code -Drobustness.launcher="..."} (a full template) or
 * {@code -Drobustness.etcd=/path/to/etcd} (the binary in the default template).
 */
public record MemberLauncher(String template) {

    public static final String DEFAULT_TEMPLATE = "{binary} --name {name} --data-dir {dataDir}"
            + " --listen-client-urls {clientUrl} --advertise-client-urls {clientUrl}"
            + " --listen-peer-urls {peerListenUrl} --initial-advertise-peer-urls {peerAdvertiseUrl}"
            + " --initial-cluster {initialCluster} --initial-cluster-state new"
            + " --initial-cluster-token {clusterToken}"
            + " --heartbeat-interval 50 --election-timeout 500 --snapshot-count 2000";

    /** The launcher chosen by system properties, by default the reference {@code etcd} on the PATH. */
    public static MemberLauncher fromSystemProperties() {
        String template = System.getProperty("robustness.launcher");
        if (template != null && !template.isBlank()) {
            return new MemberLauncher(template);
        }
        String binary = System.getProperty("robustness.etcd", "etcd");
        return new MemberLauncher(DEFAULT_TEMPLATE.replace("{binary}", binary));
    }

    /** This launcher with {@code --flag value} set: replaced where the template has it, else appended. */
    public MemberLauncher withFlag(String flag, String value) {
        String option = "--" + flag;
        Matcher m = Pattern.compile("(^|\\s)" + Pattern.quote(option)
                + "(=|\\s+)\\S+").matcher(template);
        if (m.find()) {
            return new MemberLauncher(template.substring(0, m.start()) + m.group(1) + option + " " + value
                    + template.substring(m.end()));
        }
        return new MemberLauncher(template + " " + option + " " + value);
    }

    /**
     * This launcher for a member added to a running cluster: {@code --initial-cluster-state
     * existing} (the {@code --initial-cluster} it is given must then list the cluster's members).
     */
    public MemberLauncher joiningExisting() {
        return withFlag("initial-cluster-state", "existing");
    }

    /**
     * Whether the member program knows {@code --flag}: its {@code --help} names it. For flags one
     * implementation has and the other lacks (etcd 3.4 has no
     * {@code --experimental-snapshot-catchup-entries}, and refuses to start with it).
     */
    public boolean knowsFlag(String flag) {
        try {
            Process p = new ProcessBuilder(executable(), "--help").redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(executable() + " --help did not end within 60 s");
            }
            return Pattern.compile("--" + Pattern.quote(flag) + "(?![a-z-])")
                    .matcher(new String(out, StandardCharsets.UTF_8)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The executable (first word of the template), for a loud check that it exists. */
    public String executable() {
        return template.trim().split("\\s+")[0];
    }

    /** Fails with a clear message when the executable is neither a file nor on the PATH. */
    public void requireExecutable() {
        String exe = executable();
        if (exe.contains("/")) {
            if (Path.of(exe).toFile().canExecute()) {
                return;
            }
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (!dir.isEmpty() && Path.of(dir, exe).toFile().canExecute()) {
                    return;
                }
            }
        }
        throw new IllegalStateException("member executable '" + exe + "' not found (PATH or -Drobustness.etcd=...);"
                + " the robustness scenarios need a real etcd (install etcd-server) or bin/etcd");
    }

    public List<String> command(Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String word : Arrays.asList(template.trim().split("\\s+"))) {
            String w = word;
            for (Map.Entry<String, String> e : values.entrySet()) {
                w = w.replace("{" + e.getKey() + "}", e.getValue());
            }
            if (w.matches(".*\\{[a-zA-Z]+}.*")) {
                throw new IllegalArgumentException("unfilled placeholder in '" + w + "'");
            }
            out.add(w);
        }
        return out;
    }
}
