package io.etcdj.etcdctl.command;

import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.Printer;
import io.etcdj.etcdctl.print.SimplePrinter;

/** get, put and del. */
final class KvCommands {
    private KvCommands() {}

    static Command get() {
        return KvRequests.getCommand(inv -> {
            RangeRequest req = KvRequests.getRequest(inv);
            Session s = new Session(inv);
            RangeResponse resp;
            try (EtcdClient c = s.client()) {
                resp = c.unary(x -> x.kv().range(req));
            } catch (EtcdError e) {
                throw s.fail(ExitCodes.ERROR, e.getMessage());
            }
            Printer p = s.printer();
            if (inv.bool("print-value-only")) {
                if (!(p instanceof SimplePrinter sp)) {
                    throw s.fail(ExitCodes.BAD_ARGS, "print-value-only is only for `--write-out=simple`");
                }
                sp.setValueOnly(true);
            }
            s.print(() -> p.get(resp));
        });
    }

    static Command put() {
        return KvRequests.putCommand(inv -> {
            PutRequest req = KvRequests.putRequest(inv);
            Session s = new Session(inv);
            PutResponse resp;
            try (EtcdClient c = s.client()) {
                resp = c.unary(x -> x.kv().put(req));
            } catch (EtcdError e) {
                throw s.fail(ExitCodes.ERROR, e.getMessage());
            }
            s.print(() -> s.printer().put(resp));
        });
    }

    static Command del() {
        return KvRequests.delCommand(inv -> {
            DeleteRangeRequest req = KvRequests.delRequest(inv);
            Session s = new Session(inv);
            DeleteRangeResponse resp;
            try (EtcdClient c = s.client()) {
                resp = c.unary(x -> x.kv().deleteRange(req));
            } catch (EtcdError e) {
                throw s.fail(ExitCodes.ERROR, e.getMessage());
            }
            s.print(() -> s.printer().del(resp));
        });
    }
}
