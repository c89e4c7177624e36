package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.FlagValueException;
import io.etcdj.etcdctl.cli.GoStrconv;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.client.LeaseKeepAliveStream;
import io.etcdj.etcdctl.print.SimplePrinter;

/** lease grant | revoke | timetolive | list | keep-alive. */
final class LeaseCommands {
    private LeaseCommands() {}

    static Command build() {
        Command lease = new Command("lease <subcommand>", "Lease related commands", null);
        Command ttl = new Command("timetolive <leaseID> [options]", "Get lease information", LeaseCommands::timeToLive);
        ttl.flags().bool("keys", "", false, "Get keys attached to this lease");
        Command ka = new Command("keep-alive [options] <leaseID>", "Keeps leases alive (renew)", LeaseCommands::keepAlive);
        ka.flags().bool("once", "", false, "Resets the keep-alive time to its original value and exits immediately");
        lease.add(new Command("grant <ttl>", "Creates leases", LeaseCommands::grant),
                new Command("revoke <leaseID>", "Revokes leases", LeaseCommands::revoke), ttl,
                new Command("list", "List all active leases", LeaseCommands::list), ka);
        return lease;
    }

    private static void grant(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "lease grant command needs TTL argument");
        }
        long ttl;
        try {
            ttl = GoStrconv.parseInt(inv.args().get(0), 10, 64);
        } catch (FlagValueException e) {
            throw inv.fail(ExitCodes.BAD_ARGS, "bad TTL (" + e.getMessage() + ")");
        }
        Session s = new Session(inv);
        LeaseGrantResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, "failed to grant lease (" + e.getMessage() + ")");
        }
        s.print(() -> s.printer().grant(resp));
    }

    private static void revoke(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "lease revoke command needs 1 argument");
        }
        long id = Ids.lease(inv, inv.args().get(0));
        Session s = new Session(inv);
        LeaseRevokeResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, "failed to revoke lease (" + e.getMessage() + ")");
        }
        s.print(() -> s.printer().revoke(id, resp));
    }

    private static void timeToLive(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "lease timetolive command needs lease ID as argument");
        }
        boolean keys = inv.bool("keys");
        long id = Ids.lease(inv, inv.args().get(0));
        Session s = new Session(inv);
        LeaseTimeToLiveResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.leaseNoTimeout().leaseTimeToLive(
                    LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(keys).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.BAD_CONNECTION, e.getMessage());
        }
        s.print(() -> s.printer().timeToLive(resp, keys));
    }

    private static void list(Invocation inv) {
        Session s = new Session(inv);
        LeaseLeasesResponse resp;
        try (EtcdClient c = s.client()) {
            resp = c.unary(x -> x.leaseNoTimeout().leaseLeases(LeaseLeasesRequest.getDefaultInstance()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.BAD_CONNECTION, e.getMessage());
        }
        s.print(() -> s.printer().leases(resp));
    }

    private static void keepAlive(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "lease keep-alive command needs lease ID as argument");
        }
        long id = Ids.lease(inv, inv.args().get(0));
        Session s = new Session(inv);
        try (EtcdClient c = s.client(); LeaseKeepAliveStream ka = new LeaseKeepAliveStream(c)) {
            if (inv.bool("once")) {
                LeaseKeepAliveResponse r;
                try {
                    r = ka.once(LeaseKeepAliveRequest.newBuilder().setID(id).build());
                } catch (EtcdError e) {
                    throw s.fail(ExitCodes.BAD_CONNECTION, e.getMessage());
                }
                if (r.getTTL() <= 0) {
                    throw s.fail(ExitCodes.BAD_CONNECTION, "etcdserver: requested lease not found");
                }
                s.print(() -> s.printer().keepAlive(r));
                return;
            }
            ka.keepAliveUntilExpired(id, r -> s.print(() -> s.printer().keepAlive(r)));
            if (s.printer() instanceof SimplePrinter) {
                s.out().printf("lease %016x expired or revoked.\n", id);
            }
        }
    }
}
