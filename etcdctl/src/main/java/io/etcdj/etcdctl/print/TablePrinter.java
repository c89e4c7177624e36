package io.etcdj.etcdctl.print;

import io.etcdj.api.etcdserverpb.MemberListResponse;
import java.util.List;

/** -w table: only member list, the endpoint commands and snapshot status support it. */
public final class TablePrinter implements Printer {
    private final Output out;

    public TablePrinter(Output out) {
        this.out = out;
    }

    @Override public String format() { return "table"; }
    @Override public Output out() { return out; }

    @Override
    public void memberList(MemberListResponse r) {
        out.print(AsciiTable.render(Tables.MEMBER_HEADER, Tables.memberRows(r)));
    }

    @Override
    public void endpointHealth(List<EndpointHealth> r) {
        out.print(AsciiTable.render(Tables.HEALTH_HEADER, Tables.healthRows(r)));
    }

    @Override
    public void endpointStatus(List<EndpointStatus> r) {
        out.print(AsciiTable.render(Tables.STATUS_HEADER, Tables.statusRows(r)));
    }

    @Override
    public void dbStatus(DbStatus r) {
        out.print(AsciiTable.render(DbStatus.HEADER, List.of(r.row())));
    }

    @Override
    public void endpointHashKV(List<EndpointHashKV> r) {
        out.print(AsciiTable.render(Tables.HASH_HEADER, Tables.hashRows(r)));
    }
}
