package io.etcdj.server.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The machine's "default host": the IPv4 address of the interface that carries the default
 * route. etcd advertises it instead of localhost when a member listens on 0.0.0.0 but leaves
 * its advertise URLs at their defaults.
 */
@FunctionalInterface
public interface DefaultHost {
    /** The address, or empty when there is no default route. */
    Optional<String> find();

    /** No default host (as on a machine without a default route). */
    DefaultHost NONE = Optional::empty;

    /** Linux: the lowest-metric default route in /proc/net/route, then its interface's IPv4 address. */
    DefaultHost SYSTEM = () -> {
        try {
            List<String> routes = Files.readAllLines(Path.of("/proc/net/route"));
            String bestIface = null;
            long bestMetric = Long.MAX_VALUE;
            for (String line : routes.subList(Math.min(1, routes.size()), routes.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000")) {
                    long metric = Long.parseLong(f[6]);
                    if (metric < bestMetric) {
                        bestMetric = metric;
                        bestIface = f[0];
                    }
                }
            }
            if (bestIface == null) {
                return Optional.empty();
            }
            NetworkInterface nic = NetworkInterface.getByName(bestIface);
            if (nic == null) {
                return Optional.empty();
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return Optional.of(a.getHostAddress());
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    };
}
