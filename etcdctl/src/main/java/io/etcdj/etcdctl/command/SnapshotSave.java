package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.SnapshotRequest;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.ClientConfig;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.client.ZapLine;
import io.etcdj.etcdctl.print.HumanBytes;
import io.grpc.StatusRuntimeException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/** snapshot save: streams the backend from the first endpoint into FILE.part, fsyncs, renames. */
final class SnapshotSave {
    private SnapshotSave() {}

    static Command command() {
        return new Command("save <filename>", "Stores an etcd node backend snapshot to a given file", SnapshotSave::save);
    }

    private static void info(Invocation inv, String line) {
        inv.console().err().println(line);
    }

    private static void save(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "snapshot save expects one argument");
        }
        Session s = new Session(inv);
        ClientConfig cfg = s.clientConfig();
        String path = inv.args().get(0);
        if (cfg.endpoints().size() != 1) {
            throw s.fail(ExitCodes.INTERRUPTED, "snapshot must be requested to one selected node, not multiple ["
                    + String.join(" ", cfg.endpoints()) + "]");
        }
        String partPath = path + ".part";
        Path part = Path.of(partPath);
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // Go ignores the removal error too
        }
        FileOutputStream f;
        try {
            f = new FileOutputStream(partPath);
        } catch (IOException e) {
            throw s.fail(ExitCodes.INTERRUPTED, "could not open " + partPath + " (open " + partPath
                    + ": no such file or directory)");
        }
        info(inv, ZapLine.info("snapshot/v3_snapshot.go:119", "created temporary db file", "path", partPath));
        long start = System.nanoTime();
        long size = 0;
        String ep = cfg.endpoints().get(0);
        try (EtcdClient c = s.connect(cfg); f) {
            MaintenanceGrpc.MaintenanceBlockingStub stub = MaintenanceGrpc.newBlockingStub(c.channel()).withWaitForReady();
            if (s.commandTimeoutSet()) {
                stub = stub.withDeadlineAfter(s.commandTimeoutNanos(), TimeUnit.NANOSECONDS);
            }
            Iterator<SnapshotResponse> it = stub.snapshot(SnapshotRequest.getDefaultInstance());
            info(inv, ZapLine.infoIso("clientv3/maintenance.go:200", "opened snapshot stream; downloading"));
            info(inv, ZapLine.info("snapshot/v3_snapshot.go:127", "fetching snapshot",
                    "endpoint", ep.replaceFirst("^[a-z]+://", "")));
            while (it.hasNext()) {
                byte[] blob = it.next().getBlob().toByteArray();
                f.write(blob);
                size += blob.length;
            }
            info(inv, ZapLine.infoIso("clientv3/maintenance.go:208", "completed snapshot read; closing"));
            f.getFD().sync();
        } catch (StatusRuntimeException e) {
            throw s.fail(ExitCodes.INTERRUPTED, EtcdError.from(e).getMessage());
        } catch (IOException e) {
            throw s.fail(ExitCodes.INTERRUPTED, e.getMessage());
        }
        double took = (System.nanoTime() - start) / 1e9;
        info(inv, ZapLine.info("snapshot/v3_snapshot.go:142", "fetched snapshot",
                "endpoint", ep.replaceFirst("^[a-z]+://", ""), "size", HumanBytes.format(size), "took", took));
        try {
            Files.move(part, Path.of(path), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw s.fail(ExitCodes.INTERRUPTED, "could not rename " + partPath + " to " + path + " (" + e.getMessage() + ")");
        }
        info(inv, ZapLine.info("snapshot/v3_snapshot.go:152", "saved", "path", path));
        s.out().println("Snapshot saved at " + path);
    }
}
