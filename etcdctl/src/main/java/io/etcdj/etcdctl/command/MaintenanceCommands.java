package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.MoveLeaderRequest;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.FlagValueException;
import io.etcdj.etcdctl.cli.GoStrconv;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.FieldsPrinter;
import io.etcdj.etcdutl.OfflineDefrag;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** compaction, alarm, defrag, move-leader and snapshot. */
final class MaintenanceCommands {
    private MaintenanceCommands() {}

    static Command compaction() {
        Command c = new Command("compaction [options] <revision>", "Compacts the event history in etcd",
                MaintenanceCommands::compact);
        c.flags().bool("physical", "", false, "'true' to wait for compaction to physically remove all old revisions");
        return c;
    }

    private static void compact(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "compaction command needs 1 argument");
        }
        long rev;
        try {
            rev = GoStrconv.parseInt(inv.args().get(0), 10, 64);
        } catch (FlagValueException e) {
            throw inv.fail(ExitCodes.ERROR, e.getMessage());
        }
        Session s = new Session(inv);
        try (EtcdClient c = s.client()) {
            c.unary(x -> x.kv().compact(CompactionRequest.newBuilder().setRevision(rev)
                    .setPhysical(inv.bool("physical")).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.out().println("compacted revision " + rev);
    }

    static Command alarm() {
        Command a = new Command("alarm <subcommand>", "Alarm related commands", null);
        a.add(new Command("disarm", "Disarms all alarms", MaintenanceCommands::disarm),
                new Command("list", "Lists all alarms", MaintenanceCommands::alarmList));
        return a;
    }

    private static AlarmResponse list(EtcdClient c) throws EtcdError {
        return c.unary(x -> x.maintenance().alarm(AlarmRequest.newBuilder()
                .setAction(AlarmRequest.AlarmAction.GET).build()));
    }

    private static void alarmList(Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "alarm list command accepts no arguments");
        }
        Session s = new Session(inv);
        AlarmResponse resp;
        try (EtcdClient c = s.client()) {
            resp = list(c);
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        s.print(() -> s.printer().alarm(resp));
    }

    /** clientv3 disarms every listed alarm one by one and returns only the collected alarms (no header). */
    private static void disarm(Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw inv.fail(ExitCodes.BAD_ARGS, "alarm disarm command accepts no arguments");
        }
        Session s = new Session(inv);
        AlarmResponse.Builder ret = AlarmResponse.newBuilder();
        try (EtcdClient c = s.client()) {
            for (AlarmMember am : list(c).getAlarmsList()) {
                AlarmResponse d = c.unary(x -> x.maintenance().alarm(AlarmRequest.newBuilder()
                        .setAction(AlarmRequest.AlarmAction.DEACTIVATE).setMemberID(am.getMemberID())
                        .setAlarm(am.getAlarm()).build()));
                ret.addAllAlarms(d.getAlarmsList());
            }
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        AlarmResponse resp = ret.build();
        if (s.printer() instanceof FieldsPrinter fp) {
            fp.setAlarmCaller("disarm");
        }
        s.print(() -> s.printer().alarm(resp));
    }

    static Command defrag() {
        Command d = new Command("defrag", "Defragments the storage of the etcd members with given endpoints",
                MaintenanceCommands::defragment);
        d.persistentFlags().bool("cluster", "", false, "use all endpoints from the cluster member list");
        d.flags().string("data-dir", "", "",
                "Optional. If present, defragments a data directory not in use by etcd.");
        return d;
    }

    /** etcdctl 3.4's {@code defrag --data-dir}: silent on success, waits while a member holds the data dir. */
    private static void defragmentOffline(Invocation inv, String dataDir) {
        PrintWriter err = new PrintWriter(inv.console().err(), true);
        try {
            OfflineDefrag.run(Path.of(dataDir), err, Duration.ofDays(365));
        } catch (IOException e) {
            err.printf("Failed to defragment etcd data[%s] (%s)\n", dataDir, e.getMessage());
            throw new ExitException(ExitCodes.ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExitException(ExitCodes.ERROR);
        }
    }

    private static void defragment(Invocation inv) {
        String dataDir = inv.string("data-dir");
        if (!dataDir.isEmpty()) {
            defragmentOffline(inv, dataDir);
            return;
        }
        Session s = new Session(inv);
        int failures = 0;
        try (EtcdClient c = s.client()) {
            for (String ep : EndpointCommands.endpoints(s)) {
                try (EtcdClient one = c.forEndpoint(ep)) {
                    one.unary(x -> x.maintenance().defragment(DefragmentRequest.getDefaultInstance()));
                    s.out().printf("Finished defragmenting etcd member[%s]\n", ep);
                } catch (EtcdError e) {
                    s.err().printf("Failed to defragment etcd member[%s] (%s)\n", ep, e.getMessage());
                    failures++;
                }
            }
        }
        if (failures != 0) {
            throw new ExitException(ExitCodes.ERROR);
        }
    }

    static Command moveLeader() {
        return new Command("move-leader <transferee-member-id>", "Transfers leadership to another etcd cluster member.",
                MaintenanceCommands::moveLeader);
    }

    private static void moveLeader(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "move-leader command needs 1 argument");
        }
        long target;
        try {
            target = GoStrconv.parseUint(inv.args().get(0), 16);
        } catch (FlagValueException e) {
            throw inv.fail(ExitCodes.BAD_ARGS, e.getMessage());
        }
        Session s = new Session(inv);
        var cfg = s.clientConfig();
        s.connect(cfg).close();
        EtcdClient leader = null;
        long leaderId = 0;
        for (String ep : cfg.endpoints()) {
            EtcdClient one = s.connect(cfg.withEndpoints(List.of(ep)));
            StatusResponse r;
            // the status comes over a direct dial of the endpoint, the move over the balanced client
            try (EtcdClient direct = one.forEndpoint(ep)) {
                r = direct.unary(x -> x.maintenance().status(StatusRequest.getDefaultInstance()));
            } catch (EtcdError e) {
                one.close();
                throw s.fail(ExitCodes.ERROR, e.getMessage());
            }
            if (r.getHeader().getMemberId() == r.getLeader()) {
                leader = one;
                leaderId = r.getLeader();
                break;
            }
            one.close();
        }
        if (leader == null) {
            throw s.fail(ExitCodes.BAD_ARGS, "no leader endpoint given at [" + String.join(" ", cfg.endpoints()) + "]");
        }
        MoveLeaderResponse resp;
        try (EtcdClient l = leader) {
            resp = l.unary(x -> x.maintenance().moveLeader(MoveLeaderRequest.newBuilder().setTargetID(target).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        long from = leaderId;
        s.print(() -> s.printer().moveLeader(from, target, resp));
    }

    static Command snapshot() {
        Command snap = new Command("snapshot <subcommand>", "Manages etcd node snapshots", null);
        snap.add(SnapshotSave.command(), SnapshotOffline.restore(), SnapshotOffline.status());
        return snap;
    }
}
