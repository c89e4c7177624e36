package io.etcdj.robustness.cluster;

import io.etcdj.api.etcdserverpb.StatusResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches every member's applied raft index and MVCC revision while a scenario runs, by polling
 * Maintenance.Status, and records any member whose figures go backwards. The revision is the
 * backend's, so it may not go back even across a crash and restart. The applied index may not go
 * back while one process lives; a restarted member starts again from its snapshot's index, as
 * etcd's does, and replays (skipping) what its backend already holds. A member wiped and added
 * again ({@link LocalCluster#wipe}) is watched as a new member. {@link #checkAgreement} then
 * requires the members to agree on both figures once the load has stopped.
 */
public final class ProgressMonitor implements AutoCloseable {
    private final LocalCluster cluster;
    private final Map<String, long[]> highest = new HashMap<>(); // name -> {applied index, revision, pid}
    private final List<String> violations = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private int samples;

    public ProgressMonitor(LocalCluster cluster) {
        this.cluster = cluster;
        this.thread = new Thread(this::run, "progress-monitor");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (!stop) {
            for (LocalCluster.Node n : cluster.nodes()) {
                if (n.running()) {
                    String member = key(n); // before the sample: a wipe comes only after the process is gone
                    long pid = n.pid();
                    cluster.status(n).ifPresent(s -> observe(member, pid, s));
                }
            }
            try {
                Thread.sleep(100); // sampling period, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Whose figures these are: a member whose data dir was wiped and that was added again is a
     * new member, starting from revision 1 and index 0 again.
     */
    private static String key(LocalCluster.Node n) {
        int incarnation = n.incarnation();
        return incarnation == 0 ? n.name : n.name + "#" + incarnation;
    }

    synchronized void observe(String member, long pid, StatusResponse s) {
        samples++;
        long applied = s.getRaftAppliedIndex();
        long revision = s.getHeader().getRevision();
        long[] h = highest.computeIfAbsent(member, k -> new long[3]);
        if (h[2] != pid) { // a new process of this member: its applied index starts from its snapshot
            h[2] = pid;
            h[0] = 0;
        }
        if (applied < h[0] && violations.size() < 20) {
            violations.add(member + " applied index went back from " + h[0] + " to " + applied);
        }
        if (revision < h[1] && violations.size() < 20) {
            violations.add(member + " revision went back from " + h[1] + " to " + revision);
        }
        h[0] = Math.max(h[0], applied);
        h[1] = Math.max(h[1], revision);
    }

    /**
     * Waits (up to {@code timeout}) for a moment when every member reports the same applied index
     * and revision; records a violation if none comes.
     */
    public void checkAgreement(Duration timeout) {
        String[] last = {""};
        try {
            LocalCluster.await("every member at the same applied index and revision", timeout, () -> {
                List<String> figures = new ArrayList<>();
                for (LocalCluster.Node n : cluster.nodes()) {
                    String member = key(n);
                    Optional<StatusResponse> s = cluster.status(n);
                    if (s.isEmpty()) {
                        return false;
                    }
                    long pid = n.pid();
                    s.ifPresent(r -> observe(member, pid, r));
                    figures.add(s.get().getRaftAppliedIndex() + "/" + s.get().getHeader().getRevision());
                }
                last[0] = String.join(" ", figures);
                return figures.stream().distinct().count() == 1;
            });
        } catch (AssertionError e) {
            synchronized (this) {
                violations.add("members never agreed on applied index/revision: " + last[0]);
            }
        }
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized int samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
