package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.GoDuration;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.ClientConfig;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.EndpointHashKV;
import io.etcdj.etcdctl.print.EndpointHealth;
import io.etcdj.etcdctl.print.EndpointStatus;
import io.etcdj.etcdctl.print.SimplePrinter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** endpoint health | status | hashkv, each over --endpoints or (--cluster) every member's client URLs. */
final class EndpointCommands {
    private EndpointCommands() {}

    static Command build() {
        Command ep = new Command("endpoint <subcommand>", "Endpoint related commands", null);
        ep.persistentFlags().bool("cluster", "", false, "use all endpoints from the cluster member list");
        Command hash = new Command("hashkv", "Prints the KV history hash for each endpoint in --endpoints",
                EndpointCommands::hashKV);
        hash.persistentFlags().int64("rev", 0, "maximum revision to hash (default: all revisions)");
        ep.add(new Command("health", "Checks the healthiness of endpoints specified in `--endpoints` flag",
                        EndpointCommands::health),
                new Command("status", "Prints out the status of endpoints specified in `--endpoints` flag",
                        "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\n"
                                + "The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.\n",
                        EndpointCommands::status),
                hash);
        return ep;
    }

    /** endpointsFromCluster: the --endpoints list, or every member's client URLs with --cluster. */
    static List<String> endpoints(Session s) {
        Invocation inv = s.inv();
        if (!inv.bool("cluster")) {
            return s.endpoints();
        }
        ClientConfig cfg = s.clientConfig().withoutAuth();
        try (EtcdClient c = s.connect(cfg)) {
            MemberListResponse r = MemberCommands.memberList(s, c);
            List<String> out = new ArrayList<>();
            for (Member m : r.getMembersList()) {
                out.addAll(m.getClientURLsList());
            }
            return out;
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, "failed to fetch endpoints from etcd cluster member list: " + e.getMessage());
        }
    }

    private static void health(Invocation inv) {
        Session s = new Session(inv);
        s.applyEnv();
        s.printer();
        ClientConfig base = s.clientConfig();
        List<String> eps = endpoints(s);
        List<EndpointHealth> results = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (String ep : eps) {
            Thread t = new Thread(() -> results.add(check(s, base.withEndpoints(List.of(ep)), ep)));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean errs = results.stream().anyMatch(h -> !h.error().isEmpty());
        if (s.printer() instanceof SimplePrinter) {
            SimplePrinter.endpointHealthTo(s.err(), results);
        } else {
            s.print(() -> s.printer().endpointHealth(results));
        }
        if (errs) {
            throw s.fail(ExitCodes.ERROR, "unhealthy cluster");
        }
    }

    private static EndpointHealth check(Session s, ClientConfig cfg, String ep) {
        EtcdClient c;
        try {
            c = EtcdClient.connect(cfg, s.inv().console().err());
        } catch (EtcdError e) {
            return new EndpointHealth(ep, false, "", e.getMessage());
        }
        try (c) {
            long start = System.nanoTime();
            String error = "";
            try {
                c.unary(x -> x.kv().range(RangeRequest.newBuilder().setKey(KvRequests.bytes("health")).build()));
            } catch (EtcdError e) {
                if (!e.getMessage().equals("etcdserver: permission denied")) {
                    error = e.getMessage();
                }
            }
            String took = GoDuration.format(System.nanoTime() - start);
            return new EndpointHealth(ep, error.isEmpty(), took, error);
        }
    }

    private static void status(Invocation inv) {
        Session s = new Session(inv);
        try (EtcdClient c = s.client()) {
            List<EndpointStatus> list = new ArrayList<>();
            boolean failed = false;
            for (String ep : endpoints(s)) {
                try (EtcdClient one = c.forEndpoint(ep)) {
                    StatusResponse r = one.unary(x -> x.maintenance().status(StatusRequest.getDefaultInstance()));
                    list.add(new EndpointStatus(ep, r));
                } catch (EtcdError e) {
                    failed = true;
                    s.err().printf("Failed to get the status of endpoint %s (%s)\n", ep, e.getMessage());
                }
            }
            s.print(() -> s.printer().endpointStatus(list));
            if (failed) {
                throw new ExitException(ExitCodes.ERROR);
            }
        }
    }

    private static void hashKV(Invocation inv) {
        Session s = new Session(inv);
        long rev = inv.int64("rev");
        try (EtcdClient c = s.client()) {
            List<EndpointHashKV> list = new ArrayList<>();
            EtcdError last = null;
            for (String ep : endpoints(s)) {
                try (EtcdClient one = c.forEndpoint(ep)) {
                    HashKVResponse r = one.unary(x -> x.maintenance().hashKV(HashKVRequest.newBuilder()
                            .setRevision(rev).build()));
                    list.add(new EndpointHashKV(ep, r));
                } catch (EtcdError e) {
                    last = e;
                    s.err().printf("Failed to get the hash of endpoint %s (%s)\n", ep, e.getMessage());
                }
            }
            s.print(() -> s.printer().endpointHashKV(list));
            if (last != null) {
                throw s.fail(ExitCodes.ERROR, last.getMessage());
            }
        }
    }
}
