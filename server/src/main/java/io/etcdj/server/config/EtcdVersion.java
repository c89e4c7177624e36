package io.etcdj.server.config;

import java.util.Locale;

/**
 * The one place that says which etcd this build impersonates. Every module that reports a
 * version (the {@code /version} endpoint, {@code endpoint status}, {@code etcdctl version},
 * raft cluster-version negotiation) reads these constants.
 */
public final class EtcdVersion {
    /** The etcd server version we are wire- and behaviour-compatible with. */
    public static final String SERVER = "3.5.17";
    /** The cluster version a fully upgraded 3.5 cluster reports ({@code /version} "etcdcluster"). */
    public static final String CLUSTER = "3.5.0";
    /** The API version ("major.minor" of {@link #SERVER}). */
    public static final String API = "3.5";
    /** The oldest cluster version this server can join. */
    public static final String MIN_CLUSTER = "3.0.0";
    /** What {@code --version} prints for "Git SHA" (etcd prints this text when built without ./build). */
    public static final String GIT_SHA = "Not provided (use ./build instead of go build)";

    private EtcdVersion() {}

    /** The runtime line that stands where etcd prints its Go version. */
    public static String runtimeVersion() {
        return "java" + Runtime.version();
    }

    /** "os/arch" in Go's spelling (linux/amd64, darwin/arm64, ...). */
    public static String osArch() {
        String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac")) {
            os = "darwin";
        } else if (os.startsWith("windows")) {
            os = "windows";
        }
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        arch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return os + "/" + arch;
    }

    /** The four lines {@code etcd --version} prints, each ending in a newline. */
    public static String versionText() {
        return "etcd Version: " + SERVER + "\n"
                + "Git SHA: " + GIT_SHA + "\n"
                + "Go Version: " + runtimeVersion() + "\n"
                + "Go OS/Arch: " + osArch() + "\n";
    }
}
